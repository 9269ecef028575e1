"""Stipend schedules (工作补贴): terms on an office, the months due, paying a month twice, the
stipend stopping at the end of the term — given/when/then naming the error codes."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.fund import Fund
from ledger.domain.organisation import Organisation
from tests.domain.builders import SECRETARY, a_branch, a_fund, ctx, given_donation, stipend

TODAY = date(2025, 1, 10)


def terms_args(fund: Fund, branch: Organisation, **changes: object) -> dict:
    return {
        "person_id": SECRETARY,
        "role": "secretary",
        "monthly_fen": 30_000,
        "from_month": "2024-09",
        "fund_id": str(fund.id),
        "fund_owner_org_id": str(branch.id),
        "fund_kind": fund.kind,
        "stipends_allowed": fund.policy["stipends_allowed"],
        **changes,
    }


def a_secretary_branch(term_end: date | None = date(2024, 11, 30)) -> Organisation:
    branch = a_branch()
    branch.appoint(
        ctx(), person_id=SECRETARY, role="secretary", from_date=date(2024, 8, 1), term_end=term_end
    )
    return branch


def activity_fund() -> Fund:
    fund = a_fund(kind="activity", policy={"stipends_allowed": True}, established_on=date(2024, 8, 1))
    given_donation(fund, 500_000, date(2024, 8, 2))
    return fund


def test_terms_are_recorded_on_the_current_office():
    branch, fund = a_secretary_branch(), activity_fund()
    branch.collect_events()

    branch.set_stipend_terms(ctx(), **terms_args(fund, branch))

    [event] = branch.collect_events()
    assert isinstance(event, Organisation.StipendTermsSet)
    assert branch.stipend_terms(SECRETARY, "secretary", str(fund.id))["monthly_fen"] == 30_000


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"person_id": "someone-else"}, "office_not_held"),
        ({"from_month": "2024-07"}, "dates_out_of_order"),
        ({"fund_owner_org_id": "another-org"}, "stipend_fund_not_of_organisation"),
        ({"fund_kind": "mutual_aid"}, "stipend_not_allowed_from_mutual_aid"),
        ({"stipends_allowed": False}, "stipend_not_allowed_by_policy"),
        ({"monthly_fen": 0}, "amount_must_be_positive"),
    ],
)
def test_terms_are_refused_with_their_code_when_a_rule_is_broken(changes, code):
    branch, fund = a_secretary_branch(), activity_fund()
    branch.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        branch.set_stipend_terms(ctx(), **terms_args(fund, branch, **changes))

    assert excinfo.value.code == code
    assert branch.collect_events() == []


def test_terms_are_refused_with_stipend_terms_already_set_the_second_time():
    branch, fund = a_secretary_branch(), activity_fund()
    branch.set_stipend_terms(ctx(), **terms_args(fund, branch))
    branch.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        branch.set_stipend_terms(ctx(), **terms_args(fund, branch))

    assert excinfo.value.code == "stipend_terms_already_set"


def test_months_due_run_from_the_first_month_and_stop_at_the_end_of_the_term():
    branch, fund = a_secretary_branch(term_end=date(2024, 11, 30)), activity_fund()
    branch.set_stipend_terms(ctx(), **terms_args(fund, branch))

    terms = branch.stipend_terms(SECRETARY, "secretary", str(fund.id))

    assert Organisation.months_due(terms, "2025-01") == ["2024-09", "2024-10", "2024-11"]


def pay(fund: Fund, branch: Organisation, months: list[str], amount_fen: int) -> str:
    terms = branch.stipend_terms(SECRETARY, "secretary", str(fund.id))
    args = stipend(months=months, amount_fen=amount_fen, in_office=branch.holds_office)
    return fund.pay_stipend(ctx(), terms=terms, **args)


def test_a_month_due_is_paid_at_the_monthly_amount():
    branch, fund = a_secretary_branch(), activity_fund()
    branch.set_stipend_terms(ctx(), **terms_args(fund, branch))
    fund.collect_events()

    pay(fund, branch, ["2024-09", "2024-10"], 60_000)

    [paid] = fund.collect_events()
    assert paid.months == ["2024-09", "2024-10"]


def test_paying_a_month_twice_is_refused_with_stipend_already_paid():
    branch, fund = a_secretary_branch(), activity_fund()
    branch.set_stipend_terms(ctx(), **terms_args(fund, branch))
    pay(fund, branch, ["2024-09"], 30_000)
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        pay(fund, branch, ["2024-09"], 30_000)

    assert excinfo.value.code == "stipend_already_paid"
    assert fund.collect_events() == []


def test_a_month_after_the_end_of_the_term_is_refused_with_stipend_month_not_due():
    branch, fund = a_secretary_branch(term_end=date(2024, 11, 30)), activity_fund()
    branch.set_stipend_terms(ctx(), **terms_args(fund, branch))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        pay(fund, branch, ["2024-12"], 30_000)

    assert excinfo.value.code == "stipend_month_not_due"
    assert fund.collect_events() == []


def test_a_month_before_the_terms_is_refused_with_stipend_month_not_due():
    branch, fund = a_secretary_branch(), activity_fund()
    branch.set_stipend_terms(ctx(), **terms_args(fund, branch))

    with pytest.raises(LedgerError) as excinfo:
        pay(fund, branch, ["2024-08"], 30_000)

    assert excinfo.value.code == "stipend_month_not_due"


def test_an_amount_other_than_the_terms_is_refused_with_stipend_amount_not_terms():
    branch, fund = a_secretary_branch(), activity_fund()
    branch.set_stipend_terms(ctx(), **terms_args(fund, branch))

    with pytest.raises(LedgerError) as excinfo:
        pay(fund, branch, ["2024-09", "2024-10"], 30_000)

    assert excinfo.value.code == "stipend_amount_not_terms"
    assert excinfo.value.details == {"expected_fen": 60_000}

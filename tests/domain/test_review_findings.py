"""Rules added after a review of the first domain: strict yes/no answers, dissolving once,
no future-dated organisation or membership changes, the cashier's cash moves, and stipends
tied to the office they are paid for."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.organisation import Organisation
from ledger.domain.person import Person
from tests.domain.builders import (
    CASHIER,
    a_branch,
    a_fund,
    a_person,
    ctx,
    donation,
    given_cashier,
    given_donation,
    stipend,
)


def refused(call) -> str:
    with pytest.raises(LedgerError) as excinfo:
        call()
    return excinfo.value.code


def test_consent_is_refused_with_value_not_allowed_when_given_as_the_text_false():
    assert (
        refused(lambda: Person.register(ctx(), name_zh="王小明", public_notice="false"))
        == "value_not_allowed"
    )
    person = a_person()
    person.collect_events()
    assert refused(lambda: person.change_consent(ctx(), public_notice=True, internal_notice="no")) == (
        "value_not_allowed"
    )
    assert person.collect_events() == []


def test_donor_publicity_is_refused_with_value_not_allowed_when_not_a_boolean():
    fund = a_fund()
    fund.collect_events()
    code = refused(lambda: fund.receive_donation(ctx(), **donation(publish_donor_name="yes")))
    assert code == "value_not_allowed"
    assert fund.collect_events() == []


def test_dissolving_is_refused_with_organisation_dissolved_when_already_dissolved():
    branch = a_branch()
    branch.dissolve(ctx(), effective_on=date(2024, 6, 30), doc_ref="决定1", funds=[])
    branch.collect_events()
    assert refused(
        lambda: branch.dissolve(ctx(), effective_on=date(2024, 1, 1), doc_ref="决定2", funds=[])
    ) == ("organisation_dissolved")
    assert branch.dissolved_on == date(2024, 6, 30)


def test_organisation_changes_are_refused_with_date_in_future_when_dated_after_today():
    today = date(2025, 1, 10)
    assert (
        refused(
            lambda: Organisation.register(
                ctx(today), kind="branch", name_zh="新支部", parent=None, established_on=date(2025, 2, 1)
            )
        )
        == "date_in_future"
    )
    branch = a_branch()
    assert (
        refused(lambda: branch.rename(ctx(today), name_zh="改名", effective_on=date(2025, 3, 1)))
        == "date_in_future"
    )
    assert (
        refused(
            lambda: branch.appoint(ctx(today), person_id="p", role="secretary", from_date=date(2025, 1, 11))
        )
        == "date_in_future"
    )


def test_joining_a_branch_is_refused_with_date_in_future_when_dated_after_today():
    person = a_person()
    person.collect_events()
    code = refused(
        lambda: person.join_branch(
            ctx(date(2025, 1, 10)), branch_kind_of_org="branch", org_id="b", effective_on=date(2025, 5, 1)
        )
    )
    assert code == "date_in_future"
    assert person.collect_events() == []


def test_cashier_moves_cash_to_the_bank_when_the_fund_holds_cash():
    fund = a_fund(custody={"kind": "bank_account", "ref": "acct"})
    given_cashier(fund)
    given_donation(fund, 50_000, date(2025, 1, 3), account="cash")
    fund.collect_events()
    fund.move_cash(
        ctx(actor=CASHIER),
        occurred_on=date(2025, 1, 4),
        amount_fen=30_000,
        from_account="cash",
        to_account="bank",
        doc_refs=["存款回单"],
    )
    assert fund.balances_fen == {"cash": 20_000, "bank": 30_000}


def test_cashier_still_cannot_post_interest_when_the_fund_is_in_a_bank():
    fund = a_fund(custody={"kind": "bank_account", "ref": "acct"})
    given_cashier(fund)
    fund.collect_events()
    code = refused(
        lambda: fund.credit_interest(
            ctx(actor=CASHIER), occurred_on=date(2025, 1, 4), amount_fen=5, bank_ref="b"
        )
    )
    assert code == "cashier_cannot_post_entries"


def test_stipend_is_refused_when_the_person_held_another_office_than_the_one_paid_for():
    fund = a_fund(kind="activity", policy={"stipends_allowed": True})
    given_donation(fund, 100_000, date(2024, 12, 2))
    fund.collect_events()
    holds_secretary_only = lambda person_id, month, role: role == "secretary"  # noqa: E731
    code = refused(
        lambda: fund.pay_stipend(ctx(), **stipend(role="bookkeeper", in_office=holds_secretary_only))
    )
    assert code == "stipend_recipient_not_in_office"
    assert refused(lambda: fund.pay_stipend(ctx(), **stipend(role="chairman"))) == "value_not_allowed"
    assert fund.collect_events() == []

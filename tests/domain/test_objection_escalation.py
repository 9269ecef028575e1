"""R36: an objection unanswered past the fund's service level is escalated, once, one level up
(``ObjectionEscalated``, ADR 0031) — on an aid case and on a voucher. Escalation answers
nothing: the objection still blocks payment (R19) and may still be answered. Given events →
one command → then events or the error code.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ledger.domain.aid_case import AidCase, answer_objection, objection_due_on
from ledger.domain.errors import LedgerError
from ledger.domain.fund_policy import OBJECTION_ANSWER_DAYS_DEFAULT, check_policy, objection_answer_days
from ledger.domain.objection import VoucherObjection
from tests.domain.builders import TODAY, a_fund, ctx, given_donation
from tests.domain.test_aid_case import SIGNER_2, approved_case, as_person, drain, funded, pay, refused

UPPER_ORG = "org-street-committee"


def escalate(case: AidCase, today: date, days: int = 10) -> list[str]:
    return case.escalate_overdue(ctx(today, actor="system"), answer_days=days, to_org_id=UPPER_ORG)


def objected_case(anonymous: bool = True):
    fund = funded()
    case = approved_case(fund)
    number = case.raise_objection(as_person("person-neighbour"), text="情况不实", anonymous=anonymous)
    drain(fund, case)
    return fund, case, number


def test_the_service_level_is_ten_days_by_default_and_a_fund_policy_may_set_it():
    assert OBJECTION_ANSWER_DAYS_DEFAULT == 10
    assert check_policy("mutual_aid", None)["objection_answer_days"] == 10
    assert check_policy("mutual_aid", {"objection_answer_days": 5})["objection_answer_days"] == 5
    assert objection_answer_days({}) == 10  # a fund established before the policy had the key


def test_a_service_level_below_one_day_is_refused_with_value_not_allowed():
    with pytest.raises(LedgerError) as excinfo:
        check_policy("mutual_aid", {"objection_answer_days": 0})

    assert (excinfo.value.code, excinfo.value.details["field"]) == (
        "value_not_allowed",
        "policy.objection_answer_days",
    )


def test_an_objection_is_not_escalated_on_the_last_day_of_the_service_level():
    _, case, _ = objected_case()

    assert escalate(case, TODAY + timedelta(days=10)) == []
    assert case.collect_events() == []


def test_an_objection_is_escalated_one_level_up_the_day_after_the_service_level():
    _, case, number = objected_case()

    assert escalate(case, TODAY + timedelta(days=11)) == [number]

    [escalated] = case.collect_events()
    assert isinstance(escalated, AidCase.ObjectionEscalated)
    assert (escalated.objection_no, escalated.escalated_to_org_id) == (number, UPPER_ORG)
    assert (escalated.due_on, escalated.escalated_on) == (
        TODAY + timedelta(days=10),
        TODAY + timedelta(days=11),
    )
    assert case.escalated_objections == [number]
    assert case.answering_org_ids(number) == [case.owner_org_id, UPPER_ORG]


def test_the_fund_policy_service_level_decides_when_an_objection_is_overdue():
    _, case, number = objected_case()

    assert escalate(case, TODAY + timedelta(days=3), days=3) == []
    assert escalate(case, TODAY + timedelta(days=4), days=3) == [number]
    assert objection_due_on(TODAY, 3) == TODAY + timedelta(days=3)


def test_an_objection_is_escalated_once_however_often_the_command_runs():
    _, case, _ = objected_case()
    escalate(case, TODAY + timedelta(days=11))
    drain(case)

    assert escalate(case, TODAY + timedelta(days=11)) == []
    assert escalate(case, TODAY + timedelta(days=40)) == []
    assert case.collect_events() == []


def test_an_answered_objection_is_never_escalated():
    fund, case, number = objected_case()
    answer_objection(
        as_person(SIGNER_2),
        case,
        fund,
        holds_approver_role=True,
        objection_no=number,
        outcome="dismissed",
        answer="符合条件",
    )
    drain(case, fund)

    assert escalate(case, TODAY + timedelta(days=30)) == []


def test_an_escalated_objection_still_blocks_payment_with_aid_objection_unanswered():
    fund, case, _ = objected_case()
    escalate(case, TODAY + timedelta(days=11))
    drain(case, fund)

    refused("aid_objection_unanswered", lambda: pay(case, fund, TODAY + timedelta(days=12)), case, fund)


def test_an_escalated_objection_may_still_be_answered_and_then_the_case_is_paid():
    fund, case, number = objected_case()
    escalate(case, TODAY + timedelta(days=11))
    drain(case, fund)
    upper = as_person("person-street-approver", TODAY + timedelta(days=12))

    answer_objection(
        upper,
        case,
        fund,
        holds_approver_role=True,
        objection_no=number,
        outcome="dismissed",
        answer="经核实符合条件",
    )
    pay(case, fund, TODAY + timedelta(days=12))

    assert (case.open_objections, case.escalated_objections, case.status) == ([], [], "paid")


def test_answering_an_escalated_objection_without_the_role_is_refused_with_objection_answerer_not_approver():
    fund, case, number = objected_case()
    escalate(case, TODAY + timedelta(days=11))
    drain(case, fund)

    refused(
        "objection_answerer_not_approver",
        lambda: answer_objection(
            as_person("person-outsider"),
            case,
            fund,
            holds_approver_role=False,
            objection_no=number,
            outcome="dismissed",
            answer="x",
        ),
        case,
        fund,
    )


def test_an_anonymous_objection_stays_anonymous_when_escalated():
    _, case, _ = objected_case(anonymous=True)

    escalate(case, TODAY + timedelta(days=11))

    [escalated] = case.collect_events()
    assert "person-neighbour" not in repr(escalated.__dict__)
    assert escalated.escalated_by == "system"


# --- on a voucher -------------------------------------------------------------------------------
def voucher_objection() -> VoucherObjection:
    fund = a_fund()
    voucher = given_donation(fund, 10_000, date(2025, 1, 5))
    objection = VoucherObjection.raise_on(
        as_person("person-neighbour"), fund=fund, voucher_no=voucher, text="金额不对", anonymous=True
    )
    objection.collect_events()
    return objection


def test_a_voucher_objection_is_escalated_once_after_the_service_level_and_stays_anonymous():
    objection = voucher_objection()
    system = ctx(TODAY + timedelta(days=10), actor="system")
    assert objection.escalate_if_overdue(system, answer_days=10, to_org_id=UPPER_ORG) is False

    later = ctx(TODAY + timedelta(days=11), actor="system")
    assert objection.escalate_if_overdue(later, answer_days=10, to_org_id=UPPER_ORG) is True
    assert objection.escalate_if_overdue(later, answer_days=10, to_org_id=UPPER_ORG) is False

    [escalated] = objection.collect_events()
    assert (escalated.escalated_to_org_id, escalated.due_on) == (UPPER_ORG, TODAY + timedelta(days=10))
    assert "person-neighbour" not in repr(escalated.__dict__)
    assert objection.answering_org_ids() == [objection.owner_org_id, UPPER_ORG]


def test_an_escalated_voucher_objection_may_still_be_answered_once():
    objection = voucher_objection()
    objection.escalate_if_overdue(ctx(TODAY + timedelta(days=11)), answer_days=10, to_org_id=UPPER_ORG)

    objection.answer(
        as_person("person-street-approver"), holds_approver_role=True, outcome="upheld", answer="已冲销"
    )

    assert objection.outcome == "upheld"
    assert not objection.is_overdue(TODAY + timedelta(days=30), 10)

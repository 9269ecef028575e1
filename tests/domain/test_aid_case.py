"""AidCase: apply, sign, approve and reserve, publicise, pay — or reject, cancel, object
(R3, R17–R19, R21, R36), as given events → one command → then, naming the error code.

Each test drains the pending events of the case and the fund right before its "when", so what
is collected afterwards is exactly what the command raised; a refusal raises nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ledger.domain.aid_case import (
    AidCase,
    answer_objection,
    cancel_case,
    pay_case,
    reverse_case_payment,
    sign_case,
    signatures_required,
)
from ledger.domain.context import Context
from ledger.domain.errors import LedgerError
from ledger.domain.fund import Fund
from tests.domain.builders import TODAY, a_fund, ctx, given_cashier, given_donation

BENEFICIARY = "person-beneficiary"
APPLICANT = "person-applicant"
SIGNER_1 = "person-signer-1"
SIGNER_2 = "person-signer-2"
CASHIER = "person-cashier"


def as_person(person: str, today: date = TODAY) -> Context:
    return Context(recorded_by=f"user-of-{person}", today=today, acting_person=person)


def funded(balance_fen: int = 300_000, **policy: object) -> Fund:
    fund = a_fund(kind="mutual_aid", policy=policy or None)
    given_donation(fund, balance_fen, date(2025, 1, 2))
    return fund


def a_case(fund: Fund, requested_fen: int = 40_000, **changes: object) -> AidCase:
    fields = {
        "beneficiary_person_id": BENEFICIARY,
        "applicant_person_id": APPLICANT,
        "aid_kind": "hospitalisation",
        "requested_fen": requested_fen,
        "reason_private": "住院手术，自付部分较多",
        "reason_public_category": "慰问因病住院党员",
        "publicity_consent": False,
        "evidence_refs": ["住院发票-001"],
        **changes,
    }
    return AidCase.apply_for(ctx(), fund=fund, **fields)


def signed(fund: Fund, case: AidCase, *signers: str, today: date = TODAY, **kwargs: object) -> None:
    for signer in signers:
        sign_case(as_person(signer, today), case, fund, holds_approver_role=True, **kwargs)


def drain(*aggregates: object) -> None:
    for aggregate in aggregates:
        aggregate.collect_events()


def refused(code: str, call, *aggregates) -> None:
    with pytest.raises(LedgerError) as excinfo:
        call()
    assert excinfo.value.code == code
    for aggregate in aggregates:
        assert aggregate.collect_events() == []


# --- thresholds (R18) ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount_fen", "needed"),
    [(50_000, (1, False)), (50_001, (2, False)), (200_000, (2, False)), (200_001, (2, True))],
)
def test_signatures_required_follow_the_default_thresholds_of_design_section_9(amount_fen, needed):
    fund = a_fund()

    assert signatures_required(fund.policy, amount_fen) == needed


def test_application_records_the_private_reason_and_the_signatures_its_amount_needs():
    fund = funded()
    drain(fund)

    case = a_case(fund, requested_fen=80_000)

    [applied] = case.collect_events()
    assert isinstance(applied, AidCase.Created)
    assert applied.reason_private == "住院手术，自付部分较多"
    assert (applied.signatures_required, applied.decision_required) == (2, False)
    assert case.status == "applied"


# --- the charter's standard range per kind of aid (R20) ------------------------------------------
HOSPITAL_STANDARD = [{"aid_kind": "hospitalisation", "min_fen": 20_000, "max_fen": 50_000}]


@pytest.mark.parametrize(
    ("aid_kind", "amount_fen", "decision_required"),
    [
        ("hospitalisation", 20_000, False),  # the bounds are inside the standard
        ("hospitalisation", 50_000, False),
        ("hospitalisation", 19_999, True),  # below it: a decision too
        ("hospitalisation", 50_001, True),
        ("bereavement", 50_001, False),  # a kind without a standard
    ],
)
def test_aid_outside_the_charters_standard_range_needs_a_decision_reference(
    aid_kind, amount_fen, decision_required
):
    fund = funded(aid_standards=HOSPITAL_STANDARD)
    drain(fund)

    case = a_case(fund, requested_fen=amount_fen, aid_kind=aid_kind)

    [applied] = case.collect_events()
    assert applied.decision_required is decision_required
    assert applied.signatures_required == signatures_required(fund.policy, amount_fen)[0]  # R18 as before


def test_aid_above_the_standard_is_approved_only_with_a_decision_reference():
    fund = funded(aid_standards=HOSPITAL_STANDARD)
    case = a_case(fund, requested_fen=55_001)  # above 500.00: two signatures; above the standard too
    signed(fund, case, SIGNER_1)
    drain(fund, case)

    refused("aid_decision_reference_required", lambda: signed(fund, case, SIGNER_2), case, fund)
    signed(fund, case, SIGNER_2, decision_ref="支委会纪要-超标准救助")
    assert case.status == "approved" and case.decision_ref == "支委会纪要-超标准救助"


@pytest.mark.parametrize(
    "standards",
    [
        [{"aid_kind": "loan", "min_fen": 0, "max_fen": 1}],
        [{"aid_kind": "disaster", "min_fen": 500, "max_fen": 100}],
        [{"aid_kind": "disaster", "min_fen": -1, "max_fen": 100}],
        [{"aid_kind": "disaster", "min_fen": 1.5, "max_fen": 100}],
        [{"aid_kind": "disaster", "min_fen": 0}],
        [
            {"aid_kind": "disaster", "min_fen": 0, "max_fen": 1},
            {"aid_kind": "disaster", "min_fen": 0, "max_fen": 2},
        ],
        {"aid_kind": "disaster", "min_fen": 0, "max_fen": 1},
    ],
)
def test_a_charter_with_malformed_aid_standards_is_refused_with_value_not_allowed(standards):
    with pytest.raises(LedgerError) as excinfo:
        a_fund(kind="mutual_aid", policy={"aid_standards": standards})

    assert excinfo.value.code == "value_not_allowed"
    assert str(excinfo.value.details["field"]).startswith("policy.aid_standards")


def test_application_is_refused_with_value_not_allowed_when_the_aid_kind_is_unknown():
    fund = funded()

    with pytest.raises(LedgerError) as excinfo:
        a_case(fund, aid_kind="loan")

    assert excinfo.value.code == "value_not_allowed"


# --- signing, approval and the reservation ------------------------------------------------------
def test_one_signature_approves_a_small_case_and_reserves_its_amount_in_the_fund():
    fund = funded(balance_fen=100_000)
    case = a_case(fund, requested_fen=40_000)
    drain(fund, case)

    signed(fund, case, SIGNER_1)

    assert [type(e) for e in case.collect_events()] == [
        AidCase.Signed,
        AidCase.Approved,
        AidCase.NoticePosted,
    ]
    [reserved] = fund.collect_events()
    assert isinstance(reserved, Fund.AidReserved)
    assert (fund.reserved_fen, fund.available_fen) == (40_000, 60_000)


def test_a_case_above_500_yuan_is_approved_only_by_the_second_signature():
    fund = funded()
    case = a_case(fund, requested_fen=80_000)
    signed(fund, case, SIGNER_1)
    drain(fund, case)
    assert case.status == "applied"

    signed(fund, case, SIGNER_2)

    assert case.status == "approved"
    assert fund.reserved_fen == 80_000


def test_the_notice_window_runs_for_the_policy_posting_days_from_the_approval_date():
    fund = funded()
    case = a_case(fund)
    drain(fund, case)

    signed(fund, case, SIGNER_1)

    notice = next(e for e in case.collect_events() if isinstance(e, AidCase.NoticePosted))
    assert (notice.window_start, notice.window_end) == (TODAY, TODAY + timedelta(days=6))


def test_no_notice_is_posted_when_the_fund_policy_does_not_publicise_first():
    fund = funded(publicise_aid_first=False)
    case = a_case(fund)
    drain(fund, case)

    signed(fund, case, SIGNER_1)

    assert not any(isinstance(e, AidCase.NoticePosted) for e in case.collect_events())
    assert case.window_end is None


def test_signing_is_refused_with_aid_signer_not_approver_when_the_signer_lacks_the_role():
    fund = funded()
    case = a_case(fund)
    drain(fund, case)

    refused(
        "aid_signer_not_approver",
        lambda: sign_case(as_person(SIGNER_1), case, fund, holds_approver_role=False),
        case,
        fund,
    )


@pytest.mark.parametrize(
    ("signer", "code"),
    [(BENEFICIARY, "aid_signer_is_beneficiary"), (APPLICANT, "aid_signer_is_applicant")],
)
def test_signing_is_refused_when_the_signer_is_the_beneficiary_or_the_applicant(signer, code):
    fund = funded()
    case = a_case(fund)
    drain(fund, case)

    refused(code, lambda: sign_case(as_person(signer), case, fund, holds_approver_role=True), case, fund)


def test_signing_is_refused_with_aid_already_signed_when_the_same_person_signs_twice():
    fund = funded()
    case = a_case(fund, requested_fen=80_000)
    signed(fund, case, SIGNER_1)
    drain(fund, case)

    refused("aid_already_signed", lambda: signed(fund, case, SIGNER_1), case, fund)


def test_the_last_signature_above_2000_yuan_is_refused_without_a_collective_decision_reference():
    fund = funded()
    case = a_case(fund, requested_fen=250_000)
    signed(fund, case, SIGNER_1)
    drain(fund, case)

    refused("aid_decision_reference_required", lambda: signed(fund, case, SIGNER_2), case, fund)


def test_a_case_above_2000_yuan_is_approved_with_the_decision_reference_of_a_signature():
    fund = funded()
    case = a_case(fund, requested_fen=250_000)
    signed(fund, case, SIGNER_1, decision_ref="社区党委会议纪要2025-01")
    drain(fund, case)

    signed(fund, case, SIGNER_2)

    approved = next(e for e in case.collect_events() if isinstance(e, AidCase.Approved))
    assert approved.decision_ref == "社区党委会议纪要2025-01"
    assert approved.signed_by == [SIGNER_1, SIGNER_2]


def test_approval_is_refused_with_aid_reservation_exceeds_available_when_money_is_already_reserved():
    fund = funded(balance_fen=60_000)
    first = a_case(fund, requested_fen=40_000)
    signed(fund, first, SIGNER_1)
    second = a_case(fund, requested_fen=30_000)
    drain(fund, first, second)

    refused("aid_reservation_exceeds_available", lambda: signed(fund, second, SIGNER_1), second, fund)
    assert fund.available_fen == 20_000


def test_signing_is_refused_with_aid_case_not_awaiting_signatures_once_approved():
    fund = funded()
    case = a_case(fund)
    signed(fund, case, SIGNER_1)
    drain(fund, case)

    refused("aid_case_not_awaiting_signatures", lambda: signed(fund, case, SIGNER_2), case, fund)


# --- payment (R19, R17) -------------------------------------------------------------------------
def approved_case(fund: Fund, requested_fen: int = 40_000) -> AidCase:
    case = a_case(fund, requested_fen=requested_fen)
    signed(fund, case, SIGNER_1)
    return case


def pay(case: AidCase, fund: Fund, paid_on: date, payer: str = CASHIER, today: date | None = None):
    return pay_case(as_person(payer, today or paid_on), case, fund, paid_on=paid_on, doc_refs=["签收单-001"])


def test_payment_after_the_window_consumes_the_reservation_and_saves_fund_and_case_events():
    fund = funded(balance_fen=100_000)
    given_cashier(fund, CASHIER)
    case = approved_case(fund)
    drain(fund, case)
    after_window = TODAY + timedelta(days=7)

    voucher = pay(case, fund, after_window)

    [paid_voucher] = fund.collect_events()
    assert isinstance(paid_voucher, Fund.AidPaid)
    assert (paid_voucher.amount_fen, paid_voucher.approved_by) == (40_000, [SIGNER_1])
    [paid] = case.collect_events()
    assert (paid.voucher_no, case.status) == (voucher, "paid")
    assert (fund.balance_fen, fund.reserved_fen, fund.available_fen) == (60_000, 0, 60_000)


def test_payment_is_refused_with_aid_notice_window_open_on_the_last_day_of_the_window():
    fund = funded()
    case = approved_case(fund)
    drain(fund, case)
    last_day = TODAY + timedelta(days=6)

    refused("aid_notice_window_open", lambda: pay(case, fund, last_day), case, fund)


def test_payment_is_refused_with_aid_objection_unanswered_while_an_objection_is_open():
    fund = funded()
    case = approved_case(fund)
    case.raise_objection(ctx(), text="受助人家庭条件较好", anonymous=True)
    drain(fund, case)

    refused("aid_objection_unanswered", lambda: pay(case, fund, TODAY + timedelta(days=8)), case, fund)


def test_payment_is_refused_with_aid_case_not_approved_before_the_signatures_are_complete():
    fund = funded()
    case = a_case(fund, requested_fen=80_000)
    signed(fund, case, SIGNER_1)
    drain(fund, case)

    refused("aid_case_not_approved", lambda: pay(case, fund, TODAY + timedelta(days=8)), case, fund)


@pytest.mark.parametrize(
    ("payer", "code"), [(SIGNER_1, "aid_payer_is_signer"), (BENEFICIARY, "aid_payer_is_beneficiary")]
)
def test_payment_is_refused_when_the_payer_signed_the_case_or_is_the_beneficiary(payer, code):
    fund = funded()
    case = approved_case(fund)
    drain(fund, case)

    refused(code, lambda: pay(case, fund, TODAY + timedelta(days=8), payer=payer), case, fund)


def test_the_fund_alone_refuses_to_reverse_an_aid_payment_with_aid_payment_not_reversible():
    """Only with its case (ADR 0033): the case would otherwise still say "paid"."""
    fund = funded()
    case = approved_case(fund)
    paid_on = TODAY + timedelta(days=8)
    voucher = pay(case, fund, paid_on)
    drain(fund, case)

    refused(
        "aid_payment_not_reversible",
        lambda: fund.reverse_entry(ctx(today=paid_on), voucher_no=voucher, occurred_on=paid_on, reason="x"),
        fund,
    )


# --- reversing a payment (R5, R7, ADR 0033) ---------------------------------------------------------
def paid_case(fund: Fund, paid_on: date = TODAY + timedelta(days=8)) -> tuple[AidCase, str]:
    given_cashier(fund, CASHIER)
    case = approved_case(fund)
    return case, pay(case, fund, paid_on)


def reverse(case: AidCase, fund: Fund, voucher: str, on: date, actor: str = "person-bookkeeper") -> str:
    return reverse_case_payment(
        as_person(actor, on), case, fund, voucher_no=voucher, occurred_on=on, reason="金额错付"
    )


def test_reversing_a_payment_negates_it_reserves_its_amount_again_and_approves_the_case_again():
    fund = funded(balance_fen=100_000)
    case, voucher = paid_case(fund)
    drain(fund, case)
    on = TODAY + timedelta(days=9)

    reversal = reverse(case, fund, voucher, on)

    [reversed_, reserved] = fund.collect_events()
    assert isinstance(reversed_, Fund.EntryReversed) and isinstance(reserved, Fund.AidReserved)
    assert (reversed_.reverses_voucher_no, reversed_.amount_fen, reversed_.occurred_on) == (
        voucher,
        40_000,
        on,
    )
    assert reversed_.postings() == [(on.isoformat(), "cash", 40_000)]
    assert (reserved.case_id, reserved.amount_fen, reserved.reserved_on) == (str(case.id), 40_000, on)
    [event] = case.collect_events()
    assert isinstance(event, AidCase.PaymentReversed)
    assert (event.voucher_no, event.reversal_voucher_no, event.amount_fen) == (voucher, reversal, 40_000)
    assert (event.reason, event.reversed_by, event.reversed_on) == ("金额错付", "person-bookkeeper", on)
    assert (case.status, case.voucher_no) == ("approved", None)
    assert (fund.balance_fen, fund.reserved_fen, fund.available_fen) == (100_000, 40_000, 60_000)
    assert fund.period_totals["2025-01"][1] == 0  # the payment and its red-ink line cancel


def test_a_case_whose_payment_was_reversed_is_paid_again_from_its_new_reservation():
    fund = funded(balance_fen=100_000)
    case, voucher = paid_case(fund)
    reverse(case, fund, voucher, TODAY + timedelta(days=9))
    drain(fund, case)

    again = pay(case, fund, TODAY + timedelta(days=10))

    assert again != voucher and case.voucher_no == again and case.status == "paid"
    assert (fund.balance_fen, fund.reserved_fen) == (60_000, 0)


def test_a_case_whose_payment_was_reversed_can_be_cancelled_releasing_its_reservation():
    fund = funded(balance_fen=100_000)
    case, voucher = paid_case(fund)
    reverse(case, fund, voucher, TODAY + timedelta(days=9))
    drain(fund, case)

    cancel_case(as_person(SIGNER_1, TODAY + timedelta(days=9)), case, fund, reason="重复申请")

    assert case.status == "cancelled"
    assert (fund.balance_fen, fund.reserved_fen) == (100_000, 0)


def test_a_reversed_payment_is_refused_a_second_reversal_with_voucher_already_reversed():
    fund = funded(balance_fen=100_000)
    case, voucher = paid_case(fund)
    reverse(case, fund, voucher, TODAY + timedelta(days=9))
    again = pay(case, fund, TODAY + timedelta(days=10))
    drain(fund, case)

    on = TODAY + timedelta(days=11)
    refused(
        "voucher_already_reversed",
        lambda: fund.reverse_entry(
            as_person("person-bookkeeper", on),
            voucher_no=voucher,
            occurred_on=on,
            reason="x",
            aid_case_id=str(case.id),
        ),
        fund,
    )
    assert case.voucher_no == again


def test_the_cashier_who_paid_is_refused_the_reversal_with_cashier_cannot_post_entries():
    """R16: the red-ink line corrects the expense books, which the cashier does not keep."""
    fund = funded(balance_fen=100_000)
    case, voucher = paid_case(fund)
    drain(fund, case)

    refused(
        "cashier_cannot_post_entries",
        lambda: reverse(case, fund, voucher, TODAY + timedelta(days=9), actor=CASHIER),
        fund,
        case,
    )
    assert case.status == "paid"


# --- rejection and cancellation -----------------------------------------------------------------
def test_rejection_by_an_approver_closes_an_applied_case_without_touching_the_fund():
    fund = funded()
    case = a_case(fund)
    drain(fund, case)

    case.reject(as_person(SIGNER_1), holds_approver_role=True, reason="不符合救助条件")

    [rejected] = case.collect_events()
    assert isinstance(rejected, AidCase.Rejected)
    assert case.status == "rejected"
    assert fund.collect_events() == []


def test_cancelling_an_approved_case_releases_its_reservation():
    fund = funded(balance_fen=100_000)
    case = approved_case(fund)
    drain(fund, case)

    cancel_case(as_person(SIGNER_1), case, fund, reason="申请人撤回")

    [released] = fund.collect_events()
    assert isinstance(released, Fund.AidReleased)
    assert (fund.reserved_fen, fund.available_fen, case.status) == (0, 100_000, "cancelled")


def test_cancelling_is_refused_with_aid_case_closed_once_the_case_is_paid():
    fund = funded()
    case = approved_case(fund)
    pay(case, fund, TODAY + timedelta(days=8))
    drain(fund, case)

    refused("aid_case_closed", lambda: cancel_case(as_person(SIGNER_1), case, fund, reason="x"), case, fund)


# --- objections (R36) ---------------------------------------------------------------------------
def test_an_anonymous_objection_stores_no_identity():
    fund = funded()
    case = approved_case(fund)
    drain(fund, case)

    case.raise_objection(as_person("person-neighbour"), text="情况不实", anonymous=True)

    [raised] = case.collect_events()
    assert raised.raised_by is None
    assert "person-neighbour" not in repr(raised.__dict__)


def test_a_named_objection_records_who_raised_it():
    fund = funded()
    case = approved_case(fund)
    drain(fund, case)

    case.raise_objection(as_person("person-neighbour"), text="情况不实", anonymous=False)

    [raised] = case.collect_events()
    assert raised.raised_by == "person-neighbour"


def test_an_upheld_objection_cancels_the_case_and_releases_the_reservation():
    fund = funded(balance_fen=100_000)
    case = approved_case(fund)
    number = case.raise_objection(ctx(), text="情况不实", anonymous=True)
    drain(fund, case)

    answer_objection(
        as_person(SIGNER_2),
        case,
        fund,
        holds_approver_role=True,
        objection_no=number,
        outcome="upheld",
        answer="经核实情况属实，撤销申请",
    )

    assert [type(e) for e in case.collect_events()] == [AidCase.ObjectionAnswered, AidCase.Cancelled]
    assert (case.status, fund.reserved_fen) == ("cancelled", 0)


def test_a_dismissed_objection_lets_the_case_be_paid_after_the_window():
    fund = funded()
    case = approved_case(fund)
    number = case.raise_objection(ctx(), text="情况不实", anonymous=True)
    answer_objection(
        as_person(SIGNER_2),
        case,
        fund,
        holds_approver_role=True,
        objection_no=number,
        outcome="dismissed",
        answer="经核实，符合条件",
    )
    drain(fund, case)

    pay(case, fund, TODAY + timedelta(days=8))

    assert case.status == "paid"


def test_answering_is_refused_with_objection_answerer_not_approver_without_the_role():
    fund = funded()
    case = approved_case(fund)
    number = case.raise_objection(ctx(), text="情况不实", anonymous=True)
    drain(fund, case)

    refused(
        "objection_answerer_not_approver",
        lambda: answer_objection(
            as_person(SIGNER_2),
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


@pytest.mark.parametrize(
    ("number", "code"), [("9", "objection_not_found"), ("1", "objection_already_answered")]
)
def test_answering_is_refused_for_an_unknown_or_already_answered_objection(number, code):
    fund = funded()
    case = approved_case(fund)
    first = case.raise_objection(ctx(), text="情况不实", anonymous=True)
    answer_objection(
        as_person(SIGNER_2),
        case,
        fund,
        holds_approver_role=True,
        objection_no=first,
        outcome="partly_upheld",
        answer="部分属实，已核减",
    )
    drain(fund, case)

    refused(
        code,
        lambda: answer_objection(
            as_person(SIGNER_2),
            case,
            fund,
            holds_approver_role=True,
            objection_no=number,
            outcome="dismissed",
            answer="x",
        ),
        case,
        fund,
    )


def test_an_objection_is_refused_with_aid_case_closed_on_a_paid_case():
    fund = funded()
    case = approved_case(fund)
    pay(case, fund, TODAY + timedelta(days=8))
    drain(fund, case)

    refused("aid_case_closed", lambda: case.raise_objection(ctx(), text="x", anonymous=True), case)


def test_a_fund_restored_from_a_snapshot_older_than_aid_cases_and_collections_starts_their_state_empty():
    fund = funded(balance_fen=100_000)
    for name in ("reservations", "fees", "settled", "collection_closed", "receipts_fen"):
        del fund.__dict__[name]  # what a snapshot taken before this state existed restores
    case = a_case(fund)

    signed(fund, case, SIGNER_1)

    assert (fund.reserved_fen, fund.reservations, fund.settled) == (40_000, {str(case.id): 40_000}, False)
    with pytest.raises(AttributeError):
        _ = fund.no_such_state

"""Objections on a voucher (R36): raised by anyone or anonymously (no identity stored), answered
once by an approver — given/when/then naming the error codes."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.context import Context
from ledger.domain.errors import LedgerError
from ledger.domain.objection import VoucherObjection
from tests.domain.builders import a_fund, ctx, given_donation


def as_person(person: str) -> Context:
    return Context(recorded_by=f"user-of-{person}", today=date(2025, 1, 10), acting_person=person)


def a_voucher():
    fund = a_fund()
    return fund, given_donation(fund, 10_000, date(2025, 1, 5))


def test_an_anonymous_objection_to_a_voucher_stores_no_identity():
    fund, voucher = a_voucher()

    objection = VoucherObjection.raise_on(
        as_person("person-neighbour"), fund=fund, voucher_no=voucher, text="金额不对", anonymous=True
    )

    [raised] = objection.collect_events()
    assert (raised.voucher_no, raised.raised_by) == (voucher, None)
    assert "person-neighbour" not in repr(raised.__dict__)


def test_an_objection_to_an_unknown_voucher_is_refused_with_voucher_not_found():
    fund, _ = a_voucher()

    with pytest.raises(LedgerError) as excinfo:
        VoucherObjection.raise_on(ctx(), fund=fund, voucher_no="202501-099", text="x", anonymous=False)

    assert excinfo.value.code == "voucher_not_found"


def test_an_approver_answers_once_and_a_second_answer_is_refused_with_objection_already_answered():
    fund, voucher = a_voucher()
    objection = VoucherObjection.raise_on(
        ctx(), fund=fund, voucher_no=voucher, text="金额不对", anonymous=False
    )
    objection.answer(
        as_person("person-approver"), holds_approver_role=True, outcome="upheld", answer="已红字冲销"
    )
    objection.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        objection.answer(
            as_person("person-approver"), holds_approver_role=True, outcome="dismissed", answer="x"
        )

    assert excinfo.value.code == "objection_already_answered"
    assert objection.outcome == "upheld"


def test_an_answer_without_the_approver_role_is_refused_with_objection_answerer_not_approver():
    fund, voucher = a_voucher()
    objection = VoucherObjection.raise_on(
        ctx(), fund=fund, voucher_no=voucher, text="金额不对", anonymous=False
    )
    objection.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        objection.answer(ctx(), holds_approver_role=False, outcome="dismissed", answer="x")

    assert excinfo.value.code == "objection_answerer_not_approver"
    assert objection.collect_events() == []

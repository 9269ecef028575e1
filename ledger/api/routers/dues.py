"""A branch's Party dues on their way up (issue 21 item 3, ADR 0160): the rate table and the
rebate share, members' bases, dues paid, hand-ups and rebates.

Writes need a bookkeeper of the branch (or above). A member's base and dues are private: the
whole book is read by the branch's officers (``BOOK_ROLES`` of the branch or above); a member
reads their own at ``GET /members/{person_id}/dues``; anyone who reads the branch (a member of
it too) reads its totals, which name no one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.routers.common import BOOK_ROLES, READ_ROLES, answer, require_any, require_may_see_person
from ledger.api.schemas import Recorded, money
from ledger.api.schemas_dues import (
    DuesBaseCreate,
    DuesBookPublic,
    DuesHandUpCreate,
    DuesPaymentCreate,
    DuesRebateCreate,
    DuesReversalCreate,
    DuesSettingsCreate,
    DuesTotalsPublic,
    MemberDuesPublic,
)
from ledger.application import Ledger
from ledger.domain import errors
from ledger.exports import dues_sheet
from ledger.projections import dues_queries

router = APIRouter(tags=["dues"])
BRANCH = "/organisations/{org_id}/dues"


def _write(ledger: Ledger, user: Any, org_id: str) -> str:
    org = str(ledger.organisation(org_id).id)
    require_any(ledger, user, ("bookkeeper",), org)
    return org


@router.post(f"{BRANCH}/settings", status_code=201, response_model=Recorded)
def configure_dues(
    org_id: str,
    body: DuesSettingsCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """From a month: the branch's rate table (none: the dated default) and the rebate share."""
    org = _write(ledger, user, org_id)
    recorded = ledger.configure_dues(org, actor=str(user.id), request_id=idempotency_key, **body.model_dump())
    return answer(request, response, recorded)


@router.post(f"{BRANCH}/bases", status_code=201, response_model=Recorded)
def declare_dues_base(
    org_id: str,
    body: DuesBaseCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """A member's category and monthly base (or fixed amount) from a month; the answer gives the
    standard it makes."""
    org = _write(ledger, user, org_id)
    fields = body.model_dump()
    fields["base_fen"], fields["fixed_fen"] = fields.pop("base"), fields.pop("fixed")
    recorded = ledger.declare_dues_base(org, actor=str(user.id), request_id=idempotency_key, **fields)
    return answer(request, response, recorded)


@router.post(f"{BRANCH}/payments", status_code=201, response_model=Recorded)
def pay_dues(
    org_id: str,
    body: DuesPaymentCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Dues paid by a member for one or more months: the amount as paid, the standard beside it."""
    org = _write(ledger, user, org_id)
    fields = body.model_dump()
    fields["amount_fen"] = fields.pop("amount")
    recorded = ledger.pay_dues(org, actor=str(user.id), request_id=idempotency_key, **fields)
    return answer(request, response, recorded)


@router.post(f"{BRANCH}/payments/{{payment_no}}/reversal", status_code=201, response_model=Recorded)
def reverse_dues_payment(
    org_id: str,
    payment_no: str,
    body: DuesReversalCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """A mistaken payment, while still held: after its hand-up it stays."""
    org = _write(ledger, user, org_id)
    recorded = ledger.reverse_dues_payment(
        org, actor=str(user.id), request_id=idempotency_key, payment_no=payment_no, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post(f"{BRANCH}/hand-ups", status_code=201, response_model=Recorded)
def hand_up_dues(
    org_id: str,
    body: DuesHandUpCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Everything held, handed up: the clearing balance is zero after it."""
    org = _write(ledger, user, org_id)
    fields = body.model_dump()
    fields["amount_fen"] = fields.pop("amount")
    recorded = ledger.hand_up_dues(org, actor=str(user.id), request_id=idempotency_key, **fields)
    return answer(request, response, recorded)


@router.post(f"{BRANCH}/rebates", status_code=201, response_model=Recorded)
def receive_dues_rebate(
    org_id: str,
    body: DuesRebateCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """The rebate received; a difference from the configured share comes back as a warning."""
    org = _write(ledger, user, org_id)
    fields = body.model_dump()
    fields["amount_fen"] = fields.pop("amount")
    recorded = ledger.receive_dues_rebate(org, actor=str(user.id), request_id=idempotency_key, **fields)
    return answer(request, response, recorded)


@router.get(BRANCH, response_model=DuesBookPublic)
def dues_book(org_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> dict[str, Any]:
    """The branch's whole book, for its officers: bases with their standard, payments beside
    their standard, months paid, hand-ups, rebates with their check."""
    org = str(ledger.organisation(org_id).id)
    require_any(ledger, user, BOOK_ROLES, org)
    book = ledger.dues_book(org)
    return {
        "totals": totals_of(views, org),
        "bases": [_base(b, book) for b in dues_queries.bases(views, org)],
        "payments": [payment_row(p) for p in dues_queries.payments(views, org)],
        "months": [month_row(m) for m in dues_queries.months(views, org)],
        "handups": [{**vars(h), "amount": money(h.amount_fen)} for h in dues_queries.handups(views, org)],
        "rebates": [_rebate(r) for r in dues_queries.rebates(views, org)],
    }


@router.get(f"{BRANCH}/payments.csv", response_class=Response)
def dues_payments_csv(org_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> Response:
    """The branch's payments as CSV for its officers (members by masked name, no formula cells)."""
    org = str(ledger.organisation(org_id).id)
    require_any(ledger, user, BOOK_ROLES, org)
    payments = dues_queries.payments(views, org)
    names = dues_queries.member_masks(views, org)
    headers = {"Content-Disposition": 'attachment; filename="dues-payments.csv"'}
    return Response(
        dues_sheet.payments_csv(payments, names), media_type="text/csv; charset=utf-8", headers=headers
    )


@router.get(f"{BRANCH}/totals", response_model=DuesTotalsPublic)
def dues_totals(org_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> dict[str, Any]:
    """The branch's figures, naming no one: for anyone who reads the branch."""
    org = str(ledger.organisation(org_id).id)
    require_any(ledger, user, READ_ROLES, org)
    return totals_of(views, org)


@router.get("/members/{person_id}/dues", response_model=MemberDuesPublic)
def member_dues(person_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> dict[str, Any]:
    """A member's own dues history, in every branch they paid in; an officer sees the rows of the
    branches of their subtree, as for ``GET /members/{person_id}``."""
    person = str(ledger.person(person_id).id)
    scope = require_may_see_person(views, user, person)
    return {
        "person_id": person,
        "payments": [
            payment_row(p) for p in dues_queries.payments(views, None, person) if scope.shows(p.org_id)
        ],
        "months": [month_row(m) for m in dues_queries.months(views, None, person) if scope.shows(m.org_id)],
    }


def totals_of(views: Any, org: str) -> dict[str, Any]:
    t = dues_queries.totals(views, org)
    return {
        "org_id": org,
        "collected": money(t.collected_fen),
        "handed_up": money(t.handed_up_fen),
        "held": money(t.held_fen),
        "rebates": money(t.rebate_fen),
        "months": [{**vars(m), "standard": money(m.standard_fen)} for m in t.months],
    }


def payment_row(p: dues_queries.Payment) -> dict[str, Any]:
    return {
        **vars(p),
        "months": list(p.months),
        "amount": money(p.amount_fen),
        "standard": money(p.standard_fen),
        "difference": money(p.difference_fen),
    }


def month_row(m: dues_queries.Month) -> dict[str, Any]:
    return {**vars(m), "standard": money(m.standard_fen)}


def _base(b: dues_queries.Base, book: Any) -> dict[str, Any]:
    try:
        standard = None if book is None else money(book.standard_of(b.person_id, b.from_month))
    except errors.LedgerError:  # a category the table in force no longer has: shown without
        standard = None
    return {
        **vars(b),
        "base": None if b.base_fen is None else money(b.base_fen),
        "fixed": None if b.fixed_fen is None else money(b.fixed_fen),
        "standard": standard,
    }


def _rebate(r: dues_queries.Rebate) -> dict[str, Any]:
    return {
        **vars(r),
        "amount": money(r.amount_fen),
        "handed_up": money(r.handed_up_fen),
        "expected": money(r.expected_fen),
        "difference": money(r.difference_fen),
        "warning": r.warning,
    }

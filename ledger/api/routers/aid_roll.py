"""The mutual-aid association's roll (issue 21 item 1, ADR 0130): enrol and leave, the
charter's yearly contribution, hardship waivers, contributions paid by donation; each member's
status per year and who is behind (internal); the counts the public may see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.inputs import Day
from ledger.api.routers.common import BOOK_ROLES, answer, fund_owner, require_any
from ledger.api.schemas import Recorded, money
from ledger.api.schemas_roll import (
    RollBehindPublic,
    RollContributionCreate,
    RollCountsPublic,
    RollEnrolCreate,
    RollLeaveCreate,
    RollPaymentCreate,
    RollPublic,
    RollWaiverCreate,
)
from ledger.projections import roll

router = APIRouter(prefix="/funds/{fund_id}/roll", tags=["roll"])


@router.post("/contributions", status_code=201, response_model=Recorded)
def set_contribution(
    fund_id: str,
    body: RollContributionCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """The charter's yearly contribution (bookkeeper of the fund's organisation)."""
    require_any(ledger, user, ("bookkeeper",), fund_owner(ledger, fund_id))
    fields = body.model_dump()
    fields["amount_fen"] = fields.pop("amount")
    recorded = ledger.set_roll_contribution(fund_id, actor=str(user.id), request_id=idempotency_key, **fields)
    return answer(request, response, recorded)


@router.post("/members", status_code=201, response_model=Recorded)
def enrol(
    fund_id: str,
    body: RollEnrolCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    require_any(ledger, user, ("bookkeeper",), fund_owner(ledger, fund_id))
    fields = body.model_dump()
    recorded = ledger.enrol_in_roll(fund_id, actor=str(user.id), request_id=idempotency_key, **fields)
    return answer(request, response, recorded)


@router.post("/members/{person_id}/leave", status_code=201, response_model=Recorded)
def leave(
    fund_id: str,
    person_id: str,
    body: RollLeaveCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    require_any(ledger, user, ("bookkeeper",), fund_owner(ledger, fund_id))
    recorded = ledger.leave_roll(
        fund_id, actor=str(user.id), request_id=idempotency_key, person_id=person_id, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/members/{person_id}/waivers", status_code=201, response_model=Recorded)
def waive(
    fund_id: str,
    person_id: str,
    body: RollWaiverCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """A hardship waiver approved by the caller: an approver of the fund's organisation or above
    (``roll_waiver_needs_approver`` otherwise), never for their own contribution."""
    recorded = ledger.waive_roll_contribution(
        fund_id, actor=str(user.id), request_id=idempotency_key, person_id=person_id, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/members/{person_id}/payments", status_code=201, response_model=Recorded)
def pay(
    fund_id: str,
    person_id: str,
    body: RollPaymentCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """The member's donation, recorded on the fund and counted towards the year: one voucher."""
    require_any(ledger, user, ("bookkeeper",), fund_owner(ledger, fund_id))
    fields = body.model_dump()
    fields["amount_fen"] = fields.pop("amount")
    recorded = ledger.pay_roll_contribution(
        fund_id, actor=str(user.id), request_id=idempotency_key, person_id=person_id, **fields
    )
    return answer(request, response, recorded)


def _status(s: roll.RollStatus) -> dict[str, Any]:
    return {
        "person_id": s.person_id,
        "name_zh": s.name_zh,
        "year": s.year,
        "due_on": s.due_on,
        "status": s.status,
        "amount": money(s.amount_fen),
        "paid": money(s.paid_fen),
        "outstanding": money(s.outstanding_fen),
        "vouchers": list(s.vouchers),
        "waived_by": s.waived_by,
    }


@router.get("", response_model=RollPublic)
def roll_of(
    fund_id: str,
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
    as_of: Day,
    year: int | None = Query(default=None, ge=1949, le=2999),
) -> dict[str, Any]:
    """Internal (book roles): the members on the roll on ``as_of``, and each member's status for
    ``year`` (default: the year of ``as_of``) with the vouchers that paid it."""
    require_any(ledger, user, BOOK_ROLES, fund_owner(ledger, fund_id))
    fund = str(ledger.fund(fund_id).id)
    shown_year = year if year is not None else as_of.year
    return {
        "fund_id": fund,
        "as_of": as_of.isoformat(),
        "year": shown_year,
        "members": [vars(m) for m in roll.members_on(views, fund, as_of)],
        "statuses": [_status(s) for s in roll.statuses(views, fund, shown_year)],
    }


@router.get("/behind", response_model=RollBehindPublic)
def behind(fund_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser, as_of: Day) -> dict[str, Any]:
    """Internal (book roles): every contribution owed past its due date on ``as_of``."""
    require_any(ledger, user, BOOK_ROLES, fund_owner(ledger, fund_id))
    fund = str(ledger.fund(fund_id).id)
    return {
        "fund_id": fund,
        "as_of": as_of.isoformat(),
        "data": [_status(s) for s in roll.behind(views, fund, as_of)],
    }


@router.get("/counts", response_model=RollCountsPublic)
def counts(fund_id: str, ledger: LedgerDep, views: ViewsDep) -> dict[str, Any]:
    """Public, no sign-in: members on the roll today and members paid this year — counts only,
    never a name (what the board may show)."""
    fund = str(ledger.fund(fund_id).id)
    found = roll.counts(views, fund, ledger.today())
    return {
        "fund_id": fund,
        "year": found.year,
        "members": found.members,
        "paid_this_year": found.paid_this_year,
    }

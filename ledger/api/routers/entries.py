"""Money in and out of a fund, transfers between funds, reversals and period closes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep
from ledger.api.routers.common import answer, fund_owner, require_any
from ledger.api.schemas import (
    CashMoveCreate,
    DonationCreate,
    ExpenseCreate,
    GrantCreate,
    InterestCreate,
    PeriodClose,
    Recorded,
    ReversalCreate,
    StipendCreate,
    TransferBetweenFundsCreate,
)

router = APIRouter(prefix="/funds", tags=["entries"])


def _record(
    command: str,
    fund_id: str,
    fields: dict[str, Any],
    request: Request,
    response: Response,
    ledger: Any,
    user: Any,
    key: str | None,
    roles: tuple[str, ...] = ("bookkeeper",),
) -> dict[str, Any]:
    require_any(ledger, user, roles, fund_owner(ledger, fund_id))
    if "amount" in fields:
        fields["amount_fen"] = fields.pop("amount")
    recorded = ledger.record(fund_id, command, actor=str(user.id), request_id=key, **fields)
    return answer(request, response, recorded)


@router.post("/{fund_id}/donations", status_code=201, response_model=Recorded)
def record_donation(
    fund_id: str,
    body: DonationCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _record(
        "receive_donation", fund_id, body.model_dump(), request, response, ledger, user, idempotency_key
    )


@router.post("/{fund_id}/grants", status_code=201, response_model=Recorded)
def record_grant(
    fund_id: str,
    body: GrantCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _record(
        "receive_grant", fund_id, body.model_dump(), request, response, ledger, user, idempotency_key
    )


@router.post("/{fund_id}/interest", status_code=201, response_model=Recorded)
def credit_interest(
    fund_id: str,
    body: InterestCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _record(
        "credit_interest", fund_id, body.model_dump(), request, response, ledger, user, idempotency_key
    )


@router.post("/{fund_id}/expenses", status_code=201, response_model=Recorded)
def pay_expense(
    fund_id: str,
    body: ExpenseCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _record(
        "pay_expense", fund_id, body.model_dump(), request, response, ledger, user, idempotency_key
    )


@router.post("/{fund_id}/stipends", status_code=201, response_model=Recorded)
def pay_stipend(
    fund_id: str,
    body: StipendCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _record(
        "pay_stipend", fund_id, body.model_dump(), request, response, ledger, user, idempotency_key
    )


@router.post("/{fund_id}/cash-moves", status_code=201, response_model=Recorded)
def move_cash(
    fund_id: str,
    body: CashMoveCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """存现/取现: the cashier's own work (a bookkeeper may record it too)."""
    return _record(
        "move_cash",
        fund_id,
        body.model_dump(),
        request,
        response,
        ledger,
        user,
        idempotency_key,
        roles=("cashier", "bookkeeper"),
    )


@router.post("/{fund_id}/reversals", status_code=201, response_model=Recorded)
def reverse_entry(
    fund_id: str,
    body: ReversalCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """红字冲销: the exact negation of one voucher, once, with a reason (R7)."""
    require_any(ledger, user, ("bookkeeper",), fund_owner(ledger, fund_id))
    recorded = ledger.reverse_entry(
        fund_id, actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/{fund_id}/periods/close", status_code=201, response_model=Recorded)
def close_periods(
    fund_id: str,
    body: PeriodClose,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Close every open month up to and including ``period``, in order (R6)."""
    require_any(ledger, user, ("bookkeeper",), fund_owner(ledger, fund_id))
    recorded = ledger.close_periods_through(
        fund_id, actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


transfers = APIRouter(tags=["entries"])


@transfers.post("/transfers", status_code=201, response_model=Recorded)
def transfer_between_funds(
    body: TransferBetweenFundsCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """R11: between funds only with a collective decision; both funds saved together."""
    require_any(ledger, user, ("bookkeeper",), fund_owner(ledger, body.from_fund_id))
    require_any(ledger, user, ("bookkeeper",), fund_owner(ledger, body.to_fund_id))
    fields = body.model_dump()
    fields["amount_fen"] = fields.pop("amount")
    return answer(
        request,
        response,
        ledger.transfer_between_funds(actor=str(user.id), request_id=idempotency_key, **fields),
    )

"""Funds: establish, assign custodians and hand custody over (R22), and balances now or as of a
date or log position."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.inputs import PAGE_MAX, POSITION_MAX, Day
from ledger.api.routers.common import (
    BOOK_ROLES,
    READ_ROLES,
    answer,
    fund_owner,
    readable_orgs,
    require_any,
    require_somewhere,
)
from ledger.api.schemas import (
    CustodianCreate,
    FundBalanceAnswer,
    FundBalancesPublic,
    FundCreate,
    HandoverCreate,
    HandoversPublic,
    Recorded,
    money,
)
from ledger.projections import queries
from ledger.projections.queries import FundBalance, Handover

router = APIRouter(prefix="/funds", tags=["funds"])


@router.post("", status_code=201, response_model=Recorded)
def establish_fund(
    body: FundCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    require_any(ledger, user, ("admin",), body.owner_org_id)
    return answer(
        request,
        response,
        ledger.establish_fund(actor=str(user.id), request_id=idempotency_key, **body.model_dump()),
    )


@router.post("/{fund_id}/custodians", status_code=201, response_model=Recorded)
def assign_custodian(
    fund_id: str,
    body: CustodianCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    require_any(ledger, user, ("admin",), fund_owner(ledger, fund_id))
    recorded = ledger.record(
        fund_id, "assign_custodian", actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/{fund_id}/handovers", status_code=201, response_model=Recorded)
def hand_over_custody(
    fund_id: str,
    body: HandoverCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """移交 (R22): the holder of a role hands the books and the money to the next before a
    supervisor; the count is recorded against the books, a difference with its note."""
    require_any(ledger, user, ("admin",), fund_owner(ledger, fund_id))
    fields = body.model_dump()
    recorded = ledger.record(
        fund_id,
        "hand_over_custody",
        actor=str(user.id),
        request_id=idempotency_key,
        cash_counted_fen=fields.pop("cash_counted"),
        bank_balance_fen=fields.pop("bank_balance"),
        **fields,
    )
    return answer(request, response, recorded)


def _handover(h: Handover) -> dict[str, Any]:
    out: dict[str, Any] = {
        "role": h.role,
        "from_person_id": h.from_person_id,
        "to_person_id": h.to_person_id,
        "supervisor_person_id": h.supervisor_person_id,
        "handed_over_on": h.handed_over_on,
    }
    for key in (
        "book_cash",
        "book_bank",
        "cash_counted",
        "bank_balance",
        "cash_difference",
        "bank_difference",
    ):
        out[key] = money(getattr(h, f"{key}_fen"))
    out.update(
        difference_note=h.difference_note,
        last_voucher_no=h.last_voucher_no,
        inventory_ref=h.inventory_ref,
        recorded_by=h.recorded_by,
        position=h.position,
    )
    return out


@router.get("/{fund_id}/handovers", response_model=HandoversPublic)
def fund_handovers(fund_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> dict[str, Any]:
    """A fund's custody handovers, oldest first: for its custodians and auditors (the books)."""
    require_any(ledger, user, BOOK_ROLES, fund_owner(ledger, fund_id))
    rows = queries.handovers(views, str(ledger.fund(fund_id).id))
    return {"data": [_handover(h) for h in rows], "count": len(rows)}


def _balance(b: FundBalance) -> dict[str, Any]:
    return {
        "fund_id": b.fund_id,
        "name_zh": b.name_zh,
        "kind": b.kind,
        "owner_org_id": b.owner_org_id,
        "income": money(b.income_fen),
        "expense": money(b.expense_fen),
        "balance": money(b.balance_fen),
        "cash": money(b.cash_fen),
        "bank": money(b.bank_fen),
        "reserved": money(b.reserved_fen),
        "available": money(b.available_fen),
    }


@router.get("/balances", response_model=FundBalancesPublic)
def fund_balances(
    views: ViewsDep,
    user: CurrentUser,
    as_of: Day | None = None,
    at_position: int | None = Query(default=None, ge=0, le=POSITION_MAX),
    page: int = Query(default=1, ge=1, le=PAGE_MAX),
    page_size: int = Query(default=50, ge=1, le=500),
) -> dict[str, Any]:
    """Balances of the funds of the caller's subtree (the organisations at or below one where
    they hold a reading role), now or as of a business date and/or a log position (paginated)."""
    require_somewhere(user, READ_ROLES)
    readable = readable_orgs(views, user, READ_ROLES)
    rows = [
        b
        for b in queries.fund_balances(views, as_of=as_of, at_position=at_position)
        if b.owner_org_id in readable
    ]
    start = (page - 1) * page_size
    return {
        "data": [_balance(b) for b in rows[start : start + page_size]],
        "count": len(rows),
        "as_of_position": views.snapshot_position,
    }


@router.get("/{fund_id}/balance", response_model=FundBalanceAnswer)
def fund_balance(
    fund_id: str,
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
    as_of: Day | None = None,
    at_position: int | None = Query(default=None, ge=0, le=POSITION_MAX),
) -> dict[str, Any]:
    require_any(ledger, user, READ_ROLES, fund_owner(ledger, fund_id))
    balance = queries.fund_balance(views, str(ledger.fund(fund_id).id), as_of=as_of, at_position=at_position)
    return {**_balance(balance), "as_of_position": views.snapshot_position}

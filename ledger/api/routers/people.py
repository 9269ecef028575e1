"""People and memberships; a person's totals by branch across transfers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.routers.common import answer, require_any, require_may_see_person, require_somewhere
from ledger.api.schemas import (
    ConsentChange,
    DeathCreate,
    LeavePartyCreate,
    MembershipCreate,
    MemberTotalsPublic,
    PersonCreate,
    Recorded,
    TransferCreate,
    money,
)
from ledger.projections import queries

router = APIRouter(tags=["people"])


@router.post("/people", status_code=201, response_model=Recorded)
def register_person(
    body: PersonCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    require_somewhere(user, ("bookkeeper",))
    return answer(
        request,
        response,
        ledger.register_person(actor=str(user.id), request_id=idempotency_key, **body.model_dump()),
    )


@router.post("/people/{person_id}/memberships", status_code=201, response_model=Recorded)
def join_branch(
    person_id: str,
    body: MembershipCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    require_any(ledger, user, ("bookkeeper",), body.org_id)
    recorded = ledger.change_person(
        person_id, "join_branch", actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/people/{person_id}/transfers", status_code=201, response_model=Recorded)
def transfer_member(
    person_id: str,
    body: TransferCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    require_any(ledger, user, ("bookkeeper",), body.to_org_id)
    recorded = ledger.change_person(
        person_id, "transfer", actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.get("/members/{person_id}", response_model=MemberTotalsPublic)
def member_totals(person_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> dict[str, Any]:
    """Donated, paid to and stipends of one person, by the branch held on each business date.
    A member sees their own; auditors and bookkeepers the branches of their subtree, of a
    person who belonged to one (docs/security.md)."""
    person = ledger.person(person_id)
    scope = require_may_see_person(views, user, str(person.id))
    totals = [t for t in queries.member_totals(views, str(person.id)) if scope.shows(t.branch_org_id)]
    return {
        "person_id": str(person.id),
        "by_branch": [
            {
                "branch_org_id": t.branch_org_id,
                "donated": money(t.donated_fen),
                "paid_to": money(t.paid_to_fen),
                "stipends": money(t.stipends_fen),
            }
            for t in totals
        ],
    }


def _change(
    change: str,
    person_id: str,
    fields: dict[str, Any],
    request: Request,
    response: Response,
    ledger: Any,
    user: Any,
    key: str | None,
) -> dict[str, Any]:
    require_somewhere(user, ("bookkeeper",))
    recorded = ledger.change_person(person_id, change, actor=str(user.id), request_id=key, **fields)
    return answer(request, response, recorded)


@router.post("/people/{person_id}/consent", status_code=201, response_model=Recorded)
def change_consent(
    person_id: str,
    body: ConsentChange,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Consent to be named on public (and internal) notices; otherwise shown masked (R34)."""
    return _change(
        "change_consent", person_id, body.model_dump(), request, response, ledger, user, idempotency_key
    )


@router.post("/people/{person_id}/leave", status_code=201, response_model=Recorded)
def leave_party(
    person_id: str,
    body: LeavePartyCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _change(
        "leave_party", person_id, body.model_dump(), request, response, ledger, user, idempotency_key
    )


@router.post("/people/{person_id}/death", status_code=201, response_model=Recorded)
def record_death(
    person_id: str,
    body: DeathCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _change(
        "record_death", person_id, body.model_dump(), request, response, ledger, user, idempotency_key
    )

"""Stipend schedules (工作补贴): terms on an office holder, and the months due and unpaid per
person. Payments themselves are ``POST /funds/{fund_id}/stipends`` (entries)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.routers.common import READ_ROLES, answer, require_any
from ledger.api.schemas import Recorded, money
from ledger.api.schemas_workflows import StipendSchedulePublic, StipendTermsCreate
from ledger.domain.periods import period_of
from ledger.projections import queries

router = APIRouter(prefix="/organisations", tags=["stipends"])


@router.post("/{org_id}/stipend-terms", status_code=201, response_model=Recorded)
def set_stipend_terms(
    org_id: str,
    body: StipendTermsCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Terms of a current office: monthly amount, first month, paying fund (a bookkeeper)."""
    require_any(ledger, user, ("bookkeeper",), org_id)
    fields = body.model_dump()
    fields["monthly_fen"] = fields.pop("monthly")
    recorded = ledger.change_organisation(
        org_id, "set_stipend_terms", actor=str(user.id), request_id=idempotency_key, **fields
    )
    return answer(request, response, recorded)


@router.get("/{org_id}/stipends/due", response_model=StipendSchedulePublic)
def stipends_due(
    org_id: str,
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
    through: str | None = Query(
        default=None, description="last month counted (YYYY-MM); this month if absent"
    ),
) -> dict[str, Any]:
    """Per office holder with terms: months due, paid and unpaid (the term's end stops them)."""
    org = ledger.organisation(org_id)
    require_any(ledger, user, READ_ROLES, str(org.id))
    month = through or period_of(ledger.today())
    rows = queries.stipend_schedule(views, through=month, org_id=str(org.id))
    return {
        "through": month,
        "data": [
            {
                "org_id": r.org_id,
                "person_id": r.person_id,
                "role": r.role,
                "fund_id": r.fund_id,
                "monthly": money(r.monthly_fen),
                "months_due": r.months_due,
                "months_paid": r.months_paid,
                "months_unpaid": r.months_unpaid,
                "unpaid": money(r.unpaid_fen),
            }
            for r in rows
        ],
    }

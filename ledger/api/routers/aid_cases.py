"""Aid cases (申请-审核-审批-公示-发放): apply, sign, reject, cancel, pay; objections and their
answers; the list of cases, and of the cases waiting for a given approver.

Who may sign, reject or answer is a domain rule (the approver role for the fund's organisation
or one above it, R21), so those routes let the Ledger refuse with its own codes; the others
check a role here, like every router."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.inputs import PAGE_MAX
from ledger.api.routers.common import READ_ROLES, answer, fund_owner, require_any, require_somewhere
from ledger.api.schemas import Recorded, money
from ledger.api.schemas_workflows import (
    AidCaseCreate,
    AidCaseDetail,
    AidCasesPublic,
    AidPaymentCreate,
    AidReason,
    AidSignatureCreate,
    ObjectionAnswer,
    ObjectionCreate,
    VoucherObjectionsPublic,
)
from ledger.application import Ledger
from ledger.domain.scope import subtree, tops
from ledger.domain.user import User
from ledger.projections import queries
from ledger.projections.store import ViewStore

router = APIRouter(prefix="/aid-cases", tags=["aid cases"])


def _public(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in ("requested_fen", "position")}
    out["requested"] = money(row["requested_fen"])
    return out


def _case_owner(ledger: Ledger, case_id: str) -> str:
    return ledger.aid_case(case_id).owner_org_id


def orgs_where(ledger: Ledger, views: ViewStore, user: User, roles: tuple[str, ...]) -> list[str]:
    """Every organisation (today's tree) under one the user holds one of ``roles`` (or admin) for."""
    tree = queries.tree_on(views, ledger.today())
    return sorted(subtree(tops(user, roles), {org: parent for org, (_, _, parent) in tree.items()}))


@router.post("", status_code=201, response_model=Recorded)
def apply_for_aid(
    body: AidCaseCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """申请: recorded by a bookkeeper, an approver or a member of the fund's organisation."""
    require_any(ledger, user, ("bookkeeper", "approver", "member"), fund_owner(ledger, body.fund_id))
    fields = body.model_dump()
    fields["requested_fen"] = fields.pop("requested")
    recorded = ledger.apply_for_aid(actor=str(user.id), request_id=idempotency_key, **fields)
    return answer(request, response, recorded)


@router.post("/{case_id}/signatures", status_code=201, response_model=Recorded)
def sign_aid_case(
    case_id: str,
    body: AidSignatureCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """One approver's signature; the last one needed approves, reserves, and posts the notice."""
    recorded = ledger.sign_aid_case(
        case_id, actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/{case_id}/rejection", status_code=201, response_model=Recorded)
def reject_aid_case(
    case_id: str,
    body: AidReason,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    recorded = ledger.reject_aid_case(
        case_id, actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/{case_id}/cancellation", status_code=201, response_model=Recorded)
def cancel_aid_case(
    case_id: str,
    body: AidReason,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Withdraw an open case (an approver); an approved one gives its reservation back."""
    require_any(ledger, user, ("approver",), _case_owner(ledger, case_id))
    recorded = ledger.cancel_aid_case(
        case_id, actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/{case_id}/payment", status_code=201, response_model=Recorded)
def pay_aid_case(
    case_id: str,
    body: AidPaymentCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """发放 by the cashier: fund ``AidPaid`` and case ``Paid`` in one transaction (R19)."""
    require_any(ledger, user, ("cashier",), _case_owner(ledger, case_id))
    recorded = ledger.pay_aid_case(
        case_id, actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/{case_id}/objections", status_code=201, response_model=Recorded)
def raise_aid_objection(
    case_id: str,
    body: ObjectionCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Anyone signed in may object; ``anonymous`` stores no identity (R36)."""
    require_somewhere(user, READ_ROLES)
    recorded = ledger.raise_aid_objection(
        case_id, actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/{case_id}/objections/{objection_no}/answer", status_code=201, response_model=Recorded)
def answer_aid_objection(
    case_id: str,
    objection_no: str,
    body: ObjectionAnswer,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """An approver's answer; ``upheld`` cancels the case."""
    recorded = ledger.answer_aid_objection(
        case_id,
        actor=str(user.id),
        objection_no=objection_no,
        request_id=idempotency_key,
        **body.model_dump(),
    )
    return answer(request, response, recorded)


@router.get("", response_model=AidCasesPublic)
def list_aid_cases(
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
    status: str | None = None,
    fund_id: str | None = None,
    waiting_for: str | None = Query(
        default=None, description="a user id: the cases that approver may sign now (`me` for yourself)"
    ),
    page: int = Query(default=1, ge=1, le=PAGE_MAX),
    page_size: int = Query(default=50, ge=1, le=500),
) -> dict[str, Any]:
    """Cases of the organisations the caller may read, oldest first."""
    require_somewhere(user, READ_ROLES)
    org_ids = orgs_where(ledger, views, user, READ_ROLES)
    person = None
    if waiting_for is not None:
        approver = user if waiting_for == "me" else ledger.user(waiting_for)
        approvable = set(orgs_where(ledger, views, approver, ("approver",)))
        org_ids = [o for o in org_ids if o in approvable]
        person = approver.person_id
    result = queries.aid_cases(
        views,
        status=status,
        fund_id=fund_id,
        org_ids=org_ids,
        waiting_for_person=person,
        page=page,
        page_size=page_size,
    )
    return {
        "data": [_public(r) for r in result.rows],
        "count": result.count,
        "page": page,
        "page_size": page_size,
    }


@router.get("/{case_id}", response_model=AidCaseDetail)
def get_aid_case(case_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> dict[str, Any]:
    """The case, with its objections' dates and escalations (never their text or objector;
    an objection is escalated one level up, whose approvers read the case already)."""
    case = ledger.aid_case(case_id)
    require_any(ledger, user, READ_ROLES, case.owner_org_id)
    return {
        **_public(queries.aid_case(views, str(case.id))),
        "objections": queries.aid_objections(views, str(case.id)),
    }


# --- objections on a voucher (not on a case) -----------------------------------------------------
voucher_objections = APIRouter(tags=["objections"])


@voucher_objections.post(
    "/funds/{fund_id}/vouchers/{voucher_no}/objections", status_code=201, response_model=Recorded
)
def raise_voucher_objection(
    fund_id: str,
    voucher_no: str,
    body: ObjectionCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Anyone signed in may object to a voucher; ``anonymous`` stores no identity (R36)."""
    require_somewhere(user, READ_ROLES)
    recorded = ledger.raise_voucher_objection(
        fund_id, actor=str(user.id), voucher_no=voucher_no, request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@voucher_objections.post("/objections/{objection_id}/answer", status_code=201, response_model=Recorded)
def answer_voucher_objection(
    objection_id: str,
    body: ObjectionAnswer,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """An approver of the fund's organisation answers (an upheld one calls for a reversal)."""
    recorded = ledger.answer_voucher_objection(
        objection_id, actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@voucher_objections.post("/objections/escalations", status_code=201, response_model=Recorded)
def escalate_overdue_objections(
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """R36: escalate every objection unanswered past its fund's service level (as of the
    business date) one level up, once; what the daily ``fundbook objections escalate`` does.
    An approver (of any organisation) or an administrator; a second run records nothing."""
    require_somewhere(user, ("approver",))
    recorded = ledger.escalate_overdue_objections(actor=str(user.id), request_id=idempotency_key)
    return answer(request, response, recorded)


@voucher_objections.get("/funds/{fund_id}/objections", response_model=VoucherObjectionsPublic)
def list_voucher_objections(
    fund_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser
) -> dict[str, Any]:
    fund = ledger.fund(fund_id)
    require_any(ledger, user, READ_ROLES, fund.owner_org_id)
    return {"fund_id": str(fund.id), "data": queries.voucher_objections(views, str(fund.id))}

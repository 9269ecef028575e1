"""Organisations: register, and rollups of their funds over the tree as it was on a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.inputs import PAGE_MAX, Day
from ledger.api.routers.common import READ_ROLES, answer, readable_orgs, require_any, require_somewhere
from ledger.api.schemas import (
    BranchWarningsPublic,
    DissolveCreate,
    IncomeByKindPublic,
    OfficeCreate,
    OfficeEnd,
    OrganisationCreate,
    OrganisationsPublic,
    Recorded,
    RenameCreate,
    ReparentCreate,
    RollupPublic,
    SupervisionChannels,
    money,
)
from ledger.projections import income, queries

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.post("", status_code=201, response_model=Recorded)
def register_organisation(
    body: OrganisationCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Register an organisation (admin of its parent; a root needs an admin anywhere)."""
    if body.parent_org_id is None:
        require_somewhere(user, ("admin",))
    else:
        require_any(ledger, user, ("admin",), body.parent_org_id)
    recorded = ledger.register_organisation(
        actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.get("", response_model=OrganisationsPublic)
def organisation_tree(
    views: ViewsDep,
    user: CurrentUser,
    as_of: Day,
    page: int = Query(default=1, ge=1, le=PAGE_MAX),
    page_size: int = Query(default=100, ge=1, le=500),
) -> dict[str, Any]:
    """Every organisation as the tree was on ``as_of`` (R30), with its funds' balances by kind,
    its own and its subtree's (paginated): those at or below where the caller holds a reading
    role."""
    require_somewhere(user, READ_ROLES)
    readable = readable_orgs(views, user, READ_ROLES, as_of)
    rollups = [r for r in queries.org_rollups(views, as_of=as_of).values() if r.org_id in readable]
    start = (page - 1) * page_size
    return {
        "data": [
            {
                "org_id": r.org_id,
                "name_zh": r.name_zh,
                "kind": r.kind,
                "parent_org_id": r.parent_org_id,
                "own": {k: money(v) for k, v in r.own_fen.items()},
                "total": {k: money(v) for k, v in r.total_fen.items()},
            }
            for r in rollups[start : start + page_size]
        ],
        "count": len(rollups),
    }


@router.get("/warnings", response_model=BranchWarningsPublic)
def branch_warnings(views: ViewsDep, user: CurrentUser, as_of: Day) -> dict[str, Any]:
    """R31: branches with more than 50 members or fewer than 3 full members on ``as_of``
    (counts only, no names), of the branches in the caller's subtree."""
    require_somewhere(user, READ_ROLES)
    readable = readable_orgs(views, user, READ_ROLES, as_of)
    return {
        "as_of": as_of,
        "data": [
            {
                "org_id": w.org_id,
                "name_zh": w.name_zh,
                "members": w.members,
                "full_members": w.full_members,
                "warnings": [
                    {"code": code, "message_zh": zh, "message_en": en}
                    for code in w.codes
                    for zh, en in [queries.BRANCH_WARNING_TEXTS[code]]
                ],
            }
            for w in queries.branch_warnings(views, as_of)
            if w.org_id in readable
        ],
    }


@router.get("/income", response_model=IncomeByKindPublic)
def income_by_kind(
    views: ViewsDep,
    user: CurrentUser,
    from_year: int = Query(ge=income.YEAR_MIN, le=income.YEAR_MAX),
    to_year: int = Query(ge=income.YEAR_MIN, le=income.YEAR_MAX),
) -> dict[str, Any]:
    """Income by kind (dues rebates, unit guarantees, special funds, donations …) of each
    organisation in the caller's subtree over the whole years ``from_year``..``to_year``: by
    kind, in total and year by year (issue 21 item 5). A reversal nets against its original."""
    require_somewhere(user, READ_ROLES)
    report = income.income_by_kind(views, from_year=from_year, to_year=to_year)
    readable = readable_orgs(views, user, READ_ROLES)
    names = {oid: name for oid, (name, _, _) in queries.tree_on(views, date(to_year, 12, 31)).items()}
    rows = [r for oid, r in sorted(report.items(), key=lambda kv: names.get(kv[0], "")) if oid in readable]
    totals = income.OrgIncome("", {0: {}})
    for row in rows:
        for kind, fen in row.by_kind.items():
            totals.by_year[0][kind] = totals.by_year[0].get(kind, 0) + fen
    return {
        "from_year": from_year,
        "to_year": to_year,
        "kinds": list(income.INCOME_KINDS),
        "data": [
            {
                "org_id": r.org_id,
                "name_zh": names.get(r.org_id, ""),
                "by_kind": {k: money(v) for k, v in r.by_kind.items()},
                "total": money(r.total_fen),
                "by_year": [
                    {"year": year, "by_kind": {k: money(kinds[k]) for k in income.INCOME_KINDS if k in kinds}}
                    for year, kinds in sorted(r.by_year.items())
                ],
            }
            for r in rows
        ],
        "by_kind": {k: money(v) for k, v in totals.by_kind.items()},
        "total": money(totals.total_fen),
    }


@router.get("/{org_id}/rollup", response_model=RollupPublic)
def organisation_rollup(
    org_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser, as_of: Day
) -> dict[str, Any]:
    """The organisation's funds by kind, and those of its whole subtree, on the tree of ``as_of``."""
    require_any(ledger, user, READ_ROLES, org_id)
    rollup = queries.org_rollups(views, as_of=as_of).get(str(ledger.organisation(org_id).id))
    if rollup is None:
        return {"org_id": org_id, "as_of": as_of, "own": {}, "total": {}}
    return {
        "org_id": rollup.org_id,
        "name_zh": rollup.name_zh,
        "as_of": as_of,
        "own": {kind: money(fen) for kind, fen in rollup.own_fen.items()},
        "total": {kind: money(fen) for kind, fen in rollup.total_fen.items()},
    }


def _change(
    change: str,
    org_id: str,
    fields: dict[str, Any],
    request: Request,
    response: Response,
    ledger: Any,
    user: Any,
    key: str | None,
) -> dict[str, Any]:
    require_any(ledger, user, ("admin",), org_id)
    recorded = ledger.change_organisation(org_id, change, actor=str(user.id), request_id=key, **fields)
    return answer(request, response, recorded)


@router.post("/{org_id}/rename", status_code=201, response_model=Recorded)
def rename_organisation(
    org_id: str,
    body: RenameCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _change("rename", org_id, body.model_dump(), request, response, ledger, user, idempotency_key)


@router.post("/{org_id}/reparent", status_code=201, response_model=Recorded)
def reparent_organisation(
    org_id: str,
    body: ReparentCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Move under another parent from a date; reports before that date keep the old tree (R30)."""
    if body.new_parent_org_id is not None:
        require_any(ledger, user, ("admin",), body.new_parent_org_id)
    return _change("reparent", org_id, body.model_dump(), request, response, ledger, user, idempotency_key)


@router.post("/{org_id}/dissolve", status_code=201, response_model=Recorded)
def dissolve_organisation(
    org_id: str,
    body: DissolveCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _change("dissolve", org_id, body.model_dump(), request, response, ledger, user, idempotency_key)


@router.post("/{org_id}/offices", status_code=201, response_model=Recorded)
def appoint_office_holder(
    org_id: str,
    body: OfficeCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _change("appoint", org_id, body.model_dump(), request, response, ledger, user, idempotency_key)


@router.post("/{org_id}/supervision", status_code=201, response_model=Recorded)
def set_supervision_channels(
    org_id: str,
    body: SupervisionChannels,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """监督电话, where the 意见箱 is, and whom to tell (纪检委员's title): printed on every notice
    and aid notice of the organisation and of those below it that set none (admin only)."""
    change, fields = "set_supervision_channels", body.model_dump()
    return _change(change, org_id, fields, request, response, ledger, user, idempotency_key)


@router.post("/{org_id}/offices/end", status_code=201, response_model=Recorded)
def end_office(
    org_id: str,
    body: OfficeEnd,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    return _change("end_office", org_id, body.model_dump(), request, response, ledger, user, idempotency_key)

"""An organisation's supervision channels (监督电话, 意见箱, whom to tell), which every notice
and aid notice it issues prints (issue 16): one small form for the organisation's admin."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.api.deps import LedgerDep
from ledger.api.routers.common import require_any
from ledger.domain import errors
from ledger.web.console.pages import PREFIX, ConsoleRoute, after_write, page, refusal_status
from ledger.web.console.session import FormDep, SessionDep

router = APIRouter(
    prefix=f"{PREFIX}/organisations/{{org_id}}", route_class=ConsoleRoute, include_in_schema=False
)
FIELDS = ("phone", "opinion_box", "discipline_title")


def _page(
    request: Request,
    ledger: LedgerDep,
    org_id: str,
    values: dict[str, str],
    problems: dict,
    status: int = 200,
) -> HTMLResponse:
    org = ledger.organisation(org_id)
    return page(
        request,
        "supervision.html",
        status=status,
        org_id=str(org.id),
        org_name=org.name_zh,
        values=values,
        problems=problems,
        saved="position" in request.query_params,
    )


@router.get("/supervision", response_class=HTMLResponse)
def supervision_form(request: Request, org_id: str, session: SessionDep, ledger: LedgerDep) -> Response:
    require_any(ledger, session.user, ("admin",), org_id)
    current = ledger.organisation(org_id).supervision or {}
    values = {name: current.get(name, "") for name in FIELDS}
    values["request_id"] = str(uuid.uuid4())
    return _page(request, ledger, org_id, values, {})


@router.post("/supervision", response_class=HTMLResponse)
def set_supervision(
    request: Request, org_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep
) -> Response:
    require_any(ledger, session.user, ("admin",), org_id)
    try:
        recorded = ledger.change_organisation(
            org_id,
            "set_supervision_channels",
            actor=str(session.user.id),
            request_id=form.get("request_id") or None,
            **{name: form.get(name, "") for name in FIELDS},
        )
    except errors.LedgerError as error:
        name = str(error.details.get("field", ""))
        problems = {name if name in FIELDS else "_form": error}
        return _page(request, ledger, org_id, form, problems, status=refusal_status(problems))
    return after_write(request, f"{PREFIX}/organisations/{org_id}/supervision", recorded)

"""The auditor's verify page and the downloads of the books, beside the journal and balances
as of a date (``books``).

Verify runs what ``fundbook verify`` and ``GET /audit/verify`` run (``verify_store``): the hash
chain recomputed and checked event by event, every seal, fingerprints typed from printed
notices, the bookkeeping invariants, and every view against a fresh fold. The page shows the
result per check — the chain, the seals, the invariants and each view — with the first
position where each broke, every violation, and how long the run took. The downloads are the
API's exports (``GET /audit/export/{format}``): the JSONL log, the hledger journal, the
Beancount file. Both need what the API needs: the auditor role (or admin) at every root of the
organisation tree, since they show every organisation's books.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from ledger.api.deps import LedgerDep
from ledger.api.routers.audit import EXPORT_FORMATS, render_export, require_auditor_of_everything
from ledger.audit.fresh_fold import verify_store
from ledger.audit.invariants import Violation
from ledger.audit.verify import Report
from ledger.domain import errors
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, page
from ledger.web.console.session import SessionDep

router = APIRouter(prefix=f"{PREFIX}/audit", route_class=ConsoleRoute, include_in_schema=False)
FINGERPRINTS_MAX = 20
CHAIN_CODES = ("event_missing", "event_unchained", "event_altered", "event_undecodable")
SEAL_CODES = ("seal_broken", "seal_not_found")
VIEWS = ("funds", "journal", "period_closes", "organisations")  # as ``compare_views`` names them
EXPORT_FILES = {"jsonl": "jsonl", "hledger": "journal", "beancount": "beancount"}


@dataclass(frozen=True)
class Check:
    """One line of the result: a check, whether it held, and where it first broke."""

    name: str  # chain, seals, invariants, or view_<name>
    ok: bool | None  # None: not compared (the fresh fold itself failed)
    violations: int
    first_position: int | None


def checks(report: Report) -> list[Check]:
    """The report per check, in the order ``fundbook verify`` runs them."""

    def line(name: str, found: list[Violation], *, compared: bool = True) -> Check:
        positions = [v.position for v in found if v.position is not None]
        ok = (not found) if compared else None
        return Check(name, ok, len(found), min(positions) if positions else None)

    by_code = report.violations
    fold_failed = any(v.code == "fresh_fold_failed" for v in by_code)
    lines = [
        line("chain", [v for v in by_code if v.code in CHAIN_CODES]),
        line("seals", [v for v in by_code if v.code in SEAL_CODES]),
        line(
            "invariants",
            [
                v
                for v in by_code
                if v.code not in (*CHAIN_CODES, *SEAL_CODES, "view_differs", "fresh_fold_failed")
            ],
        ),
    ]
    for view in VIEWS:
        differs = [v for v in by_code if v.code == "view_differs" and v.detail.startswith(f"{view}:")]
        lines.append(line(f"view_{view}", differs, compared=not fold_failed))
    return lines


@router.get("/verify", response_class=HTMLResponse)
def verify_page(
    request: Request,
    session: SessionDep,
    ledger: LedgerDep,
    run: int = 0,
    seals: str = "",
) -> HTMLResponse:
    """The form (fingerprints read off printed notices, optional); with ``run=1`` the result."""
    views = current_views(request)
    require_auditor_of_everything(ledger, views, session.user)
    prints = [p for p in re.split(r"[\s,，、;；]+", seals) if p]
    if len(prints) > FINGERPRINTS_MAX:
        raise errors.ValueNotAllowed(field="seals", value=str(len(prints)), allowed=f"1..{FINGERPRINTS_MAX}")
    result: dict[str, Any] | None = None
    if run:
        started = time.perf_counter()
        report = verify_store(views, ledger.mapper.to_domain_event, fingerprints=prints)
        took_ms = (time.perf_counter() - started) * 1000
        result = {"report": report, "checks": checks(report), "took_ms": round(took_ms)}
    return page(request, "audit_verify.html", seals="\n".join(prints), result=result)


@router.get("/export/{export_format}")
def export_download(request: Request, export_format: str, session: SessionDep, ledger: LedgerDep) -> Response:
    """One of the API's exports as a file to save (``fundbook-<today>.jsonl`` …)."""
    if export_format not in EXPORT_FORMATS:
        raise errors.ValueNotAllowed(
            field="export_format", value=export_format, allowed=", ".join(EXPORT_FORMATS)
        )
    views = current_views(request)
    require_auditor_of_everything(ledger, views, session.user)
    chunks, media_type = render_export(ledger, views, export_format)
    name = f"fundbook-{ledger.today().isoformat()}.{EXPORT_FILES[export_format]}"
    return StreamingResponse(
        chunks,
        media_type=f"{media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

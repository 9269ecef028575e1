"""The auditor's endpoints: verify, export (JSONL log, hledger, Beancount), who did what.

The whole-log endpoints (verify, export) show every organisation's books: they need the role
``auditor`` (or ``admin``) at every root of the organisation tree. A fund's or a person's
history needs it at the fund's owner, or for a person at any root.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from eventsourcing.persistence import StoredEvent
from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse, StreamingResponse
from pydantic import BaseModel

from ledger.api.deps import CurrentUser, LedgerDep, ViewsDep
from ledger.api.routers.common import fund_owner, require_any
from ledger.application import Ledger
from ledger.audit.fresh_fold import verify_store
from ledger.audit.history import history
from ledger.audit.log import jsonl_lines, stored_rows
from ledger.domain import errors
from ledger.domain.user import User
from ledger.exports import beancount, hledger
from ledger.exports.books import Books, build
from ledger.exports.books import chunks as books_chunks
from ledger.projections import queries
from ledger.projections.store import ViewStore

router = APIRouter(prefix="/audit", tags=["audit"])
AUDIT_ROLES = ("auditor",)  # admin passes every role check


class ViolationPublic(BaseModel):
    code: str
    position: int | None
    detail: str


class FingerprintPublic(BaseModel):
    fingerprint: str
    position: int | None


class VerifyPublic(BaseModel):
    ok: bool
    events: int
    head_position: int
    head_hash: str
    seals_checked: int
    fingerprints: list[FingerprintPublic]
    violations: list[ViolationPublic]


class HistoryEntryPublic(BaseModel):
    position: int
    topic: str
    originator_id: str
    version: int
    recorded_at: str | None
    business_date: str | None
    actor: str | None
    request_id: str | None
    voucher_no: str | None
    amount_fen: int | None


class HistoryPublic(BaseModel):
    data: list[HistoryEntryPublic]
    count: int


def require_auditor_of_everything(ledger: Ledger, views: ViewStore, user: User) -> None:
    roots = [org for org, (_, _, parent) in queries.tree_on(views, date.max).items() if parent is None]
    for root in roots:
        require_any(ledger, user, AUDIT_ROLES, root)


@router.get("/verify", response_model=VerifyPublic)
def verify(
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
    seal: Annotated[
        list[str] | None, Query(max_length=20, description="fingerprints read off printed notices")
    ] = None,
) -> dict[str, Any]:
    """Recompute the hash chain, check every seal and invariant and every view against a fresh
    fold. Violations are the answer (200), each with its log position."""
    require_auditor_of_everything(ledger, views, user)
    report = verify_store(views, ledger.mapper.to_domain_event, fingerprints=seal or [])
    return {
        "ok": report.ok,
        "events": report.events,
        "head_position": report.head.position,
        "head_hash": report.head.hex,
        "seals_checked": report.seals_checked,
        "fingerprints": [{"fingerprint": f, "position": p} for f, p in report.fingerprints.items()],
        "violations": [v.__dict__ for v in report.violations],
    }


@router.get("/export/{export_format}", response_class=PlainTextResponse)
def export(
    export_format: Literal["jsonl", "hledger", "beancount"],
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
) -> StreamingResponse:
    """The event log as JSONL (for ``fundbook verify --log``), or an hledger journal or a
    Beancount file of every fund (docs/audit.md), sent as it is written (ADR 0185)."""
    require_auditor_of_everything(ledger, views, user)
    chunks, media_type = render_export(ledger, views, export_format)
    return StreamingResponse(chunks, media_type=media_type)


EXPORT_FORMATS = ("jsonl", "hledger", "beancount")


def render_export(ledger: Ledger, views: ViewStore, export_format: str) -> tuple[Iterator[bytes], str]:
    """(chunks of UTF-8, media type) of one export of the whole log: the API's and the
    console's. The JSONL is read a page of events at a time; hledger and Beancount are written
    line by line from the books, which hold every voucher (ADR 0185)."""
    if export_format not in EXPORT_FORMATS:
        raise errors.ValueNotAllowed(
            field="export_format", value=export_format, allowed=", ".join(EXPORT_FORMATS)
        )
    if export_format == "jsonl":
        return jsonl_lines(views), "application/x-ndjson"
    render = hledger.lines if export_format == "hledger" else beancount.lines
    return books_chunks(render(whole_books(ledger, views))), "text/plain"


def whole_books(ledger: Ledger, views: ViewStore) -> Books:
    """The books of every fund from the log, each event decoded as it is read."""
    decode = ledger.mapper.to_domain_event
    events = (
        (r.position, decode(StoredEvent(r.originator_id, r.version, r.topic, r.state)))
        for r in stored_rows(views)
    )
    return build(views, events)


@router.get("/history", response_model=HistoryPublic)
def who_did_what(
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
    fund_id: str | None = None,
    person_id: str | None = None,
) -> dict[str, Any]:
    """A fund's events, or every event about a person: actor, time recorded, business date."""
    if (fund_id is None) == (person_id is None):
        raise errors.HistorySubjectRequired()
    if fund_id is not None:
        require_any(ledger, user, AUDIT_ROLES, fund_owner(ledger, fund_id))
        entries = list(history(views, fund_id=str(ledger.fund(fund_id).id)))
    else:
        require_auditor_of_everything(ledger, views, user)
        entries = list(history(views, person_id=str(ledger.person(person_id).id)))
    return {"data": [e.__dict__ for e in entries], "count": len(entries)}

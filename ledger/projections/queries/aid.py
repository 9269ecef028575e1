"""Aid cases (issue 5): pages of cases with their signers, one case, its objections (never their
text, R36), and the proposal notices still on the board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.domain import errors
from ledger.projections.queries.views import check_page, one_snapshot
from ledger.projections.store import ViewStore

AID_CASE_COLUMNS = (
    "case_id",
    "fund_id",
    "owner_org_id",
    "beneficiary_person_id",
    "applicant_person_id",
    "aid_kind",
    "public_category",
    "publicity_consent",
    "requested_fen",
    "signatures_required",
    "decision_required",
    "applied_on",
    "position",
    "status",
    "approved_on",
    "window_end",
    "open_objections",
    "voucher_no",
    "paid_on",
    "escalated_objections",
)


_AID_SELECT = "SELECT " + ", ".join(f"c.{c}" for c in AID_CASE_COLUMNS) + " FROM v_aid_case c"


@dataclass(frozen=True)
class AidCasePage:
    rows: list[dict[str, Any]]
    count: int
    page: int
    page_size: int


def _aid_rows(store: ViewStore, raw: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    rows = [dict(zip(AID_CASE_COLUMNS, values, strict=True)) for values in raw]
    signers: dict[str, list[str]] = {row["case_id"]: [] for row in rows}
    if rows:
        marks = ", ".join("?" * len(rows))
        for case_id, person_id in store.fetch(
            f"SELECT case_id, person_id FROM v_aid_signature WHERE case_id IN ({marks}) ORDER BY position",
            [row["case_id"] for row in rows],
        ):
            signers[case_id].append(person_id)
    for row in rows:
        for key in ("publicity_consent", "decision_required"):
            row[key] = bool(row[key])
        for key in (
            "requested_fen",
            "signatures_required",
            "open_objections",
            "escalated_objections",
            "position",
        ):
            row[key] = int(row[key])
        row["signed_by"] = signers[row["case_id"]]
    return rows


@one_snapshot
def aid_cases(
    store: ViewStore,
    *,
    status: str | None = None,
    fund_id: str | None = None,
    org_ids: list[str] | None = None,
    waiting_for_person: str | None = None,
    with_open_objections: bool = False,
    escalated_to: list[str] | None = None,
    page: int = 1,
    page_size: int = 50,
) -> AidCasePage:
    """Aid cases in order of application. ``waiting_for_person``: cases still collecting
    signatures that this person may sign (not beneficiary, not applicant, not signed yet);
    ``org_ids``: only cases of funds owned by these organisations (an approver's subtree);
    ``with_open_objections``: only cases with an objection not yet answered;
    ``escalated_to``: only cases with an unanswered objection escalated to one of these
    organisations (R36), whoever owns them."""
    check_page(page, page_size)
    where: list[str] = []
    params: list[Any] = []
    if status is not None:
        where.append("c.status = ?")
        params.append(status)
    if fund_id is not None:
        where.append("c.fund_id = ?")
        params.append(fund_id)
    if org_ids is not None:
        where.append(f"c.owner_org_id IN ({', '.join('?' * len(org_ids))})" if org_ids else "1 = 0")
        params.extend(org_ids)
    if waiting_for_person is not None:
        where.append(
            "c.status = 'applied' AND c.beneficiary_person_id <> ? AND c.applicant_person_id <> ? "
            "AND NOT EXISTS (SELECT 1 FROM v_aid_signature s WHERE s.case_id = c.case_id AND s.person_id = ?)"
        )
        params.extend([waiting_for_person] * 3)
    if with_open_objections:
        where.append("c.open_objections > 0")
    if escalated_to is not None:
        marks = ", ".join("?" * len(escalated_to)) or "NULL"
        where.append(
            "EXISTS (SELECT 1 FROM v_aid_objection o WHERE o.case_id = c.case_id AND o.answered_on IS NULL "
            f"AND o.escalated_to_org_id IN ({marks}))"
        )
        params.extend(escalated_to)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    count = int(store.fetch(f"SELECT COUNT(*) FROM v_aid_case c{clause}", params)[0][0])
    raw = store.fetch(
        f"{_AID_SELECT}{clause} ORDER BY c.position LIMIT ? OFFSET ?",
        [*params, page_size, (page - 1) * page_size],
    )
    return AidCasePage(_aid_rows(store, raw), count, page, page_size)


@one_snapshot
def aid_case(store: ViewStore, case_id: str) -> dict[str, Any]:
    rows = _aid_rows(store, store.fetch(f"{_AID_SELECT} WHERE c.case_id = ?", (case_id,)))
    if not rows:
        raise errors.AidCaseNotFound(case_id=case_id)
    return rows[0]


def aid_objections(store: ViewStore, case_id: str) -> list[dict[str, Any]]:
    """A case's objections in order: raised, answered and escalated dates and the organisation
    escalated to; never the text, the objector or the answerer (R36)."""
    keys = ("objection_no", "raised_on", "answered_on", "escalated_on", "escalated_to_org_id")
    rows = store.fetch(
        f"SELECT {', '.join(keys)} FROM v_aid_objection WHERE case_id = ? ORDER BY position", (case_id,)
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


@one_snapshot
def aid_notices(
    store: ViewStore, *, ended_since: date, fund_id: str | None = None, case_id: str | None = None
) -> list[dict[str, Any]]:
    """Aid cases whose proposal notice was posted (docs/board.md) and is still on the board:
    approved or paid (never applied, rejected or cancelled), with a posting window that ends on
    or after ``ended_since``; in order of application. The window starts on ``approved_on``
    (``sign_case`` posts the notice on the approval day)."""
    where = ["c.status IN ('approved', 'paid')", "c.window_end IS NOT NULL", "c.window_end >= ?"]
    params: list[Any] = [ended_since.isoformat()]
    for column, value in (("fund_id", fund_id), ("case_id", case_id)):
        if value is not None:
            where.append(f"c.{column} = ?")
            params.append(value)
    raw = store.fetch(f"{_AID_SELECT} WHERE {' AND '.join(where)} ORDER BY c.position", params)
    return _aid_rows(store, raw)

"""Reading the views: balances as of a business date or a log position, organisation rollups
over the tree as it was on the date (R30), per-member totals by branch at the business date,
the journal with running balances, and period statements (the noticeboard's data).

Every amount is integer fen. Entries are ordered by business date, then by voucher sequence:
the order the no-overdraft rule and the paper journal use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar

import orjson

from ledger.domain import errors
from ledger.domain.periods import check_period, next_period, statement_range
from ledger.projections.records import iso
from ledger.projections.schema import VIEW_NAMES
from ledger.projections.store import ViewStore

PAGE_SIZE_MAX = 500
P = ParamSpec("P")
R = TypeVar("R")


def one_snapshot(query: Callable[Concatenate[ViewStore, P], R]) -> Callable[Concatenate[ViewStore, P], R]:
    """Run a query of several statements in one read snapshot of the views (ADR 0050), so that
    its figures belong to one log position; inside a caller's snapshot, in that one."""

    @functools.wraps(query)
    def consistent(store: ViewStore, *args: P.args, **kwargs: P.kwargs) -> R:
        with store.snapshot() as snapshot:
            return query(snapshot, *args, **kwargs)

    return consistent


@dataclass(frozen=True)
class FundBalance:
    fund_id: str
    name_zh: str
    kind: str
    owner_org_id: str
    income_fen: int
    expense_fen: int
    cash_fen: int
    bank_fen: int
    reserved_fen: int

    @property
    def balance_fen(self) -> int:
        return self.income_fen - self.expense_fen

    @property
    def available_fen(self) -> int:
        return self.balance_fen - self.reserved_fen


def fund_balances(
    store: ViewStore, *, as_of: date | None = None, at_position: int | None = None
) -> list[FundBalance]:
    """Every fund's balances now, or as of a business date and/or as known at a log position."""
    if as_of is None and at_position is None:
        rows = store.fetch(
            "SELECT fund_id, name_zh, kind, owner_org_id, income_fen, expense_fen, cash_fen, "
            "bank_fen, reserved_fen FROM v_fund ORDER BY position"
        )
        return [FundBalance(*row) for row in rows]
    day = as_of.isoformat() if as_of else "9999-12-31"
    position = at_position if at_position is not None else 2**62
    rows = store.fetch(
        "SELECT f.fund_id, f.name_zh, f.kind, f.owner_org_id, "
        "COALESCE(SUM(j.income_fen), 0), COALESCE(SUM(j.expense_fen), 0), "
        "COALESCE(SUM(j.cash_fen), 0), COALESCE(SUM(j.bank_fen), 0), "
        # reserved as it stood: the dated reservations, releases and payments up to then
        "COALESCE((SELECT SUM(r.delta_fen) FROM v_reservation r WHERE r.fund_id = f.fund_id "
        "AND r.day <= ? AND r.position <= ?), 0) "
        "FROM v_fund f LEFT JOIN v_journal j ON j.fund_no = f.position "
        "AND j.occurred_on <= ? AND j.position <= ? "
        "WHERE f.established_on <= ? AND f.position <= ? "
        "GROUP BY f.fund_id, f.name_zh, f.kind, f.owner_org_id, f.position ORDER BY f.position",
        (day, position, day, position, day, position),
    )
    return [FundBalance(*row[:4], *(int(v) for v in row[4:])) for row in rows]


@one_snapshot
def fund_balance(store: ViewStore, fund_id: str, **as_of: Any) -> FundBalance:
    for balance in fund_balances(store, **as_of):
        if balance.fund_id == fund_id:
            return balance
    raise errors.FundNotFound(fund_id=fund_id)


# --- organisations -------------------------------------------------------------------------------
@dataclass
class OrgRollup:
    org_id: str
    name_zh: str
    kind: str
    parent_org_id: str | None
    own_fen: dict[str, int] = field(default_factory=dict)  # fund kind → balance of own funds
    total_fen: dict[str, int] = field(default_factory=dict)  # … of own and descendants' funds

    @property
    def total_all_fen(self) -> int:
        return sum(self.total_fen.values())


@one_snapshot
def tree_on(store: ViewStore, day: date) -> dict[str, tuple[str, str, str | None]]:
    """org_id → (name, kind, parent) as the tree was on ``day`` (R30); later orgs left out."""
    iso = day.isoformat()
    orgs = store.fetch("SELECT org_id, kind FROM v_org WHERE established_on <= ?", (iso,))
    names = _latest(store, "v_org_name", "name_zh", iso)
    parents = _latest(store, "v_org_parent", "parent_org_id", iso)
    return {org_id: (names[org_id], kind, parents.get(org_id)) for org_id, kind in orgs}


def _latest(store: ViewStore, table: str, column: str, iso: str) -> dict[str, Any]:
    rows = store.fetch(
        f"SELECT org_id, {column} FROM {table} WHERE effective_on <= ? ORDER BY effective_on, position",
        (iso,),
    )
    return dict(rows)  # later rows win


@one_snapshot
def org_rollups(store: ViewStore, *, as_of: date) -> dict[str, OrgRollup]:
    """Each organisation's funds by kind, and those of its whole subtree, on the tree of ``as_of``."""
    tree = tree_on(store, as_of)
    rollups = {oid: OrgRollup(oid, name, kind, parent) for oid, (name, kind, parent) in tree.items()}
    for balance in fund_balances(store, as_of=as_of):
        owner = rollups.get(balance.owner_org_id)
        if owner is None:
            continue
        owner.own_fen[balance.kind] = owner.own_fen.get(balance.kind, 0) + balance.balance_fen
        seen: set[str] = set()
        node: OrgRollup | None = owner
        while node is not None and node.org_id not in seen:  # up the tree as it was on the date
            seen.add(node.org_id)
            node.total_fen[balance.kind] = node.total_fen.get(balance.kind, 0) + balance.balance_fen
            node = rollups.get(node.parent_org_id) if node.parent_org_id else None
    return rollups


# --- members ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberTotal:
    person_id: str
    branch_org_id: str | None  # the branch of formal membership on the business date
    donated_fen: int
    paid_to_fen: int  # aid and other payments made to the person
    stipends_fen: int


def member_totals(store: ViewStore, person_id: str | None = None) -> list[MemberTotal]:
    where, params = ("AND j.person_id = ?", (person_id,)) if person_id else ("", ())
    rows = store.fetch(
        "SELECT j.person_id, m.org_id, "
        "SUM(CASE WHEN j.person_role = 'donor' THEN j.income_fen ELSE 0 END), "
        "SUM(CASE WHEN j.person_role = 'payee' THEN j.expense_fen ELSE 0 END), "
        "SUM(CASE WHEN j.person_role = 'stipend' THEN j.expense_fen ELSE 0 END) "
        # A reversal counts where its original counted (issue 21 item 4): the branch of the
        # original's date, not of the reversal's own, so a transfer in between moves nothing.
        "FROM v_journal j LEFT JOIN v_journal o ON j.reverses_voucher_no IS NOT NULL "
        "AND o.fund_no = j.fund_no AND o.voucher_no = j.reverses_voucher_no "
        "LEFT JOIN v_membership m ON m.person_id = j.person_id "
        "AND m.from_date <= COALESCE(o.occurred_on, j.occurred_on) "
        "AND (m.to_date IS NULL OR m.to_date >= COALESCE(o.occurred_on, j.occurred_on)) "
        f"WHERE j.person_id IS NOT NULL AND j.person_role IN ('donor', 'payee', 'stipend') {where} "
        # No branch (NULL) first on both backends (they sort NULL differently by default).
        "GROUP BY j.person_id, m.org_id "
        "ORDER BY j.person_id, CASE WHEN m.org_id IS NULL THEN 0 ELSE 1 END, m.org_id",
        params,
    )
    return [MemberTotal(pid, org, int(d), int(p), int(s)) for pid, org, d, p, s in rows]


# --- journal and statements -------------------------------------------------------------------------
JOURNAL_SELECT = (
    "SELECT position, fund_no, voucher_no, seq, occurred_on, entry_kind, income_fen, expense_fen, "
    "cash_fen, bank_fen, person_id, person_role, category, reverses_voucher_no FROM v_journal"
)
_JOURNAL_KEYS = tuple(JOURNAL_SELECT[7:].split(" FROM")[0].split(", "))
# Stored fields that are bookkeeping of the store or already columns of the journal.
_NOT_DETAILS = frozenset(
    {
        "timestamp",
        "originator_topic",
        "originator_id",
        "originator_version",
        "class_version",
        "voucher_no",
        "occurred_on",
        "amount_fen",
        "reverses_voucher_no",
        "request_id",
    }
)
_COUNTERPARTY = {"donation": "donor_name", "grant": "grantor_name", "expense": "payee"}


def _rows(store: ViewStore, raw: list[tuple[Any, ...]], opening_fen: int) -> list[dict[str, Any]]:
    """Journal rows as dicts with the running balance. What is shown but never summed — memo,
    counterparty (donor, grantor, payee), handler, recorder and ``details`` (campaign,
    publicity, purpose, stipend months, doc refs …) — is read from each voucher's own event."""
    rows = [dict(zip(_JOURNAL_KEYS, values, strict=True)) for values in raw]
    originals = _originals(store, [r for r in rows if r["reverses_voucher_no"]])
    states = store.event_states([r["position"] for r in rows] + list(originals.values()))
    running = opening_fen
    for row in rows:
        for key in ("income_fen", "expense_fen", "cash_fen", "bank_fen", "seq"):
            row[key] = int(row[key])
        state = states.get(row["position"], {})
        source = states.get(originals.get((row["fund_no"], row["reverses_voucher_no"])), state)
        kind = row["entry_kind"]
        original_kind = _kind_of(source) if kind == "reversal" else kind
        row["period"] = row["occurred_on"][:7]
        row["counterparty"] = source.get(_COUNTERPARTY.get(original_kind, ""))
        row["memo"] = state.get("memo")
        row["handled_by"] = state.get("handled_by")
        row["recorded_by"] = state.get("recorded_by")
        row["details"] = {k: iso(v) for k, v in sorted(state.items()) if k not in _NOT_DETAILS}
        running += row["income_fen"] - row["expense_fen"]
        row["balance_fen"] = running
        del row["fund_no"]
    return rows


def _originals(store: ViewStore, reversals: list[dict[str, Any]]) -> dict[tuple[int, str], int]:
    """(fund, voucher) → log position of the vouchers these reversal rows reverse."""
    out: dict[tuple[str, str], int] = {}
    for row in reversals:
        found = store.fetch(
            "SELECT position FROM v_journal WHERE fund_no = ? AND voucher_no = ?",
            (row["fund_no"], row["reverses_voucher_no"]),
        )
        if found:
            out[(row["fund_no"], row["reverses_voucher_no"])] = int(found[0][0])
    return out


def _kind_of(state: dict[str, Any]) -> str:
    for kind, key in _COUNTERPARTY.items():
        if key in state:
            return kind
    return ""


def _sum_before(store: ViewStore, fund_no: int, day: str) -> int:
    row = store.fetch(
        "SELECT COALESCE(SUM(income_fen - expense_fen), 0) FROM v_journal "
        "WHERE fund_no = ? AND occurred_on < ?",
        (fund_no, day),
    )
    return int(row[0][0])


@dataclass(frozen=True)
class JournalPage:
    fund_id: str
    rows: list[dict[str, Any]]
    count: int
    page: int
    page_size: int


@one_snapshot
def journal(
    store: ViewStore,
    fund_id: str,
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> JournalPage:
    """A fund's vouchers in journal order with the running balance, one page at a time."""
    fund_no = fund_meta(store, fund_id)["fund_no"]
    if page < 1:
        raise errors.ValueNotAllowed(field="page", value=str(page), allowed="1, 2, …")
    if not 1 <= page_size <= PAGE_SIZE_MAX:
        raise errors.ValueNotAllowed(field="page_size", value=str(page_size), allowed=f"1..{PAGE_SIZE_MAX}")
    start = statement_range(period_from)[0].isoformat() if period_from else "0000-01-01"
    end = statement_range(period_to)[1].isoformat() if period_to else "9999-12-31"
    where = "WHERE fund_no = ? AND occurred_on >= ? AND occurred_on <= ?"
    params = (fund_no, start, end)
    count = int(store.fetch(f"SELECT COUNT(*) FROM v_journal {where}", params)[0][0])
    offset = (page - 1) * page_size
    before_page = store.fetch(
        f"SELECT COALESCE(SUM(income_fen - expense_fen), 0) FROM (SELECT income_fen, expense_fen "
        f"FROM v_journal {where} ORDER BY occurred_on, seq LIMIT ?) AS earlier",
        (*params, offset),
    )
    opening = _sum_before(store, fund_no, start) + int(before_page[0][0])
    raw = store.fetch(
        f"{JOURNAL_SELECT} {where} ORDER BY occurred_on, seq LIMIT ? OFFSET ?",
        (*params, page_size, offset),
    )
    return JournalPage(fund_id, _rows(store, raw, opening), count, page, page_size)


@one_snapshot
def journal_voucher(store: ViewStore, fund_id: str, voucher_no: str) -> dict[str, Any]:
    """One voucher of a fund's journal as stored (the columns of ``JOURNAL_SELECT``, amounts as
    integers, no running balance), with ``reversed_by``: the voucher reversing it, if any."""
    fund_no = fund_meta(store, fund_id)["fund_no"]
    number = voucher_no.strip()
    rows = store.fetch(f"{JOURNAL_SELECT} WHERE fund_no = ? AND voucher_no = ?", (fund_no, number))
    if not rows:
        raise errors.VoucherNotFound(voucher_no=number)
    row = dict(zip(_JOURNAL_KEYS, rows[0], strict=True))
    for key in ("income_fen", "expense_fen", "cash_fen", "bank_fen", "seq"):
        row[key] = int(row[key])
    reversal = store.fetch(
        "SELECT voucher_no FROM v_journal WHERE fund_no = ? AND reverses_voucher_no = ?",
        (fund_no, row["voucher_no"]),
    )
    row["reversed_by"] = reversal[0][0] if reversal else None
    return row


def fund_meta(store: ViewStore, fund_id: str) -> dict[str, Any]:
    rows = store.fetch(
        "SELECT fund_id, owner_org_id, kind, name_zh, custody_kind, established_on, "
        "allowed_purposes, policy, position FROM v_fund WHERE fund_id = ?",
        (fund_id,),
    )
    if not rows:
        raise errors.FundNotFound(fund_id=fund_id)
    keys = (
        "fund_id",
        "owner_org_id",
        "kind",
        "name_zh",
        "custody_kind",
        "established_on",
        "allowed_purposes",
        "policy",
        "fund_no",
    )
    meta = dict(zip(keys, rows[0], strict=True))
    meta["allowed_purposes"] = orjson.loads(meta["allowed_purposes"])
    meta["fund_no"] = int(meta["fund_no"])
    meta["policy"] = orjson.loads(meta["policy"])
    return meta


@dataclass(frozen=True)
class Statement:
    """A fund's statement for a month, quarter or year (docs/board.md): opening balance, every
    voucher with the running balance (reversals as their own rows, R35), totals, closing
    balance split into bank and cash. ``closed`` is False while any month is still open: the
    statement is then provisional."""

    fund: dict[str, Any]
    period: str
    start: date
    end: date
    opening_fen: int
    rows: list[dict[str, Any]]
    income_fen: int
    expense_fen: int
    closing_fen: int
    cash_fen: int
    bank_fen: int
    closed: bool
    months_closed: list[str]
    position: int | None = None  # the log position the figures belong to (their snapshot's)


@one_snapshot
def statement(store: ViewStore, fund_id: str, period: str) -> Statement:
    meta = fund_meta(store, fund_id)
    start, end = statement_range(period)
    fund_no = meta["fund_no"]
    opening = _sum_before(store, fund_no, start.isoformat())
    raw = store.fetch(
        f"{JOURNAL_SELECT} WHERE fund_no = ? AND occurred_on >= ? AND occurred_on <= ? "
        "ORDER BY occurred_on, seq",
        (fund_no, start.isoformat(), end.isoformat()),
    )
    rows = _rows(store, raw, opening)
    income = sum(r["income_fen"] for r in rows)
    expense = sum(r["expense_fen"] for r in rows)
    split = store.fetch(
        "SELECT COALESCE(SUM(cash_fen), 0), COALESCE(SUM(bank_fen), 0) FROM v_journal "
        "WHERE fund_no = ? AND occurred_on <= ?",
        (fund_no, end.isoformat()),
    )[0]
    months = [
        m
        for (m,) in store.fetch(
            "SELECT period FROM v_period_close WHERE fund_id = ? AND period >= ? AND period <= ? "
            "ORDER BY period",
            (fund_id, start.isoformat()[:7], end.isoformat()[:7]),
        )
    ]
    # Months before the fund existed have nothing to close.
    expected_months = [m for m in _months(start, end) if m >= meta["established_on"][:7]]
    # cash + bank = closing (R2) holds in one snapshot; views that break it are a finding of
    # ``verify`` (a fresh fold), never a refusal of this read.
    closing = opening + income - expense
    return Statement(
        meta,
        period,
        start,
        end,
        opening,
        rows,
        income,
        expense,
        closing,
        int(split[0]),
        int(split[1]),
        months == expected_months,
        months,
        store.snapshot_position,
    )


def _months(start: date, end: date) -> list[str]:
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class EntryTotal:
    """How many entries of one kind a fund has, and their net amounts (reversals included).
    ``category`` is the donor kind of a donation, the grant kind of a grant, the purpose of an
    expense, ``stipend`` for a stipend."""

    fund_id: str
    entry_kind: str
    category: str | None
    count: int
    income_fen: int
    expense_fen: int
    people: int  # distinct people named (donors, payees, stipend recipients)


def entry_totals(store: ViewStore) -> list[EntryTotal]:
    rows = store.fetch(
        "SELECT f.fund_id, CASE WHEN j.entry_kind = 'reversal' THEN 'reversal' ELSE j.entry_kind END, "
        "j.category, COUNT(*), SUM(j.income_fen), SUM(j.expense_fen), COUNT(DISTINCT j.person_id) "
        "FROM v_journal j JOIN v_fund f ON f.position = j.fund_no "
        "GROUP BY f.fund_id, j.entry_kind, j.category ORDER BY f.fund_id, j.entry_kind, j.category"
    )
    return [EntryTotal(f, k, c, int(n), int(i), int(e), int(p)) for f, k, c, n, i, e, p in rows]


@one_snapshot
def view_status(store: ViewStore) -> dict[str, dict[str, int]]:
    """Each view's position and how many events it lags behind the log."""
    head = store.max_event_position()
    positions = store.positions()
    return {view: {"position": positions[view], "lag": head - positions[view]} for view in VIEW_NAMES}


# --- aid cases (issue 5) ---------------------------------------------------------------------------
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
    if page < 1:
        raise errors.ValueNotAllowed(field="page", value=str(page), allowed="1, 2, …")
    if not 1 <= page_size <= PAGE_SIZE_MAX:
        raise errors.ValueNotAllowed(field="page_size", value=str(page_size), allowed=f"1..{PAGE_SIZE_MAX}")
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


# --- stipend schedules (issue 5) -------------------------------------------------------------------
@dataclass(frozen=True)
class StipendDue:
    org_id: str
    person_id: str
    role: str
    fund_id: str
    monthly_fen: int
    months_due: list[str]
    months_paid: list[str]

    @property
    def months_unpaid(self) -> list[str]:
        return [m for m in self.months_due if m not in self.months_paid]

    @property
    def unpaid_fen(self) -> int:
        return self.monthly_fen * len(self.months_unpaid)


@one_snapshot
def stipend_schedule(store: ViewStore, *, through: str, org_id: str | None = None) -> list[StipendDue]:
    """Per office holder with stipend terms: the months due from the first month of the terms
    through ``through`` (stopping at the end of the term or the day the office was left), and
    which of them the paying fund has paid (reversed payments not counted)."""
    through = check_period(through, "through")
    where, params = ("WHERE t.org_id = ?", (org_id,)) if org_id else ("", ())
    rows = store.fetch(
        "SELECT t.org_id, t.person_id, t.role, t.fund_id, t.monthly_fen, t.from_month, o.to_date, o.term_end "
        "FROM v_stipend_terms t JOIN v_office o ON o.org_id = t.org_id AND o.person_id = t.person_id "
        "AND o.role = t.role AND o.position = (SELECT MAX(o2.position) FROM v_office o2 "
        "WHERE o2.org_id = t.org_id AND o2.person_id = t.person_id AND o2.role = t.role "
        f"AND o2.position < t.position) {where} ORDER BY t.position",
        params,
    )
    out = []
    for org, person, role, fund, monthly, first, to_date, term_end in rows:
        last = min([through] + [d[:7] for d in (to_date, term_end) if d])
        due, month = [], first
        while month <= last:
            due.append(month)
            month = next_period(month)
        paid = store.fetch(
            "SELECT month FROM v_stipend_month WHERE fund_id = ? AND person_id = ? ORDER BY month",
            (fund, person),
        )
        out.append(StipendDue(org, person, role, fund, int(monthly), due, [m for (m,) in paid]))
    return out


# --- collections (issue 5) -------------------------------------------------------------------------
@dataclass(frozen=True)
class FeeTotal:
    person_id: str
    owed_fen: int
    paid_fen: int
    refunded_fen: int

    @property
    def outstanding_fen(self) -> int:
        return max(0, self.owed_fen - self.paid_fen)


def collection_members(store: ViewStore, fund_id: str) -> list[FeeTotal]:
    """Each participant of a collection, in assessment order: owed, paid (net of reversals),
    refunded."""
    rows = store.fetch(
        "SELECT person_id, owed_fen, paid_fen, refunded_fen FROM v_fee WHERE fund_id = ? ORDER BY seq",
        (fund_id,),
    )
    return [FeeTotal(p, int(o), int(pd), int(r)) for p, o, pd, r in rows]


def collection_status(store: ViewStore, fund_id: str) -> str:
    """``open``, ``settled`` or ``closed``."""
    rows = store.fetch(
        "SELECT status FROM v_collection_status WHERE fund_id = ? ORDER BY position DESC LIMIT 1", (fund_id,)
    )
    return rows[0][0] if rows else "open"


# --- objections on vouchers (issue 5) --------------------------------------------------------------
def voucher_objections(store: ViewStore, fund_id: str) -> list[dict[str, Any]]:
    """A fund's voucher objections, oldest first; ``outcome`` is None while unanswered. Never
    the text, the answer or who raised it."""
    rows = store.fetch(
        "SELECT objection_id, voucher_no, raised_on, outcome, escalated_on, escalated_to_org_id "
        "FROM v_voucher_objection "
        "WHERE fund_id = ? ORDER BY position",
        (fund_id,),
    )
    keys = ("objection_id", "voucher_no", "raised_on", "outcome", "escalated_on", "escalated_to_org_id")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def open_voucher_objections(store: ViewStore, org_ids: list[str]) -> list[dict[str, Any]]:
    """Unanswered voucher objections of funds owned by ``org_ids``, or escalated to one of them
    (R36), oldest first. Never the text, the answer or who raised it."""
    if not org_ids:
        return []
    marks = ", ".join("?" * len(org_ids))
    rows = store.fetch(
        "SELECT o.objection_id, o.fund_id, o.voucher_no, o.raised_on, o.escalated_on, "
        "o.escalated_to_org_id FROM v_voucher_objection o JOIN v_fund f ON f.fund_id = o.fund_id "
        f"WHERE o.outcome IS NULL AND (f.owner_org_id IN ({marks}) OR o.escalated_to_org_id IN ({marks})) "
        "ORDER BY o.position",
        (*org_ids, *org_ids),
    )
    keys = ("objection_id", "fund_id", "voucher_no", "raised_on", "escalated_on", "escalated_to_org_id")
    return [dict(zip(keys, row, strict=True)) for row in rows]


# --- custody handovers (R22, ADR 0032) -------------------------------------------------------------
@dataclass(frozen=True)
class Handover:
    """One handover (移交) of a fund's books and money: the book balances at that day, the
    count, and the differences (counted − book) recorded with their note, never booked."""

    fund_id: str
    role: str
    from_person_id: str
    to_person_id: str
    supervisor_person_id: str
    handed_over_on: str
    book_cash_fen: int
    book_bank_fen: int
    cash_counted_fen: int
    bank_balance_fen: int
    cash_difference_fen: int
    bank_difference_fen: int
    difference_note: str | None
    last_voucher_no: str | None
    inventory_ref: str
    recorded_by: str
    position: int


_HANDOVER_COLUMNS = (
    "fund_id, role, from_person_id, to_person_id, supervisor_person_id, handed_over_on, "
    "book_cash_fen, book_bank_fen, cash_counted_fen, bank_balance_fen, cash_difference_fen, "
    "bank_difference_fen, difference_note, last_voucher_no, inventory_ref, recorded_by, position"
)


def handovers(store: ViewStore, fund_id: str) -> list[Handover]:
    """A fund's handovers in the order they were recorded."""
    rows = store.fetch(
        f"SELECT {_HANDOVER_COLUMNS} FROM v_handover WHERE fund_id = ? ORDER BY position", (fund_id,)
    )
    out = []
    for row in rows:
        text, amounts, tail = row[:6], [int(v) for v in row[6:12]], row[12:16]
        out.append(Handover(*text, *amounts, *tail, int(row[16])))
    return out


# --- branch size (R31, a warning, not a rule that refuses) ------------------------------------------
BRANCH_MEMBERS_MAX = 50  # a branch normally has at most 50 members (docs/concepts/practice.md)
BRANCH_FULL_MEMBERS_MIN = 3  # a branch is formed where there are 3 or more full members


BRANCH_WARNING_TEXTS = {  # code → (Chinese, English)
    "branch_over_50_members": (
        "支部党员超过50人，宜分设支部或党小组",
        "More than 50 members: the branch should be split or organised in groups",
    ),
    "branch_under_3_full_members": (
        "正式党员不足3人，不符合单独建立支部的条件",
        "Fewer than 3 full members: too few to form a branch of its own",
    ),
}


@dataclass(frozen=True)
class BranchWarning:
    """A branch whose size R31 asks the ledger to warn about, on a day."""

    org_id: str
    name_zh: str
    members: int
    full_members: int
    codes: tuple[str, ...]  # branch_over_50_members, branch_under_3_full_members


@one_snapshot
def branch_warnings(store: ViewStore, day: date, org_ids: Iterable[str] | None = None) -> list[BranchWarning]:
    """R31: the branches (not temporary ones, whose members keep their formal membership
    elsewhere) that on ``day`` have more than 50 members or fewer than 3 full members, by name;
    only those among ``org_ids`` if given."""
    on = day.isoformat()
    tree = tree_on(store, day)
    wanted = None if org_ids is None else set(org_ids)
    branches = store.fetch(
        "SELECT org_id FROM v_org WHERE kind = 'branch' AND COALESCE(branch_kind, '') <> 'temporary' "
        "AND established_on <= ? AND (dissolved_on IS NULL OR dissolved_on > ?)",
        (on, on),
    )
    counts = {
        org_id: (int(members), int(full))
        for org_id, members, full in store.fetch(
            "SELECT org_id, COUNT(*), SUM(CASE WHEN status = 'full' THEN 1 ELSE 0 END) FROM v_membership "
            "WHERE from_date <= ? AND (to_date IS NULL OR to_date >= ?) GROUP BY org_id",
            (on, on),
        )
    }
    out = []
    for (org_id,) in branches:
        if org_id not in tree or (wanted is not None and org_id not in wanted):
            continue
        members, full = counts.get(org_id, (0, 0))
        codes = tuple(
            code
            for code, applies in (
                ("branch_over_50_members", members > BRANCH_MEMBERS_MAX),
                ("branch_under_3_full_members", full < BRANCH_FULL_MEMBERS_MIN),
            )
            if applies
        )
        if codes:
            out.append(BranchWarning(org_id, tree[org_id][0], members, full, codes))
    return sorted(out, key=lambda w: (w.name_zh, w.org_id))

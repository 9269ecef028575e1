"""The entry lines of a statement, with privacy applied for the audience (see
``ledger.exports.statement`` for the rules): member donations grouped unless the donor
consented, recipients masked or hidden in small groups, reversals as their own lines, public
summaries instead of private reasons. ``BoardContext`` holds what they need to know: people,
consent, branches on a day, organisation names, the fund's cashiers and the period's close."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from ledger.domain.periods import voucher_display
from ledger.exports import labels
from ledger.projections import queries
from ledger.projections.store import ViewStore

PUBLIC, INTERNAL = "public", "internal"
SMALL_GROUP_MIN = 3


@dataclass(frozen=True)
class Line:
    """One row of the table. ``kind``: opening, entry, reversal, donors, totals or closing."""

    kind: str
    no: int | None
    day: str | None
    voucher: str
    summary: str
    income_fen: int | None
    expense_fen: int | None
    balance_fen: int | None
    handler: str
    note: str


@dataclass
class BoardContext:
    audience: str
    people: dict[str, tuple[str, str, bool, bool]]  # id → name, mask, public, internal consent
    memberships: dict[str, list[tuple[str, str, str | None]]]  # id → (org, from, to)
    orgs: dict[str, tuple[str, str, str | None]]
    store: ViewStore
    fund_id: str
    last_close: dict[str, Any] | None
    cashiers: list[tuple[str, str]] | None = None

    @classmethod
    def load(
        cls, store: ViewStore, st: queries.Statement, audience: str, ids: list[str] | None = None
    ) -> BoardContext:
        """The context of ``st``'s rows, or of the people ``ids`` (a period read page by page)."""
        if ids is None:
            ids = sorted({r["person_id"] for r in st.rows if r["person_id"]})
        ctx = cls.for_day(store, st.fund["fund_id"], st.end, audience, ids)
        keys = ("period", "closed_on", "reviewed_by", "seal_position", "seal_hash")
        close = store.fetch(
            "SELECT period, closed_on, reviewed_by, seal_position, seal_hash FROM v_period_close "
            "WHERE fund_id = ? AND period = ?",
            (st.fund["fund_id"], st.end.isoformat()[:7]),
        )
        ctx.last_close = dict(zip(keys, close[0], strict=True)) if close else None
        return ctx

    @classmethod
    def for_day(
        cls, store: ViewStore, fund_id: str, day: date, audience: str, ids: list[str]
    ) -> BoardContext:
        """People, consent, the memberships of ``ids`` and the organisations as on ``day``."""
        people = {
            pid: (name, mask, bool(pub), bool(internal))
            for pid, name, mask, pub, internal in store.fetch(
                "SELECT person_id, name_zh, display_mask, public_notice, internal_notice FROM v_person"
            )
        }
        memberships: dict[str, list[tuple[str, str, str | None]]] = {}
        if ids:
            marks = ", ".join("?" * len(ids))
            for pid, org, start, end in store.fetch(
                "SELECT person_id, org_id, from_date, to_date FROM v_membership "
                f"WHERE person_id IN ({marks}) ORDER BY position",
                ids,
            ):
                memberships.setdefault(pid, []).append((org, start, end))
        return cls(audience, people, memberships, queries.tree_on(store, day), store, fund_id, None)

    def org_name(self, org_id: str | None) -> str:
        return self.orgs[org_id][0] if org_id in self.orgs else ""

    def official(self, person_id: str | None) -> str:
        """An official acting in role is named in full; an actor that is no person shows nothing."""
        return self.people[person_id][0] if person_id in self.people else ""

    def signer(self, recorded: str | None) -> str:
        """A signature: a person of the register by full name; a name typed before signatures
        were people (issue 16) as it was typed; any other id, nothing."""
        if not recorded:
            return ""
        return self.official(recorded) or ("" if _is_id(recorded) else recorded)

    def named(self, person_id: str) -> bool:
        _, _, public, internal = self.people[person_id]
        return public if self.audience == PUBLIC else internal

    def shown_name(self, person_id: str) -> str:
        name, mask, _, _ = self.people[person_id]
        return name if self.named(person_id) else mask

    def branch_on(self, person_id: str, day: str) -> str | None:
        for org, start, end in self.memberships.get(person_id, []):
            if start <= day and (end is None or day <= end):
                return org
        return None

    def cashier_on(self, day: str) -> str | None:
        if self.cashiers is None:
            self.cashiers = [
                (start, pid)
                for pid, start in self.store.fetch(
                    "SELECT person_id, from_date FROM v_custodian WHERE fund_id = ? AND role = 'cashier' "
                    "ORDER BY from_date, position",
                    (self.fund_id,),
                )
            ]
        held = [pid for start, pid in self.cashiers if start <= day]
        return held[-1] if held else None

    def signatures(self, st: queries.Statement, close: dict[str, Any] | None) -> dict[str, str]:
        end = st.end.isoformat()
        out = {}
        for role in ("bookkeeper", "cashier"):
            rows = self.store.fetch(
                "SELECT person_id FROM v_custodian WHERE fund_id = ? AND role = ? AND from_date <= ? "
                "ORDER BY from_date, position",
                (self.fund_id, role, end),
            )
            out[role] = self.official(rows[-1][0]) if rows else ""
        out["reviewer"] = self.signer(close["reviewed_by"]) if close else ""
        leaders = self.store.fetch(
            "SELECT person_id FROM v_office WHERE org_id = ? AND role = 'secretary' AND from_date <= ? "
            "AND (to_date IS NULL OR to_date >= ?) ORDER BY from_date, position",
            (st.fund["owner_org_id"], end, end),
        )
        out["leader"] = self.official(leaders[-1][0]) if leaders else ""
        return out


def _is_id(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True


def entry_lines(
    rows: list[dict[str, Any]],
    ctx: BoardContext,
    opening_fen: int,
    recipients: list[tuple[str | None, str]],
    first_no: int = 1,
) -> list[Line]:
    """The lines of ``rows`` (all of a period, or one page of it: ADR 0175), numbered from
    ``first_no``; ``recipients`` are the period's (category, person) paid, for the small-group
    rule over the whole period."""
    maker = LineMaker(ctx, small_categories(recipients, ctx), opening_fen, first_no)
    return [*maker.feed(rows), *maker.flush()]


class LineMaker:
    """Lines of rows fed in journal order, page after page (ADR 0185): a line is given out as
    soon as its running balance is known, and no row is kept. Member donations group by day,
    campaign and branch (R34), a group's line standing where its first donation stands, so
    once a day has opened a group, the lines after it wait (as lines, not rows) for the end of
    that day, which gives the group its total."""

    def __init__(self, ctx: BoardContext, hidden: set[str], opening_fen: int, first_no: int = 1) -> None:
        self.ctx, self.hidden = ctx, hidden
        self.balance, self.no = opening_fen, first_no
        self.day: str | None = None
        self.waiting: list[Line | _Group] = []  # the day's lines from its first group on
        self.groups: dict[tuple[str, str, str | None], _Group] = {}

    def feed(self, rows: list[dict[str, Any]]) -> Iterator[Line]:
        for row in rows:
            if row["occurred_on"] != self.day:
                yield from self.flush()
                self.day = row["occurred_on"]
            key = _donor_group(row, self.ctx)
            if key is None:
                line = _row_line(row, self.ctx, self.hidden)
                if self.groups:
                    self.waiting.append(line)
                else:
                    yield self._numbered(line)
            elif key in self.groups:
                self.groups[key].add(row, self.ctx)
            else:
                self.groups[key] = group = _Group(key, row)
                group.add(row, self.ctx)
                self.waiting.append(group)

    def flush(self) -> Iterator[Line]:
        """The lines of the day that waited for its groups (at the end of a day, or of all)."""
        for item in self.waiting:
            yield self._numbered(item.line(self.ctx) if isinstance(item, _Group) else item)
        self.waiting, self.groups = [], {}

    def _numbered(self, line: Line) -> Line:
        self.balance += (line.income_fen or 0) - (line.expense_fen or 0)
        line = replace(line, no=self.no, balance_fen=self.balance)
        self.no += 1
        return line


class _Group:
    """The donations of one group line: summed as they come, the rows themselves not kept."""

    def __init__(self, key: tuple[str, str, str | None], first: dict[str, Any]) -> None:
        self.key, self.first_voucher = key, first["voucher_no"]
        self.count, self.income, self.expense = 0, 0, 0
        self.people: set[str] = set()
        self.handlers: set[str] = set()

    def add(self, row: dict[str, Any], ctx: BoardContext) -> None:
        self.count += 1
        self.income += row["income_fen"]
        self.expense += row["expense_fen"]
        self.people.add(row["person_id"])
        self.handlers.add(_handler(row, ctx))

    def line(self, ctx: BoardContext) -> Line:
        first = voucher_display(self.first_voucher)
        voucher = first if self.count == 1 else f"{first}等{self.count}张"
        handler = next(iter(self.handlers)) if len(self.handlers) == 1 else ""
        summary = _group_summary(self.key, len(self.people), ctx)
        day = self.key[0]
        return Line(
            "donors",
            None,
            day,
            voucher,
            summary,
            self.income or None,
            self.expense or None,
            None,
            handler,
            "",
        )


def summary_of(row: dict[str, Any], ctx: BoardContext) -> str:
    """The 摘要 one row alone would print (a grouped donation: its group of one)."""
    key = _donor_group(row, ctx)
    if key is not None:
        return _group_summary(key, 1, ctx)
    return _summary(row, ctx, set())[0]


def _donor_group(row: dict[str, Any], ctx: BoardContext) -> tuple[str, str, str | None] | None:
    if row["entry_kind"] != "donation" or row["person_role"] != "donor":
        return None
    details = row["details"]
    if details.get("publish_donor_name") or (ctx.audience == INTERNAL and ctx.named(row["person_id"])):
        return None
    branch = ctx.branch_on(row["person_id"], row["occurred_on"])
    return (row["occurred_on"], details.get("campaign") or "", branch)


def small_categories(recipients: list[tuple[str | None, str]], ctx: BoardContext) -> set[str]:
    """Expense categories with fewer than SMALL_GROUP_MIN masked recipients in the statement
    (``recipients``: its (category, person) paid, ``queries.statement_recipients``)."""
    masked: dict[str, set[str]] = {}
    for category, person in recipients:
        if not ctx.named(person):
            masked.setdefault(category or "", set()).add(person)
    return {category for category, people in masked.items() if len(people) < SMALL_GROUP_MIN}


def _campaign(campaign: str) -> str:
    return labels.CAMPAIGNS.get(campaign, f"{campaign}党员捐献" if campaign else "党员捐献")


def _group_summary(key: tuple[str, str, str | None], people: int, ctx: BoardContext) -> str:
    _, campaign, branch = key
    where = f"{ctx.org_name(branch)}，" if branch else ""
    return f"{_campaign(campaign)}（{where}{people}人）"


def _row_line(row: dict[str, Any], ctx: BoardContext, hidden: set[str]) -> Line:
    """The line of a row of its own (unnumbered, its balance still to come)."""
    kind = row["entry_kind"]
    summary, note = _summary(row, ctx, hidden)
    return Line(
        "reversal" if kind == "reversal" else "entry",
        None,
        row["occurred_on"],
        voucher_display(row["voucher_no"]),
        summary,
        row["income_fen"] or None,
        row["expense_fen"] or None,
        None,
        _handler(row, ctx),
        note,
    )


def _handler(row: dict[str, Any], ctx: BoardContext) -> str:
    """Who handled the money: the handler recorded on a payment (a person, or a name as
    recorded); for money received, the fund's cashier on the day (who takes it in), else the
    person who recorded it."""
    handled = row["handled_by"]
    if handled:
        return ctx.official(handled) or handled
    return ctx.official(ctx.cashier_on(row["occurred_on"]) or row["recorded_by"])


def _summary(row: dict[str, Any], ctx: BoardContext, hidden: set[str]) -> tuple[str, str]:
    """The public line (ADR 0080): the typed public summary of a line about no person, else a
    text derived from the category. The memo is internal and never read here."""
    kind, details = row["entry_kind"], row["details"]
    typed = details.get("public_summary")  # absent on events stored before it existed
    if kind == "reversal":
        return _reversal_summary(row, ctx), ""
    if kind == "donation":
        return _donation_summary(row, ctx)
    if kind == "grant":
        grant = labels.GRANTS.get(details.get("grant_kind", ""), "拨款")
        return typed or f"{grant}（{row['counterparty']}）", ""
    if kind == "interest":
        return typed or "银行存款利息", ""
    if kind in ("transfer_in", "transfer_out"):
        return "资金调入" if kind == "transfer_in" else "资金调出", ""
    if kind == "cash_move":
        return typed or ("库存现金存入银行" if details.get("to_account") == "bank" else "银行提取现金"), ""
    label = labels.CATEGORIES.get(row["category"] or "", row["category"] or "")
    if kind == "aid":  # the case's public category (R34: never its private reason)
        label = _aid_category(ctx, details.get("case_id")) or labels.AID_KINDS.get(label, label)
    if kind == "stipend":
        label = f"{labels.STIPEND_ROLES.get(details.get('role', ''), '')}工作补贴"
        months = "、".join(details.get("months") or [])
        return _recipient(label, row, ctx, hidden), f"补贴月份：{months}" if months else ""
    if row["person_id"]:
        return _recipient(label, row, ctx, hidden), ""
    return typed or label, ""  # the free-text payee may be a person: never printed


def _aid_category(ctx: BoardContext, case_id: str | None) -> str | None:
    if not case_id:
        return None
    found = ctx.store.fetch("SELECT public_category FROM v_aid_case WHERE case_id = ?", (case_id,))
    return found[0][0] if found and found[0][0] else None


def _recipient(text: str, row: dict[str, Any], ctx: BoardContext, hidden: set[str]) -> str:
    pid = row["person_id"]
    if not ctx.named(pid) and (row["category"] or "") in hidden:
        return text
    branch = ctx.branch_on(pid, row["occurred_on"])
    where = f"（{ctx.org_name(branch)}）" if branch else ""
    return f"{text} {ctx.shown_name(pid)}{where}"


def _donation_summary(row: dict[str, Any], ctx: BoardContext) -> tuple[str, str]:
    details = row["details"]
    donor_kind = details.get("donor_kind")
    if row["person_id"]:  # a named member (consent recorded): grouped otherwise
        branch = ctx.branch_on(row["person_id"], row["occurred_on"])
        where = f"（{ctx.org_name(branch)}）" if branch else ""
        name = ctx.people[row["person_id"]][0]
        return f"{_campaign(details.get('campaign') or '')} {name}{where}", ""
    if donor_kind in ("partner_unit", "company"):
        prefix = "共建单位" if donor_kind == "partner_unit" else ""
        return details.get("public_summary") or f"{prefix}{row['counterparty']}捐赠", "社会捐赠"
    if details.get("publish_donor_name") and row["counterparty"]:
        return f"{row['counterparty']}捐赠", ""
    return "居民捐赠" if donor_kind == "resident" else "个人捐赠", ""


def _reversal_summary(row: dict[str, Any], ctx: BoardContext) -> str:
    original = row["reverses_voucher_no"]
    found = ctx.store.fetch(
        "SELECT j.occurred_on FROM v_journal j JOIN v_fund f ON f.position = j.fund_no "
        "WHERE f.fund_id = ? AND j.voucher_no = ?",
        (ctx.fund_id, original),
    )
    when = labels.zh_date(found[0][0])[5:] if found else ""
    return f"冲销{when}{voucher_display(original)}号凭证"

"""The simple model of the read models: an independent fold in plain Python, for checking them.

The SQL views (``fold.py`` + ``store.py`` + ``queries/``) are built for speed: they decode
stored JSON directly, keep running sums in tables and answer with SQL. This module answers the
same questions the slow, obvious way, so that tests can compare the two: it takes domain events
decoded by the library's own mapper (``read_events(app)``, or any iterable of
``(log position, domain event)``), keeps every entry in a list, and re-derives each answer from
that list on demand. It shares no code with the views except the result dataclasses of
``queries`` (so the answers compare with ``==``). Never use it to serve requests.

Rules it encodes (docs/concepts/read-models.md; R30/R35 in docs/concepts/rules.md):
- money in (donation, grant, interest, transfer in) is income; money out (expense, stipend,
  transfer out) is expense; a reversal negates every column of the voucher it reverses (a
  reversed cash move shifts the money back); a cash move shifts money between cash and bank only;
- balances as of a business date count entries dated on or before it, of funds established on
  or before it; as of a log position, only events at or before that position;
- organisation rollups use the names and parents in force on the date (latest effective date,
  then latest position, wins); an organisation registered after the date is absent; a fund
  counts for its owner and every ancestor of the owner on that date;
- per-member totals go to the branch holding the person's membership on the entry's business
  date (a transfer ends the old membership the day before); a reversal subtracts from the
  same person and bucket as its original, on its own business date;
- journal order is (business date, voucher sequence), with the running balance from zero;
- an aid payment is an expense to its beneficiary (bucket ``paid_to``); reserved money is what
  approved, unpaid cases hold now (a reservation ends when its case is paid or released), and
  only the current balances carry it (as of a date or position it is 0, as in the views); a
  reversed payment makes its case approved again and reserves its amount again (ADR 0033);
- a custody handover (R22) counts the books as its fund's entries so far stand: cash and bank
  balances, the latest voucher number, and the differences counted − book per account.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ledger.domain.aid_case import AidCase
from ledger.domain.fund import Fund
from ledger.domain.organisation import Organisation
from ledger.domain.person import Person
from ledger.projections.queries import FeeTotal, FundBalance, Handover, MemberTotal, OrgRollup

MONEY_IN = (
    Fund.DonationReceived,
    Fund.GrantReceived,
    Fund.InterestCredited,
    Fund.TransferredIn,
    Fund.FeePaid,
)
MONEY_OUT = (Fund.ExpensePaid, Fund.StipendPaid, Fund.TransferredOut, Fund.AidPaid, Fund.RefundPaid)
BUCKETS = ("donated", "paid_to", "stipends")
Balances = list[FundBalance]
# The journal columns the model computes (a view row projected on these compares with ==).
JOURNAL_KEYS = ("position", "voucher_no", "occurred_on", "income_fen", "expense_fen", "cash_fen")
JOURNAL_KEYS += ("bank_fen", "person_id", "reverses_voucher_no", "balance_fen")


def read_events(app: Any, page_size: int = 500) -> list[tuple[int, Any]]:
    """Every event of the application's notification log, decoded by its own mapper."""
    out: list[tuple[int, Any]] = []
    last = 0
    select = app.recorder.select_notifications
    while page := select(start=last, limit=page_size, inclusive_of_start=False):
        out.extend((n.id, app.mapper.to_domain_event(n)) for n in page)
        last = page[-1].id
    return out


@dataclass(frozen=True)
class Entry:
    position: int
    fund_id: str
    voucher_no: str
    occurred_on: date
    income_fen: int
    expense_fen: int
    cash_fen: int
    bank_fen: int
    person_id: str | None
    bucket: str | None  # one of BUCKETS when a person is named
    reverses_voucher_no: str | None

    @property
    def seq(self) -> int:
        return int(self.voucher_no.split("-")[1])


@dataclass(frozen=True)
class Statement:
    opening_fen: int
    rows: list[dict[str, Any]]
    income_fen: int
    expense_fen: int
    closing_fen: int
    cash_fen: int
    bank_fen: int
    closed: bool
    months_closed: list[str]


def period_range(spec: str) -> tuple[date, date]:
    """``2025`` (year), ``2025-Q2`` (quarter) or ``2025-04`` (month) → first and last day."""
    year = int(spec[:4])
    if len(spec) == 4:
        first, last = 1, 12
    elif spec[5] == "Q":
        first = 3 * int(spec[6]) - 2
        last = first + 2
    else:
        first = last = int(spec[5:7])
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), end - timedelta(days=1)


def _in_force(history: list[tuple[date, int, Any]], day: date) -> Any:
    """The value of the latest (effective date, position) on or before ``day``."""
    return max((h for h in history if h[0] <= day), key=lambda h: (h[0], h[1]))[2]


class Reference:
    def __init__(self, events: Iterable[tuple[int, Any]]) -> None:
        self.funds: dict[str, dict[str, Any]] = {}  # in order of establishment
        self.entries: list[Entry] = []
        self.closed: dict[str, set[str]] = {}
        self.orgs: dict[str, dict[str, Any]] = {}
        self.memberships: dict[str, list[list[Any]]] = {}  # person → [[org, from, to]]
        self._vouchers: dict[tuple[str, str], Entry] = {}
        self.reservations: dict[str, dict[str, int]] = {}  # fund → case → fen (approved, unpaid)
        self.reservation_moves: list[tuple[int, str, date, int]] = []  # position, fund, day, ±fen
        self.cases: dict[str, dict[str, Any]] = {}  # aid case → status, signers, open objections
        self.fees: dict[str, dict[str, list[int]]] = {}  # collection → person → [owed, paid, refunded]
        self._fee_vouchers: dict[tuple[str, str], tuple[str, int]] = {}  # fee voucher → (person, fen)
        self._handovers: list[Handover] = []
        for position, event in sorted(events, key=lambda pe: pe[0]):
            self._apply(position, event)

    @classmethod
    def from_app(cls, app: Any) -> Reference:
        return cls(read_events(app))

    # --- folding -------------------------------------------------------------------------------
    def _apply(self, position: int, ev: Any) -> None:
        oid = str(ev.originator_id)
        if isinstance(ev, Fund.Created):
            self.funds[oid] = {
                "name_zh": ev.name_zh,
                "kind": ev.kind,
                "owner": ev.owner_org_id,
                "established_on": ev.established_on,
                "position": position,
            }
        elif isinstance(ev, Fund.FeeAssessed):
            self.fees[oid] = {p["person_id"]: [p["owed_fen"], 0, 0] for p in ev.participants}
        elif isinstance(ev, Fund.AidReserved):
            self.reservations.setdefault(oid, {})[ev.case_id] = ev.amount_fen
            self.reservation_moves.append((position, oid, ev.reserved_on, ev.amount_fen))
        elif isinstance(ev, Fund.AidReleased):
            del self.reservations[oid][ev.case_id]
            self.reservation_moves.append((position, oid, ev.released_on, -ev.amount_fen))
        elif isinstance(ev, AidCase.Created | AidCase.Event):
            self._case(oid, ev)
        elif isinstance(ev, Fund.PeriodClosed):
            self.closed.setdefault(oid, set()).add(ev.period)
        elif isinstance(ev, Fund.CustodyHandedOver):
            self._handovers.append(self._handover(position, oid, ev))
        elif isinstance(ev, MONEY_IN + MONEY_OUT + (Fund.EntryReversed, Fund.CashMoved)):
            self._money(position, oid, ev)
            if isinstance(ev, Fund.AidPaid):  # a payment uses up the case's reservation
                del self.reservations[oid][ev.case_id]
                self.reservation_moves.append((position, oid, ev.occurred_on, -ev.amount_fen))
            elif isinstance(ev, Fund.FeePaid):
                self.fees[oid][ev.person_id][1] += ev.amount_fen
                self._fee_vouchers[(oid, ev.voucher_no)] = (ev.person_id, ev.amount_fen)
            elif isinstance(ev, Fund.RefundPaid):
                self.fees[oid][ev.person_id][2] += ev.amount_fen
            elif isinstance(ev, Fund.EntryReversed) and (oid, ev.reverses_voucher_no) in self._fee_vouchers:
                person, amount = self._fee_vouchers[(oid, ev.reverses_voucher_no)]
                self.fees[oid][person][1] -= amount
        elif isinstance(ev, Organisation.Created):
            self.orgs[oid] = {
                "kind": ev.kind,
                "established_on": ev.established_on,
                "names": [(ev.established_on, position, ev.name_zh)],
                "parents": [(ev.established_on, position, ev.parent_org_id)],
            }
        elif isinstance(ev, Organisation.Renamed):
            self.orgs[oid]["names"].append((ev.effective_on, position, ev.name_zh))
        elif isinstance(ev, Organisation.Reparented):
            self.orgs[oid]["parents"].append((ev.effective_on, position, ev.new_parent_org_id))
        elif isinstance(ev, Person.JoinedBranch):
            self.memberships.setdefault(oid, []).append([ev.org_id, ev.effective_on, None])
        elif isinstance(ev, Person.Transferred):
            self.memberships[oid][-1][2] = ev.effective_on - timedelta(days=1)
            self.memberships[oid].append([ev.to_org_id, ev.effective_on, None])
        elif isinstance(ev, Person.LeftParty):
            self.memberships[oid][-1][2] = ev.effective_on
        elif isinstance(ev, Person.Deceased):
            held = self.memberships.get(oid)
            if held and held[-1][2] is None:
                held[-1][2] = ev.died_on

    def _case(self, case_id: str, ev: Any) -> None:
        if isinstance(ev, AidCase.Created):
            self.cases[case_id] = {
                "status": "applied",
                "signed_by": [],
                "open_objections": 0,
                "escalated_objections": 0,
                "escalated": set(),  # objection numbers escalated and not yet answered
            }
            return
        case = self.cases[case_id]
        if isinstance(ev, AidCase.Signed):
            case["signed_by"].append(ev.signer_person_id)
        elif isinstance(ev, AidCase.ObjectionRaised | AidCase.ObjectionAnswered):
            case["open_objections"] += 1 if isinstance(ev, AidCase.ObjectionRaised) else -1
            case["escalated"].discard(ev.objection_no)
            case["escalated_objections"] = len(case["escalated"])
        elif isinstance(ev, AidCase.ObjectionEscalated):
            case["escalated"].add(ev.objection_no)
            case["escalated_objections"] = len(case["escalated"])
        else:
            status = {
                AidCase.Approved: "approved",
                AidCase.Rejected: "rejected",
                AidCase.Cancelled: "cancelled",
                AidCase.Paid: "paid",
                AidCase.PaymentReversed: "approved",
            }.get(type(ev))
            if status is not None:
                case["status"] = status

    def _handover(self, position: int, fund_id: str, ev: Any) -> Handover:
        """The books at the handover from this fold's own entries so far (every entry is dated
        on or before the handover, R22): the balances, the latest voucher, the differences."""
        mine = [e for e in self.entries if e.fund_id == fund_id]
        cash, bank = sum(e.cash_fen for e in mine), sum(e.bank_fen for e in mine)
        last = max(mine, key=lambda e: (e.voucher_no[:6], e.seq), default=None)
        return Handover(
            fund_id=fund_id,
            role=ev.role,
            from_person_id=ev.from_person_id,
            to_person_id=ev.to_person_id,
            supervisor_person_id=ev.supervisor_person_id,
            handed_over_on=ev.handed_over_on.isoformat(),
            book_cash_fen=cash,
            book_bank_fen=bank,
            cash_counted_fen=ev.cash_counted_fen,
            bank_balance_fen=ev.bank_balance_fen,
            cash_difference_fen=ev.cash_counted_fen - cash,
            bank_difference_fen=ev.bank_balance_fen - bank,
            difference_note=ev.difference_note,
            last_voucher_no=last.voucher_no if last is not None else None,
            inventory_ref=ev.inventory_ref,
            recorded_by=ev.recorded_by,
            position=position,
        )

    def handovers(self, fund_id: str) -> list[Handover]:
        """``queries.handovers``: a fund's custody handovers in the order recorded."""
        return [h for h in self._handovers if h.fund_id == fund_id]

    def collection_members(self, fund_id: str) -> list[FeeTotal]:
        """``queries.collection_members``: owed, paid (net of reversals), refunded."""
        return [FeeTotal(p, *v) for p, v in self.fees.get(fund_id, {}).items()]

    def _money(self, position: int, fund_id: str, ev: Any) -> None:
        amount = ev.amount_fen
        income = expense = 0
        person = bucket = None
        if isinstance(ev, Fund.CashMoved):
            split = {ev.account: -amount, ev.to_account: amount}
        elif isinstance(ev, Fund.EntryReversed):  # its original's columns, negated; its own postings
            original = self._vouchers[(fund_id, ev.reverses_voucher_no)]
            person, bucket = original.person_id, original.bucket
            income, expense = -original.income_fen, -original.expense_fen
            split = {}
            for _, account, delta in ev.postings():
                split[account] = split.get(account, 0) + delta
        else:
            if isinstance(ev, MONEY_IN):
                income = amount
                if isinstance(ev, Fund.DonationReceived) and ev.donor_person_id:
                    person, bucket = ev.donor_person_id, "donated"
                elif isinstance(ev, Fund.FeePaid):  # named in the journal, not a member total
                    person = ev.person_id
            else:
                expense = amount
                if isinstance(ev, Fund.ExpensePaid) and ev.payee_person_id:
                    person, bucket = ev.payee_person_id, "paid_to"
                elif isinstance(ev, Fund.StipendPaid):
                    person, bucket = ev.person_id, "stipends"
                elif isinstance(ev, Fund.AidPaid):
                    person, bucket = ev.beneficiary_person_id, "paid_to"
                elif isinstance(ev, Fund.RefundPaid):
                    person = ev.person_id
            split = {ev.account: income - expense}
        entry = Entry(
            position,
            fund_id,
            ev.voucher_no,
            ev.occurred_on,
            income,
            expense,
            split.get("cash", 0),
            split.get("bank", 0),
            person,
            bucket,
            getattr(ev, "reverses_voucher_no", None),
        )
        self.entries.append(entry)
        self._vouchers[(fund_id, ev.voucher_no)] = entry

    # --- answers ---------------------------------------------------------------------------------
    def balances(self, *, as_of: date | None = None, at_position: int | None = None) -> Balances:
        """Every fund's balances (``queries.fund_balances``), in order of establishment."""
        day = as_of or date.max
        position = at_position if at_position is not None else 2**62
        current = as_of is None and at_position is None
        out = []
        for fund_id, fund in self.funds.items():
            if fund["established_on"] > day or fund["position"] > position:
                continue
            mine = [
                e
                for e in self.entries
                if e.fund_id == fund_id and e.occurred_on <= day and e.position <= position
            ]
            out.append(
                FundBalance(
                    fund_id,
                    fund["name_zh"],
                    fund["kind"],
                    fund["owner"],
                    sum(e.income_fen for e in mine),
                    sum(e.expense_fen for e in mine),
                    sum(e.cash_fen for e in mine),
                    sum(e.bank_fen for e in mine),
                    # reserved: what approved, unpaid cases held then (now, by default)
                    sum(self.reservations.get(fund_id, {}).values())
                    if current
                    else sum(
                        delta
                        for at, fund, day_, delta in self.reservation_moves
                        if fund == fund_id and day_ <= day and at <= position
                    ),
                )
            )
        return out

    def rollups(self, as_of: date) -> dict[str, OrgRollup]:
        """``queries.org_rollups``: the tree as it was on ``as_of``, with fund balances by kind."""
        tree = {}
        for org_id, org in self.orgs.items():
            if org["established_on"] <= as_of:
                name, parent = _in_force(org["names"], as_of), _in_force(org["parents"], as_of)
                tree[org_id] = OrgRollup(org_id, name, org["kind"], parent)
        for balance in self.balances(as_of=as_of):
            owner = tree[balance.owner_org_id]
            owner.own_fen[balance.kind] = owner.own_fen.get(balance.kind, 0) + balance.balance_fen
            node: str | None = owner.org_id
            for _ in range(len(tree)):  # the domain refuses cycles; bounded anyway
                if node is None:
                    break
                total = tree[node].total_fen
                total[balance.kind] = total.get(balance.kind, 0) + balance.balance_fen
                node = tree[node].parent_org_id
        return tree

    def branch_on(self, person_id: str, day: date) -> str | None:
        for org_id, start, end in self.memberships.get(person_id, []):
            if start <= day and (end is None or day <= end):
                return org_id
        return None

    def attributed_on(self, entry: Entry) -> date:
        """The day whose branch an entry counts for: a reversal's original's (issue 21 item 4)."""
        if entry.reverses_voucher_no is None:
            return entry.occurred_on
        return self._vouchers[(entry.fund_id, entry.reverses_voucher_no)].occurred_on

    def member_totals(self) -> list[MemberTotal]:
        """``queries.member_totals``, sorted by person, then branch with no branch first."""
        sums: dict[tuple[str, str | None], list[int]] = {}
        for e in self.entries:
            if e.person_id is None or e.bucket is None:  # fees and refunds: collection_members
                continue
            key = (e.person_id, self.branch_on(e.person_id, self.attributed_on(e)))
            amount = e.income_fen if e.bucket == "donated" else e.expense_fen
            sums.setdefault(key, [0, 0, 0])[BUCKETS.index(e.bucket)] += amount
        totals = [MemberTotal(pid, org, *values) for (pid, org), values in sums.items()]
        return sorted(totals, key=member_order)

    def journal(self, fund_id: str) -> list[dict[str, Any]]:
        """A fund's entries in journal order with the running balance (keys: JOURNAL_KEYS)."""
        mine = sorted(
            (e for e in self.entries if e.fund_id == fund_id),
            key=lambda e: (e.occurred_on, e.seq),
        )
        rows, running = [], 0
        for e in mine:
            running += e.income_fen - e.expense_fen
            values = (e.position, e.voucher_no, e.occurred_on.isoformat(), e.income_fen)
            values += (e.expense_fen, e.cash_fen, e.bank_fen, e.person_id)
            values += (e.reverses_voucher_no, running)
            rows.append(dict(zip(JOURNAL_KEYS, values, strict=True)))
        return rows

    def statement(self, fund_id: str, period: str) -> Statement:
        """``queries.statement`` for a month, quarter or year."""
        start, end = period_range(period)
        mine = [e for e in self.entries if e.fund_id == fund_id]
        opening = sum(e.income_fen - e.expense_fen for e in mine if e.occurred_on < start)
        first, last = start.isoformat(), end.isoformat()
        rows = [r for r in self.journal(fund_id) if first <= r["occurred_on"] <= last]
        income = sum(r["income_fen"] for r in rows)
        expense = sum(r["expense_fen"] for r in rows)
        days = range((end - start).days + 1)
        months = sorted({(start + timedelta(days=n)).isoformat()[:7] for n in days})
        first_month = self.funds[fund_id]["established_on"].isoformat()[:7]
        months = [m for m in months if m >= first_month]  # nothing to close before the fund
        closed = self.closed.get(fund_id, set())
        return Statement(
            opening,
            rows,
            income,
            expense,
            opening + income - expense,
            sum(e.cash_fen for e in mine if e.occurred_on <= end),
            sum(e.bank_fen for e in mine if e.occurred_on <= end),
            all(m in closed for m in months),
            [m for m in months if m in closed],
        )


def member_order(total: MemberTotal) -> tuple[str, bool, str]:
    """Person, then branch; a total attributed to no branch sorts first (as the view does)."""
    return (total.person_id, total.branch_org_id is not None, total.branch_org_id or "")

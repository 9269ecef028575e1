"""Random commands, valid and invalid, against the Ledger and a simple model of the books.

The model is deliberately naive: it keeps every entry ever made (no pruning, no counters) and
re-derives balances, the running balance by business date, voucher numbers and reversal state
from that list. After every step the Ledger must agree with it; a Ledger reopened on the same
store must rebuild the same state. Custody handovers (R22) move the cash box to the next cashier
and bar every later entry dated before them, at every entry point the model drives.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis import event as count_event
from hypothesis.control import currently_in_test_context
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ledger.application import Ledger
from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from ledger.domain import errors
from ledger.domain.periods import next_period, period_of
from tests.conftest import backend_url, is_postgres

TODAY = date(2025, 7, 10)
START = date(2025, 1, 1)
ACTOR = "keeper"
MAX_FEN = 5_000_000
ROLL_DUE = date(2025, 4, 30)


@dataclass
class Entry:
    day: date
    account: str
    delta: int
    voucher_no: str
    direction: int  # of the original entry (+1 in, -1 out); for reversals, of what it reverses
    is_reversal: bool = False
    reversed: bool = False
    counterpart: tuple[str, str] | None = None  # (fund id, voucher no) of a transfer's other side
    aid_case: str | None = None  # the case an aid payment paid (reversed with it: reserved again)
    fee_payer: str | None = None  # a collection fee's participant
    moved_to: str | None = None  # a cash move (or its reversal): ``delta`` on account, ``-delta`` here

    def postings(self) -> list[tuple[date, str, int]]:
        rows = [(self.day, self.account, self.delta)]
        return rows + ([(self.day, self.moved_to, -self.delta)] if self.moved_to else [])


@dataclass
class ModelFund:
    kind: str
    entries: list[Entry] = field(default_factory=list)
    closed_through: str | None = None
    reserved: dict[str, int] = field(default_factory=dict)  # approved, unpaid aid cases
    paid: dict[str, int] = field(default_factory=dict)  # collections: fees paid per participant
    settled: bool = False
    refunds: int = 0
    cashier: str | None = None  # R22: changed only by a handover
    cashier_from: date = START
    handed_over_on: date | None = None  # nothing may be dated before the latest handover

    def balance(self, account: str | None = None) -> int:
        postings = [p for e in self.entries for p in e.postings()]
        return sum(delta for _, acc, delta in postings if account in (None, acc))

    @property
    def available(self) -> int:
        return self.balance() - sum(self.reserved.values())

    def would_overdraw(self, extra: list[tuple[date, str, int]], own_reservation: int = 0) -> bool:
        """R3 on every day, and the available balance (balance − reserved) after it."""
        if self.available + own_reservation + sum(delta for *_, delta in extra) < 0:
            return True
        rows = [p for e in self.entries for p in e.postings()] + extra
        running = {"cash": 0, "bank": 0}
        for _day, account, delta in sorted(rows, key=lambda r: r[0]):
            running[account] += delta
            if running[account] < 0:
                return True
        return False

    def next_voucher(self, day: date) -> str:
        period = period_of(day)
        used = [e for e in self.entries if period_of(e.day) == period]
        return f"{period[:4]}{period[5:]}-{len(used) + 1:03d}"

    def is_closed(self, day: date) -> bool:
        return self.closed_through is not None and period_of(day) <= self.closed_through

    def before_handover(self, day: date) -> bool:
        return self.handed_over_on is not None and day < self.handed_over_on

    def dated_refusal(self, day: date) -> str | None:
        """The domain's checks of a business date, in its order (after the day's own checks)."""
        if self.is_closed(day):
            return "period_closed"
        if self.before_handover(day):
            return "entry_before_handover"
        return None

    def first_open(self) -> str:
        return next_period(self.closed_through) if self.closed_through else period_of(START)


def _count(label: str) -> None:
    """A statistic of the run (``--hypothesis-show-statistics``); nothing outside a test."""
    if currently_in_test_context():
        count_event(label)


@dataclass
class ModelRegister:
    """The organisation's gifts in kind and assets (ADR 0140): nothing in it is money."""

    gifts: dict[str, list] = field(default_factory=dict)  # gift no -> [kind, value, used, day]
    assets: dict[str, list] = field(default_factory=dict)  # asset no -> [value, keeper, day, off]
    used: dict[tuple[str, str], int] = field(default_factory=dict)  # (fund, voucher) -> value

    @staticmethod
    def next_no(prefix: str, day: date, taken: dict[str, list]) -> str:
        year = f"{prefix}{day.year}-"
        return f"{year}{sum(1 for no in taken if no.startswith(year)) + 1:03d}"


@dataclass
class ModelDues:
    """A branch's dues book (ADR 0160), naively: every payment kept, the clearing balance and
    the standards re-derived from them. The rates are the 2008 table, written out again here."""

    bases: dict[str, dict[str, tuple]] = field(default_factory=dict)  # person -> month -> declared
    payments: dict[str, list] = field(default_factory=dict)  # no -> [person, months, fen, day, state]
    handups: list[tuple[date, int]] = field(default_factory=list)
    rebates: list[tuple[str, str]] = field(default_factory=list)

    def paid(self, person: str, month: str) -> bool:
        return any(p[0] == person and month in p[1] and p[4] != "reversed" for p in self.payments.values())

    def held(self) -> int:
        return sum(p[2] for p in self.payments.values() if p[4] == "held")

    def standard(self, person: str, month: str) -> int | None:
        declared = [m for m in self.bases.get(person, {}) if m <= month]
        if not declared:
            return None
        category, base, fixed = self.bases[person][max(declared)]
        if category == "fixed":
            return fixed
        if category == "allowance":
            return 20
        bounds = {"employed": [(300_000, 50), (500_000, 100), (1_000_000, 150)], "retired": [(500_000, 50)]}
        rate = next(
            (r for bound, r in bounds[category] if base <= bound), 200 if category == "employed" else 100
        )
        return (base * rate + 5_000) // 10_000


def _store_url() -> tuple[str, callable]:
    if is_postgres():
        import psycopg

        schema = f"m_{uuid.uuid4().hex[:12]}"
        base = backend_url()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')

        def drop() -> None:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

        return f"{base}?schema={schema}", drop
    folder = tempfile.mkdtemp(prefix="fundbook-machine-")
    return f"sqlite:///{os.path.join(folder, 'm.db')}", lambda: None


days = st.integers(min_value=0, max_value=190).map(lambda n: START + timedelta(days=n))
amounts = st.one_of(
    st.integers(min_value=1, max_value=200_000),
    st.sampled_from([0, -5, MAX_FEN + 1]),
)
accounts = st.sampled_from(["cash", "bank"])
months = st.integers(1, 7).map(lambda m: f"2025-{m:02d}")


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.url, self._drop = _store_url()
        self.app = self._open()
        org = self.app.register_organisation(
            actor=ACTOR, kind="community_committee", name_zh="社区", established_on=date(2020, 1, 1)
        )["org_id"]
        self.fund_ids: list[str] = []
        self.model: dict[str, ModelFund] = {}
        for kind in ("mutual_aid", "activity"):
            fund_id = self.app.establish_fund(
                actor=ACTOR,
                owner_org_id=org,
                kind=kind,
                name_zh=kind,
                allowed_purposes=["aid"],
                custody={"kind": "bank_account", "ref": "a"},
                established_on=START,
                policy={
                    "entry_max_fen": MAX_FEN,
                    **({"publicise_aid_first": False} if kind == "mutual_aid" else {}),
                },
            )["fund_id"]
            self.fund_ids.append(fund_id)
            self.model[fund_id] = ModelFund(kind)
        self.participants = [
            self.app.register_person(actor=ACTOR, name_zh=name)["person_id"] for name in ("赵", "钱", "孙")
        ]
        self.collection = self.app.establish_fund(
            actor=ACTOR,
            owner_org_id=org,
            kind="collection",
            name_zh="秋游AA",
            allowed_purposes=["outing"],
            custody={"kind": "bank_account", "ref": "a"},
            established_on=START,
            policy={"entry_max_fen": MAX_FEN},
        )["fund_id"]
        self.model[self.collection] = ModelFund("collection", paid={p: 0 for p in self.participants})
        self.app.record(
            self.collection,
            "assess_fees",
            actor=ACTOR,
            basis="equal_split",
            participants=self.participants,
            target_fen=90_000,
        )
        self.beneficiary = self.app.register_person(actor=ACTOR, name_zh="王小明")["person_id"]
        self.cashiers = [
            self.app.register_person(actor=ACTOR, name_zh=name)["person_id"] for name in ("甲", "乙", "丙")
        ]
        self.supervisor = self.app.register_person(actor=ACTOR, name_zh="监交人")["person_id"]
        for fund_id in self.fund_ids:
            self.app.record(
                fund_id,
                "assign_custodian",
                actor=ACTOR,
                role="cashier",
                person_id=self.cashiers[0],
                from_date=START,
            )
            self.model[fund_id].cashier = self.cashiers[0]
        signer = self.app.register_person(actor=ACTOR, name_zh="周书记")["person_id"]
        self.approver = self.app.register_user(actor=ACTOR, person_id=signer)["user_id"]
        self.app.change_role(self.approver, "grant", actor=ACTOR, role="approver", org_id=org)
        # The mutual-aid association's roll (issue 21 item 1): the participants enrol and leave,
        # pay the year's contribution by donation to the mutual-aid fund, or are waived.
        self.app.set_roll_contribution(
            self.fund_ids[0], actor=ACTOR, year=2025, amount_fen=1_000, due_on=ROLL_DUE, charter_ref="章程"
        )
        self.stints: dict[str, list[list[date | None]]] = {}  # person → [[enrolled, left or None]]
        self.waived: set[str] = set()
        self.contributions: list[tuple[str, str]] = []  # (person, voucher) in the order paid
        self.org = org
        self.register = ModelRegister()
        # A branch's dues book (ADR 0160): two members of a branch under the community, their
        # bases declared from January, a rebate share of half from January.
        self.branch = self.app.register_organisation(
            actor=ACTOR,
            kind="branch",
            name_zh="第一支部",
            parent_org_id=org,
            established_on=date(2020, 1, 1),
            branch_kind="retiree",
        )["org_id"]
        self.dues_members = []
        for name in ("李", "周"):
            person = self.app.register_person(actor=ACTOR, name_zh=name)["person_id"]
            self.app.change_person(
                person,
                "join_branch",
                actor=ACTOR,
                org_id=self.branch,
                effective_on=date(2020, 1, 1),
                membership_status="full",
                category="retired",
            )
            self.dues_members.append(person)
        self.app.configure_dues(
            self.branch, actor=ACTOR, from_month="2025-01", rebate_share_bp=5_000, decision_ref="文件"
        )
        self.dues = ModelDues()
        for person, category, base in zip(
            self.dues_members, ("retired", "employed"), (420_000, 300_001), strict=True
        ):
            self.app.declare_dues_base(
                self.branch,
                actor=ACTOR,
                person_id=person,
                from_month="2025-01",
                category=category,
                base_fen=base,
            )
            self.dues.bases[person] = {"2025-01": (category, base, None)}

    def _open(self) -> Ledger:
        return build_ledger(Settings(database_url=self.url), today=lambda: TODAY)

    def teardown(self) -> None:
        self.app.close()
        self._drop()

    # --- the expected outcome of a one-fund entry, in the domain's check order ------------------
    def _expect(self, fund: ModelFund, day: date, amount: int, postings: list) -> str | None:
        if refused := fund.dated_refusal(day):
            return refused
        if amount <= 0:
            return "amount_must_be_positive"
        if amount > MAX_FEN:
            return "amount_above_maximum"
        if fund.would_overdraw(postings):
            return "insufficient_funds"
        return None

    def _run(self, expected: str | None, command):
        try:
            result = command()
        except errors.LedgerError as error:
            assert expected is not None, f"refused with {error.code}, model expected success"
            assert error.code == expected, (error.code, expected)
            return None
        assert expected is None, f"accepted, model expected {expected}"
        return result

    @rule(i=st.integers(0, 1), day=days, amount=amounts, account=accounts)
    def donate(self, i: int, day: date, amount: int, account: str) -> None:
        fund_id = self.fund_ids[i]
        fund = self.model[fund_id]
        expected = self._expect(fund, day, amount, [])
        voucher = fund.next_voucher(day)
        result = self._run(
            expected,
            lambda: self.app.record(
                fund_id,
                "receive_donation",
                actor=ACTOR,
                occurred_on=day,
                amount_fen=amount,
                donor_kind="resident",
                donor_name="居民",
                account=account,
                doc_refs=["r"],
            ),
        )
        if result is not None:
            assert result["voucher_no"] == voucher
            fund.entries.append(Entry(day, account, amount, voucher, +1))

    @rule(i=st.integers(0, 1), day=days, amount=amounts, account=accounts, allowed=st.booleans())
    def pay(self, i: int, day: date, amount: int, account: str, allowed: bool) -> None:
        fund_id = self.fund_ids[i]
        fund = self.model[fund_id]
        expected = self._expect(fund, day, amount, [(day, account, -amount)])
        if expected in (None, "insufficient_funds") and not allowed:
            expected = "purpose_not_allowed"
        voucher = fund.next_voucher(day)
        result = self._run(
            expected,
            lambda: self.app.record(
                fund_id,
                "pay_expense",
                actor=ACTOR,
                occurred_on=day,
                amount_fen=amount,
                category="aid" if allowed else "banquet",
                payee="王*明",
                handled_by="h",
                approved_by="a",
                account=account,
                doc_refs=["invoice"],
            ),
        )
        if result is not None:
            assert result["voucher_no"] == voucher
            fund.entries.append(Entry(day, account, -amount, voucher, -1))

    @rule(i=st.integers(0, 1), day=days, amount=amounts, source=accounts)
    def move_cash(self, i: int, day: date, amount: int, source: str) -> None:
        """存现/取现: the cashier's move between the two accounts (reversible, ADR 0033)."""
        fund_id = self.fund_ids[i]
        fund = self.model[fund_id]
        other = "bank" if source == "cash" else "cash"
        moved = Entry(day, source, -amount, fund.next_voucher(day), 0, moved_to=other)
        expected = self._expect(fund, day, amount, moved.postings())
        result = self._run(
            expected,
            lambda: self.app.record(
                fund_id,
                "move_cash",
                actor=ACTOR,
                occurred_on=day,
                amount_fen=amount,
                from_account=source,
                to_account=other,
                doc_refs=["存款单"],
            ),
        )
        if result is not None:
            assert result["voucher_no"] == moved.voucher_no
            fund.entries.append(moved)

    @precondition(lambda self: any(m.entries for m in self.model.values()))
    @rule(data=st.data(), later=st.integers(0, 40))
    def reverse(self, data: st.DataObject, later: int) -> None:
        fund_id = data.draw(st.sampled_from([f for f in self.model if self.model[f].entries]))
        self._reverse(fund_id, data.draw(st.sampled_from(self.model[fund_id].entries)), later)

    def _special(self) -> list[tuple[str, Entry]]:
        """Unreversed aid payments and cash moves (reversible since ADR 0033)."""
        return [
            (fund_id, e)
            for fund_id, m in self.model.items()
            for e in m.entries
            if (e.aid_case or e.moved_to) and not e.reversed and not e.is_reversal
        ]

    @precondition(lambda self: self._special())
    @rule(data=st.data(), later=st.integers(0, 40))
    def reverse_aid_payment_or_cash_move(self, data: st.DataObject, later: int) -> None:
        """The uniform pick above rarely lands on these: aim at them."""
        self._reverse(*data.draw(st.sampled_from(self._special())), later)

    def _reverse(self, fund_id: str, target: Entry, later: int) -> None:
        fund = self.model[fund_id]
        day = min(target.day + timedelta(days=later), TODAY)
        expected = self._reversal_expectation(fund, target, day)
        other = None
        if target.counterpart is not None:
            other_fund = self.model[target.counterpart[0]]
            other_entry = next(e for e in other_fund.entries if e.voucher_no == target.counterpart[1])
            other = (other_fund, other_entry)
            if expected is None:
                expected = self._reversal_expectation(other_fund, other_entry, day)
        voucher = fund.next_voucher(day)
        result = self._run(
            expected,
            lambda: self.app.reverse_entry(
                fund_id, actor=ACTOR, voucher_no=target.voucher_no, occurred_on=day, reason="错记"
            ),
        )
        if result is not None:
            assert result["voucher_no"] == voucher
            for side_fund, entry in [(fund, target), *([other] if other else [])]:
                number = side_fund.next_voucher(day)
                entry.reversed = True
                if entry.fee_payer is not None:  # a reversed fee is owed again
                    side_fund.paid[entry.fee_payer] -= entry.delta
                if entry.aid_case is not None:  # the case is approved again: reserved again
                    side_fund.reserved[entry.aid_case] = -entry.delta
                    assert result["case_id"] == entry.aid_case
                side_fund.entries.append(
                    Entry(
                        day,
                        entry.account,
                        -entry.delta,
                        number,
                        entry.direction,
                        True,
                        moved_to=entry.moved_to,
                    )
                )

    @staticmethod
    def _reversal_expectation(fund: ModelFund, target: Entry, day: date) -> str | None:
        if fund.settled:
            return "collection_already_settled"
        if target.is_reversal:
            return "cannot_reverse_a_reversal"
        if target.reversed:
            return "voucher_already_reversed"
        if refused := fund.dated_refusal(day):
            return refused
        if day.year != target.day.year:
            return "reversal_across_fiscal_year"
        back = Entry(day, target.account, -target.delta, "", 0, moved_to=target.moved_to)
        if fund.would_overdraw(back.postings()):
            return "insufficient_funds"
        return None

    @rule(day=days, amount=st.integers(1, 100_000))
    def transfer(self, day: date, amount: int) -> None:
        """Activity → mutual aid is allowed with a decision; the other way breaks the earmark."""
        source_id, target_id = self.fund_ids[1], self.fund_ids[0]
        source, target = self.model[source_id], self.model[target_id]
        account = "bank"
        # The domain checks both funds' dates and amounts before the source's balance.
        expected = self._expect(source, day, amount, [])
        if expected is None:
            expected = target.dated_refusal(day)
        if expected is None and source.would_overdraw([(day, account, -amount)]):
            expected = "insufficient_funds"
        out_no, in_no = source.next_voucher(day), target.next_voucher(day)
        result = self._run(
            expected,
            lambda: self.app.transfer_between_funds(
                actor=ACTOR,
                from_fund_id=source_id,
                to_fund_id=target_id,
                occurred_on=day,
                amount_fen=amount,
                decision_ref="支委会决定",
            ),
        )
        if result is not None:
            assert (result["from_voucher_no"], result["to_voucher_no"]) == (out_no, in_no)
            source.entries.append(Entry(day, account, -amount, out_no, -1, counterpart=(target_id, in_no)))
            target.entries.append(Entry(day, account, amount, in_no, +1, counterpart=(source_id, out_no)))

    # --- aid cases on the mutual-aid fund (one signature up to 500.00; no notice window) ---------
    @rule(amount=st.integers(1, 50_000), fits=st.booleans())
    def approve_aid_case(self, amount: int, fits: bool) -> None:
        fund_id = self.fund_ids[0]
        fund = self.model[fund_id]
        payable = min(fund.available, fund.balance("bank"))  # aid is paid from the bank
        if fits and payable > 0:  # mostly within what is available and payable, sometimes not
            amount = 1 + amount % min(payable, 50_000)
        case_id = self.app.apply_for_aid(
            actor=ACTOR,
            fund_id=fund_id,
            beneficiary_person_id=self.beneficiary,
            applicant_person_id=self.beneficiary,
            aid_kind="one_off",
            requested_fen=amount,
            reason_private="困难",
            reason_public_category="生活困难救助",
            evidence_refs=["申请表"],
        )["case_id"]
        expected = "aid_reservation_exceeds_available" if amount > fund.available else None
        if self._run(expected, lambda: self.app.sign_aid_case(case_id, actor=self.approver)) is not None:
            fund.reserved[case_id] = amount

    @precondition(lambda self: self.model[self.fund_ids[0]].reserved)
    @rule(data=st.data(), day=days, after_the_last_entry=st.booleans())
    def pay_aid_case(self, data: st.DataObject, day: date, after_the_last_entry: bool) -> None:
        fund = self.model[self.fund_ids[0]]
        case_id = data.draw(st.sampled_from(sorted(fund.reserved)))
        if after_the_last_entry and fund.entries:  # a random date is mostly before the money came
            day = max(day, *(e.day for e in fund.entries))
        amount = fund.reserved[case_id]
        expected = fund.dated_refusal(day)
        if expected is None and fund.would_overdraw([(day, "bank", -amount)], own_reservation=amount):
            expected = "insufficient_funds"
        voucher = fund.next_voucher(day)
        result = self._run(
            expected,
            lambda: self.app.pay_aid_case(case_id, actor=ACTOR, paid_on=day, doc_refs=["签收单"]),
        )
        if result is not None:
            assert result["voucher_no"] == voucher
            del fund.reserved[case_id]
            fund.entries.append(Entry(day, "bank", -amount, voucher, -1, aid_case=case_id))

    @precondition(lambda self: self.model[self.fund_ids[0]].reserved)
    @rule(data=st.data())
    def cancel_aid_case(self, data: st.DataObject) -> None:
        fund = self.model[self.fund_ids[0]]
        case_id = data.draw(st.sampled_from(sorted(fund.reserved)))
        self.app.cancel_aid_case(case_id, actor=ACTOR, reason="撤回")
        del fund.reserved[case_id]

    # --- a collection: fees, a purchase, settlement (多退) ------------------------------------------
    @rule(who=st.integers(0, 2), day=days, amount=st.integers(1, 50_000))
    def collection_fee(self, who: int, day: date, amount: int) -> None:
        fund = self.model[self.collection]
        person = self.participants[who]
        expected = "collection_already_settled" if fund.settled else self._expect(fund, day, amount, [])
        voucher = fund.next_voucher(day)
        result = self._run(
            expected,
            lambda: self.app.record(
                self.collection,
                "pay_fee",
                actor=ACTOR,
                occurred_on=day,
                amount_fen=amount,
                person_id=person,
                doc_refs=["收据"],
            ),
        )
        if result is not None:
            assert result["voucher_no"] == voucher
            fund.entries.append(Entry(day, "bank", amount, voucher, +1, fee_payer=person))
            fund.paid[person] += amount

    @rule(day=days, amount=st.integers(1, 100_000))
    def collection_spend(self, day: date, amount: int) -> None:
        fund = self.model[self.collection]
        expected = "collection_already_settled" if fund.settled else None
        expected = expected or self._expect(fund, day, amount, [(day, "bank", -amount)])
        voucher = fund.next_voucher(day)
        result = self._run(
            expected,
            lambda: self.app.record(
                self.collection,
                "pay_expense",
                actor=ACTOR,
                occurred_on=day,
                amount_fen=amount,
                category="outing",
                payee="旅行社",
                handled_by="h",
                approved_by="a",
                doc_refs=["发票"],
            ),
        )
        if result is not None:
            assert result["voucher_no"] == voucher
            fund.entries.append(Entry(day, "bank", -amount, voucher, -1))

    @rule(day=days, rule_=st.sampled_from(["pro_rata", "equal"]))
    def settle_collection(self, day: date, rule_: str) -> None:
        fund = self.model[self.collection]
        surplus = fund.balance()
        expected = "collection_already_settled" if fund.settled else None
        if expected is None and surplus > 0 and not any(v > 0 for v in fund.paid.values()):
            expected = "collection_surplus_has_no_payers"
        if expected is None and surplus > 0:
            expected = self._expect(fund, day, surplus, [(day, "bank", -surplus)])
        result = self._run(
            expected,
            lambda: self.app.record(
                self.collection,
                "settle_collection",
                actor=ACTOR,
                occurred_on=day,
                rule=rule_,
                doc_refs=["结算表"],
            ),
        )
        if result is not None:
            fund.settled = True
            refunds = [
                e for e in self.app.events.get(uuid.UUID(self.collection)) if type(e).__name__ == "RefundPaid"
            ]
            assert [e.voucher_no for e in refunds] == result["refund_vouchers"]
            assert sum(e.amount_fen for e in refunds) == surplus
            for event in refunds:
                fund.entries.append(Entry(day, "bank", -event.amount_fen, event.voucher_no, -1))
            fund.refunds = surplus

    @rule(i=st.integers(0, 1))
    def close_next_period(self, i: int) -> None:
        fund_id = self.fund_ids[i]
        fund = self.model[fund_id]
        period = fund.first_open()
        expected = None if period < period_of(TODAY) else "period_not_ended"
        result = self._run(
            expected,
            lambda: self.app.record(
                fund_id,
                "close_period",
                actor=ACTOR,
                period=period,
            ),
        )
        if result is not None:
            fund.closed_through = period

    @rule(i=st.integers(0, 1), day=days, short=st.sampled_from([0, 0, 1, 250]), noted=st.booleans())
    def hand_over_the_cash_box(self, i: int, day: date, short: int, noted: bool) -> None:
        """R22: the cashier hands over to the next before a supervisor; a count short of the
        books needs a note; nothing on the books may be dated after the handover day."""
        fund_id = self.fund_ids[i]
        fund = self.model[fund_id]
        successor = next(p for p in self.cashiers if p != fund.cashier)
        latest = max((e.day for e in fund.entries), default=None)
        book_cash = fund.balance("cash")
        counted = max(book_cash - short, 0)
        expected = None
        if day < fund.cashier_from:
            expected = "handover_before_holder_began"
        elif latest is not None and day < latest:
            expected = "handover_before_latest_entry"
        elif counted != book_cash and not noted:
            expected = "handover_difference_unexplained"
        count_event(f"handover: {expected or 'recorded'}")  # --hypothesis-show-statistics
        result = self._run(
            expected,
            lambda: self.app.record(
                fund_id,
                "hand_over_custody",
                actor=ACTOR,
                role="cashier",
                to_person_id=successor,
                supervisor_person_id=self.supervisor,
                handed_over_on=day,
                cash_counted_fen=counted,
                bank_balance_fen=fund.balance("bank"),
                inventory_ref="移交清单",
                difference_note="短款，待查" if noted else None,
            ),
        )
        if result is not None:
            fund.cashier, fund.cashier_from = successor, day
            fund.handed_over_on = max(day, fund.handed_over_on or day)
            [handed] = [
                e for e in self.app.events.get(uuid.UUID(fund_id)) if type(e).__name__ == "CustodyHandedOver"
            ][-1:]
            assert (handed.book_cash_fen, handed.cash_difference_fen) == (book_cash, counted - book_cash)

    # --- the mutual-aid roll --------------------------------------------------------------------
    def _on_roll(self, person: str, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.stints.get(person, []))

    def _owing_refusal(self, person: str) -> str | None:
        if not self._on_roll(person, ROLL_DUE):
            return "roll_member_owes_nothing"
        if person in self.waived:
            return "roll_contribution_waived"
        return None

    @rule(who=st.integers(0, 2), day=days)
    def enrol(self, who: int, day: date) -> None:
        person, stints = self.participants[who], self.stints.get(self.participants[who], [])
        expected = None
        if stints and stints[-1][1] is None:
            expected = "roll_member_already_enrolled"
        elif stints and day <= stints[-1][1]:
            expected = "dates_out_of_order"
        fund = self.fund_ids[0]
        if self._run(
            expected, lambda: self.app.enrol_in_roll(fund, actor=ACTOR, person_id=person, enrolled_on=day)
        ):
            self.stints.setdefault(person, []).append([day, None])

    @rule(who=st.integers(0, 2), day=days)
    def leave_the_roll(self, who: int, day: date) -> None:
        person, stints = self.participants[who], self.stints.get(self.participants[who], [])
        expected = None
        if not stints or stints[-1][1] is not None:
            expected = "roll_member_not_enrolled"
        elif day < stints[-1][0]:
            expected = "dates_out_of_order"
        fund = self.fund_ids[0]
        leave = partial(self.app.leave_roll, fund, actor=ACTOR, reason="迁居")
        if self._run(expected, lambda: leave(person_id=person, left_on=day)):
            stints[-1][1] = day

    @rule(who=st.integers(0, 2), day=days, amount=amounts)
    def pay_contribution(self, who: int, day: date, amount: int) -> None:
        """The roll's checks first, then the donation's: a refusal by either writes nothing."""
        person, fund_id = self.participants[who], self.fund_ids[0]
        fund = self.model[fund_id]
        expected = self._owing_refusal(person) or self._expect(fund, day, amount, [])
        voucher = fund.next_voucher(day)
        result = self._run(
            expected,
            lambda: self.app.pay_roll_contribution(
                fund_id,
                actor=ACTOR,
                person_id=person,
                year=2025,
                occurred_on=day,
                amount_fen=amount,
                doc_refs=["r"],
            ),
        )
        if result is not None:
            assert result["voucher_no"] == voucher
            fund.entries.append(Entry(day, "bank", amount, voucher, +1))
            self.contributions.append((person, voucher))

    @rule(who=st.integers(0, 2))
    def waive_contribution(self, who: int) -> None:
        person = self.participants[who]
        fund = self.fund_ids[0]
        waive = partial(self.app.waive_roll_contribution, fund, actor=self.approver, reason="困难")
        if self._run(self._owing_refusal(person), lambda: waive(person_id=person, year=2025)):
            self.waived.add(person)

    @invariant()
    def the_roll_holds_the_model_stints_waivers_and_paying_vouchers(self) -> None:
        roll = self.app.aid_roll(self.fund_ids[0])
        stints = {p: [[s.enrolled_on, s.left_on] for s in found] for p, found in roll.stints.items()}
        assert stints == self.stints
        assert roll.waived == {(p, 2025) for p in self.waived}
        paid = [e for e in self.app.events.get(roll.id) if type(e).__name__ == "ContributionPaid"]
        assert [(e.person_id, e.voucher_no) for e in paid] == self.contributions

    # --- gifts in kind and the asset register (ADR 0140): never money -------------------------
    @rule(day=days, value=amounts, kind=st.sampled_from(["goods", "service"]), fund=st.integers(-1, 1))
    def give_in_kind(self, day: date, value: int, kind: str, fund: int) -> None:
        expected = "amount_must_be_positive" if value <= 0 else None
        result = self._run(
            expected,
            lambda: self.app.receive_in_kind(
                self.org,
                actor=ACTOR,
                received_on=day,
                kind=kind,
                value_fen=value,
                donor_kind="partner_unit",
                donor_name="共建单位",
                public_summary="共建单位捐赠",
                description="内部说明",
                supplier="装修队" if kind == "service" else None,
                fund_id=self.fund_ids[fund] if fund >= 0 else None,
                evidence_refs=["来函"],
            ),
        )
        if result is not None:
            number = self.register.next_no("K", day, self.register.gifts)
            assert result["gift_no"] == number
            self.register.gifts[number] = [kind, value, 0, day]

    def _expenses(self) -> list[tuple[str, Entry]]:
        """Expense vouchers of the two funds (pay), reversed or not, and aid payments (refused)."""
        return [
            (fund_id, e)
            for fund_id in self.fund_ids
            for e in self.model[fund_id].entries
            if e.direction < 0 and not e.is_reversal and not e.counterpart and not e.moved_to
        ]

    @precondition(lambda self: self._expenses() or self.register.gifts)
    @rule(data=st.data(), later=st.integers(-3, 30), share=st.integers(1, 120), keeper=st.integers(0, 2))
    def register_asset(self, data: st.DataObject, later: int, share: int, keeper: int) -> None:
        """An asset on an expense voucher or a gift; ``share`` percent of the source's amount, so
        the sum over several assets crosses the amount now and then."""
        sources = [("voucher", f, e) for f, e in self._expenses()]
        sources += [("gift", None, no) for no in self.register.gifts]
        self._register_asset(*data.draw(st.sampled_from(sources)), later, share, keeper)

    def _register_asset(
        self, source: str, fund_id: str | None, target, later: int, share: int, keeper: int
    ) -> None:
        if source == "voucher":
            amount, source_day = -target.delta, target.day
            used = self.register.used.get((fund_id, target.voucher_no), 0)
            refusal = "asset_voucher_not_expense" if target.reversed or target.aid_case else None
            args = {"source": "purchase", "fund_id": fund_id, "voucher_no": target.voucher_no}
        else:
            kind, amount, used, source_day = self.register.gifts[target]
            refusal = "gift_in_kind_not_found" if kind == "service" else None
            args = {"source": "in_kind", "gift_no": target}
        day = min(source_day + timedelta(days=later), TODAY)
        value = max(1, amount * share // 100)
        if refusal is None and day < source_day:
            refusal = "asset_dated_before_source"
        if refusal is None and used + value > amount:
            refusal = "asset_value_exceeds_source"
        _count(f"asset {source}: {refusal or 'registered'}")
        result = self._run(
            refusal,
            lambda: self.app.register_asset(
                self.org,
                actor=ACTOR,
                acquired_on=day,
                value_fen=value,
                public_name="电脑",
                keeper_person_id=self.cashiers[keeper],
                place="活动室",
                **args,
            ),
        )
        if result is not None:
            number = self.register.next_no("A", day, self.register.assets)
            assert result["asset_no"] == number
            self.register.assets[number] = [value, self.cashiers[keeper], day, False]
            if source == "voucher":
                self.register.used[(fund_id, target.voucher_no)] = used + value
            else:
                self.register.gifts[target][2] += value

    @precondition(lambda self: self.register.assets)
    @rule(data=st.data(), later=st.integers(-2, 30), approver=st.integers(0, 2))
    def write_off_asset(self, data: st.DataObject, later: int, approver: int) -> None:
        number = data.draw(st.sampled_from(sorted(self.register.assets)))
        _, keeper, acquired_on, off = self.register.assets[number]
        day = min(acquired_on + timedelta(days=later), TODAY)
        approved_by = self.cashiers[approver]
        expected = None
        if off:
            expected = "asset_already_written_off"
        elif day < acquired_on:
            expected = "asset_dated_before_source"
        elif approved_by == keeper:
            expected = "write_off_approver_not_independent"
        result = self._run(
            expected,
            lambda: self.app.write_off_asset(
                self.org,
                actor=ACTOR,
                asset_no=number,
                written_off_on=day,
                approved_by=approved_by,
                reason="损坏",
            ),
        )
        _count(f"write-off: {expected or 'done'}")
        if result is not None:
            self.register.assets[number][3] = True

    # --- a branch's dues book (ADR 0160): a clearing account, never a fund's money --------------
    @rule(
        who=st.integers(0, 1),
        month=months,
        category=st.sampled_from(["retired", "employed", "allowance", "fixed"]),
        base=st.integers(0, 1_500_000),
    )
    def declare_dues_base(self, who: int, month: str, category: str, base: int) -> None:
        person = self.dues_members[who]
        declared = (category, None if category in ("allowance", "fixed") else base, None)
        if category == "fixed":
            declared = ("fixed", None, max(1, base // 100))
        paid = [m for p in self.dues.payments.values() if p[0] == person and p[4] != "reversed" for m in p[1]]
        expected = "dues_base_before_paid_month" if any(m >= month for m in paid) else None
        result = self._run(
            expected,
            lambda: self.app.declare_dues_base(
                self.branch,
                actor=ACTOR,
                person_id=person,
                from_month=month,
                category=category,
                base_fen=declared[1],
                fixed_fen=declared[2],
            ),
        )
        _count(f"dues base: {expected or 'declared'}")
        if result is not None:
            self.dues.bases.setdefault(person, {})[month] = declared
            assert result["standard_fen"] == self.dues.standard(person, month)

    @rule(who=st.integers(0, 1), first=st.integers(0, 6), count=st.integers(1, 3), amount=amounts, day=days)
    def pay_dues(self, who: int, first: int, count: int, amount: int, day: date) -> None:
        person = self.dues_members[who]
        paid_months = [f"2025-{m:02d}" for m in range(first + 1, min(first + count, 7) + 1)]
        standards = [self.dues.standard(person, m) for m in paid_months]
        expected = None
        if any(self.dues.paid(person, m) for m in paid_months):
            expected = "dues_month_already_paid"
        elif None in standards:
            expected = "dues_base_not_declared"
        elif amount <= 0:
            expected = "amount_must_be_positive"
        result = self._run(
            expected,
            lambda: self.app.pay_dues(
                self.branch,
                actor=ACTOR,
                person_id=person,
                months=paid_months,
                amount_fen=amount,
                paid_on=day,
                receipt_ref="收据",
            ),
        )
        _count(f"dues paid: {expected or 'paid'}")
        if result is not None:
            number = ModelRegister.next_no("D", day, self.dues.payments)
            assert (result["payment_no"], result["standard_fen"]) == (number, sum(standards))
            self.dues.payments[number] = [person, paid_months, amount, day, "held"]

    @precondition(lambda self: self.dues.payments)
    @rule(data=st.data(), later=st.integers(-3, 30))
    def reverse_dues_payment(self, data: st.DataObject, later: int) -> None:
        number = data.draw(st.sampled_from(sorted(self.dues.payments)))
        paid_on, state = self.dues.payments[number][3:]
        day = min(paid_on + timedelta(days=later), TODAY)
        expected = {"reversed": "dues_payment_already_reversed", "handed_up": "dues_payment_handed_up"}.get(
            state
        )
        if expected is None and day < paid_on:
            expected = "dues_dated_before_payment"
        result = self._run(
            expected,
            lambda: self.app.reverse_dues_payment(
                self.branch, actor=ACTOR, payment_no=number, reversed_on=day, reason="录错"
            ),
        )
        _count(f"dues reversed: {expected or 'reversed'}")
        if result is not None:
            self.dues.payments[number][4] = "reversed"

    @rule(how=st.sampled_from(["whole", "less", "more"]), later=st.integers(-3, 30))
    def hand_up_dues(self, how: str, later: int) -> None:
        """Dated ``later`` days after the last payment held (or the last hand-up)."""
        held = self.dues.held()
        amount = held + {"whole": 0, "less": -1, "more": 1}[how]
        last_paid = max((p[3] for p in self.dues.payments.values() if p[4] == "held"), default=None)
        day = min(
            (last_paid or max((d for d, _ in self.dues.handups), default=START)) + timedelta(later), TODAY
        )
        last_paid = last_paid or day
        if amount <= 0:
            expected = "amount_must_be_positive"
        elif held == 0:
            expected = "dues_nothing_to_hand_up"
        elif amount != held:
            expected = "dues_hand_up_not_whole"
        else:
            expected = "dues_dated_before_payment" if day < last_paid else None
        result = self._run(
            expected,
            lambda: self.app.hand_up_dues(
                self.branch, actor=ACTOR, handed_on=day, amount_fen=amount, receipt_ref="回单"
            ),
        )
        _count(f"dues hand-up: {expected or 'handed up'}")
        if result is not None:
            assert result["held_fen"] == 0
            for payment in self.dues.payments.values():
                if payment[4] == "held":
                    payment[4] = "handed_up"
            self.dues.handups.append((day, amount))

    @rule(first=st.integers(0, 6), span=st.integers(-1, 3), amount=amounts, day=days, as_share=st.booleans())
    def receive_dues_rebate(self, first: int, span: int, amount: int, day: date, as_share: bool) -> None:
        """``as_share``: the amount the share gives (when it gives one), else any amount."""
        start, end = f"2025-{first + 1:02d}", f"2025-{max(1, min(first + 1 + span, 12)):02d}"
        handed = sum(fen for on, fen in self.dues.handups if start <= period_of(on) <= end)
        if as_share and handed:
            amount = (handed * 5_000 + 5_000) // 10_000
        expected = None
        if amount <= 0:
            expected = "amount_must_be_positive"
        elif end < start:
            expected = "dates_out_of_order"
        elif any(a <= end and start <= b for a, b in self.dues.rebates):
            expected = "dues_rebate_period_overlaps"
        result = self._run(
            expected,
            lambda: self.app.receive_dues_rebate(
                self.branch,
                actor=ACTOR,
                received_on=day,
                amount_fen=amount,
                period_from=start,
                period_to=end,
            ),
        )
        _count(f"dues rebate: {expected or ('as share' if result and not result['warning'] else 'differs')}")
        if result is not None:
            assert result["expected_fen"] == (handed * 5_000 + 5_000) // 10_000
            assert (result["warning"] is None) == (amount == result["expected_fen"])
            self.dues.rebates.append((start, end))

    @rule()
    def reopen(self) -> None:
        before = {f: self.app.fund(f).__dict__ for f in self.fund_ids}
        register = self.app.asset_register(self.org)
        book = self.app.dues_book(self.branch)
        self.app.close()
        self.app = self._open()
        assert {f: self.app.fund(f).__dict__ for f in self.fund_ids} == before
        reopened = self.app.asset_register(self.org)
        assert (register and register.__dict__) == (reopened and reopened.__dict__)
        assert self.app.dues_book(self.branch).__dict__ == book.__dict__

    # --- invariants ---------------------------------------------------------------------------
    @invariant()
    def balances_equal_the_model_and_are_never_negative(self) -> None:
        for fund_id, model in self.model.items():
            fund = self.app.fund(fund_id)
            for account in ("cash", "bank"):
                assert fund.balances_fen[account] == model.balance(account) >= 0

    @invariant()
    def the_register_holds_the_models_gifts_and_assets_and_never_more_than_a_source(self) -> None:
        register = self.app.asset_register(self.org)
        if register is None:
            assert not self.register.gifts and not self.register.assets
            return
        assert {
            no: [g["kind"], g["value_fen"], g["used_fen"], g["received_on"]]
            for no, g in register.gifts.items()
        } == (self.register.gifts)
        assets = {
            no: [a["value_fen"], a["keeper_person_id"], a["acquired_on"], a["written_off"]]
            for no, a in register.assets.items()
        }
        assert assets == self.register.assets
        assert register.voucher_used_fen == {f"{f}/{v}": fen for (f, v), fen in self.register.used.items()}
        assert all(g["used_fen"] <= g["value_fen"] for g in register.gifts.values())

    @invariant()
    def the_dues_book_holds_the_models_payments_and_what_is_held_is_never_a_funds(self) -> None:
        book = self.app.dues_book(self.branch)
        assert book.held_fen == self.dues.held() >= 0
        assert {
            no: [p["person_id"], p["months"], p["amount_fen"], p["paid_on"], p["state"]]
            for no, p in book.payments.items()
        } == self.dues.payments
        paid = {(p[0], m): no for no, p in self.dues.payments.items() if p[4] != "reversed" for m in p[1]}
        assert book.paid_months == paid
        assert [(h["handed_on"], h["amount_fen"]) for h in book.handups.values()] == self.dues.handups

    @invariant()
    def the_cash_box_is_held_by_whom_the_last_handover_named(self) -> None:
        for fund_id in self.fund_ids:
            assert self.app.fund(fund_id).holder("cashier") == self.model[fund_id].cashier

    @invariant()
    def reserved_is_the_model_and_never_above_the_balance_so_available_is_never_negative(self) -> None:
        for fund_id, model in self.model.items():
            fund = self.app.fund(fund_id)
            assert fund.reserved_fen == sum(model.reserved.values())
            assert 0 <= fund.reserved_fen <= fund.balance_fen
            assert fund.available_fen >= 0

    @invariant()
    def a_settled_collection_refunded_its_surplus_so_refunds_plus_expenses_equal_receipts(self) -> None:
        model = self.model[self.collection]
        receipts = sum(e.delta for e in model.entries if e.direction > 0)
        spent = -sum(e.delta for e in model.entries if e.direction < 0)  # expenses and refunds
        assert receipts - spent == model.balance()
        if model.settled:
            fund = self.app.fund(self.collection)
            assert fund.balance_fen == 0 and receipts == spent
            [settled] = [e for e in self.app.events.get(fund.id) if type(e).__name__ == "CollectionSettled"]
            assert settled.receipts_fen == settled.expenses_fen + sum(
                r["amount_fen"] for r in settled.refunds
            )

    @invariant()
    def voucher_numbers_are_gap_free_and_reversals_exact_and_single(self) -> None:
        for fund_id, model in self.model.items():
            events = [e for e in self.app.events.get(uuid.UUID(fund_id)) if hasattr(e, "voucher_no")]
            assert [e.voucher_no for e in events] == [e.voucher_no for e in model.entries]
            by_period: dict[str, list[int]] = {}
            for event in events:
                by_period.setdefault(event.voucher_no[:6], []).append(int(event.voucher_no[7:]))
            assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in by_period.values())
            originals = {e.voucher_no: e for e in events}
            reversed_numbers = [e.reverses_voucher_no for e in events if hasattr(e, "reverses_voucher_no")]
            assert len(reversed_numbers) == len(set(reversed_numbers))
            for event in events:
                if hasattr(event, "reverses_voucher_no"):
                    original = originals[event.reverses_voucher_no]
                    assert (event.amount_fen, event.account) == (
                        original.amount_fen,
                        original.account,
                    )
                    negated = sorted((account, -delta) for _, account, delta in original.postings())
                    assert sorted((account, delta) for _, account, delta in event.postings()) == negated


LedgerMachine.TestCase.settings = settings(
    max_examples=12 if is_postgres() else 25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLedgerMachine = LedgerMachine.TestCase


def test_machine_model_and_register_agree_on_assets_when_a_voucher_is_spent_past_its_amount():
    """The random walk reaches an expense voucher only now and then (a donation, then a payment
    that fits): this walk takes the purchase path on purpose, then lets the machine's own
    expectations and invariant judge each step."""
    machine = LedgerMachine()
    try:
        machine.donate(0, date(2025, 2, 1), 100_000, "bank")
        machine.pay(0, date(2025, 3, 1), 30_000, "bank", True)
        [(fund_id, voucher)] = machine._expenses()
        machine._register_asset("voucher", fund_id, voucher, 3, 50, 0)  # 150.00 of 300.00
        machine._register_asset("voucher", fund_id, voucher, 3, 60, 0)  # 180.00 more: refused
        machine._register_asset("voucher", fund_id, voucher, -3, 10, 0)  # before the voucher: refused
        machine._register_asset("voucher", fund_id, voucher, 0, 50, 1)  # the other half: fits exactly
        machine.the_register_holds_the_models_gifts_and_assets_and_never_more_than_a_source()
        machine.balances_equal_the_model_and_are_never_negative()
        assert machine.register.used == {(fund_id, voucher.voucher_no): 30_000}
        machine._reverse(fund_id, voucher, 5)
        machine._register_asset("voucher", fund_id, voucher, 6, 1, 0)  # a reversed expense: refused
        machine.reopen()
        machine.the_register_holds_the_models_gifts_and_assets_and_never_more_than_a_source()
    finally:
        machine.teardown()

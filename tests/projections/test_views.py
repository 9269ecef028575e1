"""The read models on a real store (SQLite or PostgreSQL, see conftest), against numbers worked
out by hand: balances as of a date and a log position, read-your-writes, lag, rollups over the
tree as it was (R30), per-member totals across a transfer, the journal's pages, statements
(R35 reversals, provisional until closed), and exactly-once batches (replays, crashes, rebuilds,
two runners at once)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from ledger.application import Ledger, Recorded
from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.domain import errors
from ledger.projections import queries, runner
from ledger.projections.fold import Batch
from ledger.projections.queries import MemberTotal
from ledger.projections.reference import Reference, member_order
from ledger.projections.store import TrackingMoved, ViewStore

TODAY = date(2025, 7, 10)
ACTOR = "bookkeeper-1"


@dataclass
class Books:
    """A street of two communities: C1 with branches A and B, C2 empty. Member P1 in A, P2 in B
    (P2 is B's secretary). Funds: mutual aid of C1 (bank), activity of A (cash box), activity of
    B (bank, stipends allowed). All funds established on 2025-01-01."""

    app: Ledger
    c1: str
    c2: str
    a: str
    b: str
    p1: str
    p2: str
    aid: str
    act_a: str
    act_b: str
    aid_established_at: int

    def donate(
        self, fund: str, on: date, amount: int, *, person: str | None = None, account=None
    ) -> Recorded:
        if person:
            donor = {"donor_kind": "member", "donor_person_id": person}
        else:
            donor = {"donor_kind": "resident", "donor_name": "居民"}
        return self.app.record(
            fund,
            "receive_donation",
            actor=ACTOR,
            occurred_on=on,
            amount_fen=amount,
            doc_refs=["收据"],
            account=account,
            **donor,
        )

    def pay(self, fund: str, on: date, amount: int, *, person: str | None = None) -> Recorded:
        return self.app.record(
            fund,
            "pay_expense",
            actor=ACTOR,
            occurred_on=on,
            amount_fen=amount,
            category="hardship_aid" if fund == self.aid else "activities",
            payee="王*明",
            payee_person_id=person,
            handled_by="经办人",
            approved_by="审批人",
            doc_refs=["发票"],
        )

    def reverse(self, fund: str, voucher_no: str, on: date) -> Recorded:
        when = {"occurred_on": on, "reason": "错记"}
        return self.app.reverse_entry(fund, actor=ACTOR, voucher_no=voucher_no, **when)

    def transfer(self, source: str, target: str, on: date, amount: int) -> Recorded:
        return self.app.transfer_between_funds(
            actor=ACTOR,
            from_fund_id=source,
            to_fund_id=target,
            occurred_on=on,
            amount_fen=amount,
            decision_ref="支委会决定",
        )


@pytest.fixture
def app(open_ledger) -> Ledger:
    return open_ledger(today=TODAY)


@pytest.fixture
def books(app) -> Books:
    def org(kind: str, name: str, parent: str | None, on: date) -> str:
        return app.register_organisation(
            actor=ACTOR, kind=kind, name_zh=name, parent_org_id=parent, established_on=on
        )["org_id"]

    c1 = org("community_committee", "阳光社区党委", None, date(2010, 1, 1))
    c2 = org("community_committee", "明月社区党委", None, date(2010, 1, 1))
    a = org("branch", "第一支部", c1, date(2015, 1, 1))
    b = org("branch", "第二支部", c1, date(2015, 1, 1))
    people = []
    for name, branch in (("王小明", a), ("李四", b)):
        person = app.register_person(actor=ACTOR, name_zh=name)["person_id"]
        joined = date(2020, 1, 1)
        app.change_person(person, "join_branch", actor=ACTOR, org_id=branch, effective_on=joined)
        people.append(person)
    app.change_organisation(
        b, "appoint", actor=ACTOR, person_id=people[1], role="secretary", from_date=date(2024, 1, 1)
    )

    def fund(owner: str, kind: str, custody: dict, purpose: str, **policy) -> Recorded:
        return app.establish_fund(
            actor=ACTOR,
            owner_org_id=owner,
            kind=kind,
            name_zh=f"{kind}基金",
            allowed_purposes=[purpose],
            custody=custody,
            established_on=date(2025, 1, 1),
            policy=policy or None,
        )

    bank = {"kind": "bank_account", "ref": "农行-0001"}
    aid = fund(c1, "mutual_aid", bank, "hardship_aid")
    act_a = fund(a, "activity", {"kind": "cash_box"}, "activities")
    act_b = fund(b, "activity", bank, "activities", stipends_allowed=True)
    return Books(
        app,
        c1,
        c2,
        a,
        b,
        *people,
        aid["fund_id"],
        act_a["fund_id"],
        act_b["fund_id"],
        aid.position,
    )


@pytest.fixture
def store(app, database_url) -> Iterator[ViewStore]:
    views = build_views(Settings(database_url=database_url))
    yield views
    views.close()


def balance(store: ViewStore, fund_id: str, **as_of) -> tuple[int, int, int, int]:
    b = queries.fund_balance(store, fund_id, **as_of)
    return b.income_fen, b.expense_fen, b.cash_fen, b.bank_fen


def busy_history(books: Books, part: int) -> None:
    """Three parts of a varied history: donations, payments, a transfer, reversals (one of an
    entry from an earlier part, so it is found in the stored journal), a cash move, a close."""
    d = date
    if part == 0:
        books.donate(books.aid, d(2025, 1, 5), 10_000, person=books.p1)
        books.donate(books.act_b, d(2025, 1, 6), 30_000)
        books.donate(books.act_a, d(2025, 1, 7), 4_000, person=books.p2)
        books.pay(books.aid, d(2025, 1, 9), 1_500, person=books.p2)
        books.transfer(books.act_b, books.aid, d(2025, 1, 10), 5_000)
    elif part == 1:
        books.reverse(books.aid, "202501-002", d(2025, 1, 12))  # the expense of part 0
        books.app.record(
            books.act_b,
            "move_cash",
            actor=ACTOR,
            occurred_on=d(2025, 1, 13),
            amount_fen=2_000,
            from_account="bank",
            to_account="cash",
            doc_refs=["取现单"],
        )
        books.app.change_person(
            books.p1, "transfer", actor=ACTOR, to_org_id=books.b, effective_on=d(2025, 2, 1)
        )
        books.donate(books.aid, d(2025, 2, 2), 700, person=books.p1)
        books.app.record(
            books.act_b,
            "pay_stipend",
            actor=ACTOR,
            occurred_on=d(2025, 2, 3),
            amount_fen=600,
            person_id=books.p2,
            months=["2025-01"],
            handled_by="经办人",
            doc_refs=["签收单"],
        )
    else:
        books.reverse(books.act_b, "202501-002", d(2025, 2, 4))  # the transfer, both sides
        books.reverse(books.act_b, "202501-003", d(2025, 2, 5))  # the cash move of part 1 (ADR 0033)
        books.app.close_periods_through(books.aid, actor=ACTOR, period="2025-01")
        books.app.change_organisation(
            books.b, "reparent", actor=ACTOR, new_parent_org_id=books.c2, effective_on=d(2025, 3, 1)
        )
        books.pay(books.act_a, d(2025, 3, 2), 900, person=books.p1)


# --- balances -------------------------------------------------------------------------------------
def test_fund_balance_counts_only_entries_dated_up_to_the_day_when_asked_as_of_a_date(books, store):
    books.donate(books.aid, date(2025, 1, 5), 10_000)
    books.donate(books.aid, date(2025, 1, 20), 5_000)
    books.pay(books.aid, date(2025, 2, 3), 3_000)
    runner.catch_up(store)

    assert balance(store, books.aid, as_of=date(2025, 1, 4)) == (0, 0, 0, 0)
    assert balance(store, books.aid, as_of=date(2025, 1, 5)) == (10_000, 0, 0, 10_000)
    assert balance(store, books.aid, as_of=date(2025, 1, 31)) == (15_000, 0, 0, 15_000)
    assert balance(store, books.aid, as_of=date(2025, 2, 3)) == (15_000, 3_000, 0, 12_000)
    assert balance(store, books.aid) == (15_000, 3_000, 0, 12_000)
    assert queries.fund_balance(store, books.aid).balance_fen == 12_000
    assert queries.fund_balances(store, as_of=date(2024, 12, 31)) == []  # not yet established


def test_fund_balance_ignores_later_even_backdated_commands_when_asked_at_a_position(books, store):
    first = books.donate(books.aid, date(2025, 1, 20), 5_000)
    backdated = books.donate(books.aid, date(2025, 1, 5), 10_000)
    runner.catch_up(store)

    assert balance(store, books.aid, at_position=first.position) == (5_000, 0, 0, 5_000)
    assert balance(store, books.aid, at_position=backdated.position) == (15_000, 0, 0, 15_000)
    assert balance(store, books.aid, as_of=date(2025, 1, 10)) == (10_000, 0, 0, 10_000)
    both = {"as_of": date(2025, 1, 10), "at_position": first.position}
    assert balance(store, books.aid, **both) == (0, 0, 0, 0)
    before_fund = queries.fund_balances(store, at_position=books.aid_established_at - 1)
    assert books.aid not in [b.fund_id for b in before_fund]


def test_wait_for_returns_true_once_the_follower_applied_it_when_reading_own_writes(books, store):
    follower = runner.Follower(store, poll_s=0.05).start()
    try:
        recorded = books.donate(books.aid, date(2025, 1, 5), 10_000)
        follower.poke()
        assert runner.wait_for(store, recorded.position, timeout_s=10)
        assert balance(store, books.aid) == (10_000, 0, 0, 10_000)
        assert runner.wait_for(store, recorded.position + 1_000, timeout_s=0.1) is False
    finally:
        follower.stop()
    assert follower.error is None


def test_view_status_lag_counts_unapplied_events_when_behind_and_is_zero_when_current(books, store):
    runner.catch_up(store)
    assert all(s["lag"] == 0 for s in queries.view_status(store).values())
    for day in (5, 6, 7):
        books.donate(books.act_b, date(2025, 1, day), 1_000)
    books.transfer(books.act_b, books.aid, date(2025, 1, 8), 500)  # two events, one per fund

    status = queries.view_status(store)
    assert set(status) == {"funds", "journal", "period_closes", "organisations", "people", "chain"}
    assert [s["lag"] for s in status.values()] == [5] * 6
    assert runner.catch_up(store) == 5
    head = books.app.recorder.max_notification_id()
    assert queries.view_status(store) == {v: {"position": head, "lag": 0} for v in status}


# --- organisations --------------------------------------------------------------------------------
def test_community_rollup_equals_its_own_funds_plus_its_branches_funds_when_rolled_up(books, store):
    books.donate(books.aid, date(2025, 1, 5), 10_000)
    books.donate(books.act_a, date(2025, 1, 6), 2_000)
    books.donate(books.act_b, date(2025, 1, 7), 7_000)
    books.pay(books.act_b, date(2025, 2, 1), 1_000)
    runner.catch_up(store)

    rollups = queries.org_rollups(store, as_of=date(2025, 3, 31))
    c1, a, b, c2 = (rollups[o] for o in (books.c1, books.a, books.b, books.c2))
    assert (c1.own_fen, c1.total_fen) == (
        {"mutual_aid": 10_000},
        {"mutual_aid": 10_000, "activity": 8_000},
    )
    assert (a.own_fen, a.total_fen) == ({"activity": 2_000}, {"activity": 2_000})
    assert (b.own_fen, b.total_fen) == ({"activity": 6_000}, {"activity": 6_000})
    assert (c2.own_fen, c2.total_fen) == ({}, {})
    assert c1.total_all_fen == sum(c1.own_fen.values()) + a.total_all_fen + b.total_all_fen
    assert (a.parent_org_id, b.parent_org_id, c1.parent_org_id) == (books.c1, books.c1, None)
    early = queries.org_rollups(store, as_of=date(2025, 1, 5))
    assert early[books.c1].total_fen == {"mutual_aid": 10_000, "activity": 0}


def test_rollup_uses_the_tree_as_of_the_date_when_a_branch_is_reparented_later(books, store):
    books.donate(books.act_b, date(2025, 1, 10), 7_000)
    books.app.change_organisation(
        books.b, "reparent", actor=ACTOR, new_parent_org_id=books.c2, effective_on=date(2025, 4, 1)
    )
    books.app.change_organisation(
        books.b, "rename", actor=ACTOR, name_zh="明月第二支部", effective_on=date(2025, 4, 1)
    )
    late = books.app.register_organisation(
        actor=ACTOR,
        kind="branch",
        name_zh="第三支部",
        parent_org_id=books.c2,
        established_on=date(2025, 5, 1),
    )["org_id"]
    runner.catch_up(store)

    march = queries.org_rollups(store, as_of=date(2025, 3, 31))
    assert (march[books.b].parent_org_id, march[books.b].name_zh) == (books.c1, "第二支部")
    assert march[books.c1].total_fen == {"mutual_aid": 0, "activity": 7_000}
    assert march[books.c2].total_fen == {}
    assert late not in march
    april = queries.org_rollups(store, as_of=date(2025, 4, 1))
    assert (april[books.b].parent_org_id, april[books.b].name_zh) == (books.c2, "明月第二支部")
    assert april[books.c1].total_fen == {"mutual_aid": 0, "activity": 0}
    assert april[books.c2].total_fen == {"activity": 7_000}
    assert late not in april
    may = queries.org_rollups(store, as_of=date(2025, 5, 1))
    assert (may[late].parent_org_id, may[late].total_fen) == (books.c2, {})


# --- members --------------------------------------------------------------------------------------
def test_member_totals_stay_with_the_branch_of_the_entry_date_when_a_member_transfers(books, store):
    p1, p2 = books.p1, books.p2
    books.donate(books.aid, date(2025, 1, 10), 1_000, person=p1)
    books.pay(books.aid, date(2025, 2, 28), 500, person=p1)
    books.donate(books.act_b, date(2025, 1, 11), 5_000)
    books.app.record(
        books.act_b,
        "pay_stipend",
        actor=ACTOR,
        occurred_on=date(2025, 2, 10),
        amount_fen=600,
        person_id=p2,
        months=["2025-01"],
        handled_by="经办人",
        doc_refs=["签收单"],
    )
    runner.catch_up(store)
    before = [MemberTotal(p1, books.a, 1_000, 500, 0)]
    assert queries.member_totals(store, p1) == before

    moved = date(2025, 3, 1)
    books.app.change_person(p1, "transfer", actor=ACTOR, to_org_id=books.b, effective_on=moved)
    runner.catch_up(store)
    assert queries.member_totals(store, p1) == before  # the transfer moves no history

    books.pay(books.aid, date(2025, 3, 1), 300, person=p1)
    donation = books.donate(books.aid, date(2025, 3, 5), 2_000, person=p1)
    books.donate(books.aid, date(2025, 3, 5), 400, person=p1)
    books.reverse(books.aid, donation["voucher_no"], date(2025, 3, 6))
    runner.catch_up(store)

    totals = queries.member_totals(store)
    expected = [
        MemberTotal(p1, books.a, 1_000, 500, 0),
        MemberTotal(p1, books.b, 400, 300, 0),
        MemberTotal(p2, books.b, 0, 0, 600),
    ]
    assert sorted(totals, key=member_order) == sorted(expected, key=member_order)
    assert [t.person_id for t in totals] == sorted(t.person_id for t in totals)
    p1_rows = queries.member_totals(store, p1)
    assert sum(t.donated_fen for t in p1_rows) == 1_400
    assert sum(t.paid_to_fen for t in p1_rows) == 800


def test_member_totals_count_a_reversal_in_the_branch_of_its_original_when_the_member_transferred_between(
    books, store
):
    """Issue 21 item 4: 100 and 80 given in branch A, a transfer to B on 04-01, the 80 reversed
    on 04-10 — A keeps 100, B gets nothing (the old join gave A 180 and B −80)."""
    p1 = books.p1
    books.donate(books.aid, date(2025, 3, 1), 10_000, person=p1)
    eighty = books.donate(books.aid, date(2025, 3, 2), 8_000, person=p1)
    paid = books.pay(books.aid, date(2025, 3, 3), 2_500, person=p1)
    books.app.change_person(p1, "transfer", actor=ACTOR, to_org_id=books.b, effective_on=date(2025, 4, 1))
    books.reverse(books.aid, eighty["voucher_no"], date(2025, 4, 10))
    books.reverse(books.aid, paid["voucher_no"], date(2025, 4, 11))
    books.donate(books.aid, date(2025, 4, 12), 3_000, person=p1)
    runner.catch_up(store)

    expected = [MemberTotal(p1, books.a, 10_000, 0, 0), MemberTotal(p1, books.b, 3_000, 0, 0)]
    assert sorted(queries.member_totals(store, p1), key=member_order) == sorted(expected, key=member_order)
    ref = Reference.from_app(books.app)
    assert [t for t in ref.member_totals() if t.person_id == p1] == sorted(expected, key=member_order)


# --- journal --------------------------------------------------------------------------------------
def test_journal_page_two_starts_from_the_balance_carried_from_page_one_when_paging(books, store):
    for day, amount in ((3, 1_000), (1, 2_000), (9, 4_000), (2, 8_000)):  # out of date order
        books.donate(books.aid, date(2025, 1, day), amount)
    books.pay(books.aid, date(2025, 1, 5), 500)
    books.donate(books.aid, date(2025, 2, 1), 16_000)
    runner.catch_up(store)

    page1 = queries.journal(store, books.aid, page=1, page_size=2)
    page2 = queries.journal(store, books.aid, page=2, page_size=2)
    page3 = queries.journal(store, books.aid, page=3, page_size=2)
    assert page1.count == page2.count == 6
    rows = page1.rows + page2.rows + page3.rows
    assert [r["occurred_on"] for r in rows] == [
        "2025-01-01",
        "2025-01-02",
        "2025-01-03",
        "2025-01-05",
        "2025-01-09",
        "2025-02-01",
    ]
    assert [r["balance_fen"] for r in rows] == [2_000, 10_000, 11_000, 10_500, 14_500, 30_500]
    assert page2.rows[0]["balance_fen"] == page1.rows[-1]["balance_fen"] + 1_000
    assert rows == queries.journal(store, books.aid, page_size=500).rows
    february = queries.journal(store, books.aid, period_from="2025-02", period_to="2025-02")
    assert [(r["voucher_no"], r["balance_fen"]) for r in february.rows] == [("202502-001", 30_500)]


def test_journal_is_refused_with_value_not_allowed_when_page_size_is_above_500(books, store):
    runner.catch_up(store)
    assert queries.journal(store, books.aid, page_size=500).rows == []
    with pytest.raises(errors.LedgerError) as excinfo:
        queries.journal(store, books.aid, page_size=501)
    assert excinfo.value.code == "value_not_allowed"


# --- statements -----------------------------------------------------------------------------------
def test_journal_voucher_gives_one_voucher_and_the_voucher_reversing_it_when_reversed(books, store):
    books.donate(books.aid, date(2025, 1, 5), 10_000)
    books.pay(books.aid, date(2025, 1, 9), 3_000)
    books.reverse(books.aid, "202501-002", date(2025, 1, 12))
    runner.catch_up(store)

    paid = queries.journal_voucher(store, books.aid, " 202501-002 ")
    reversal = queries.journal_voucher(store, books.aid, "202501-003")

    assert (paid["entry_kind"], paid["expense_fen"], paid["reversed_by"]) == ("expense", 3_000, "202501-003")
    assert (reversal["reverses_voucher_no"], reversal["expense_fen"], reversal["reversed_by"]) == (
        "202501-002",
        -3_000,
        None,
    )
    with pytest.raises(errors.VoucherNotFound):
        queries.journal_voucher(store, books.aid, "202501-009")


def test_statement_closing_is_opening_plus_income_minus_expense_when_cash_is_split(books, store):
    books.donate(books.aid, date(2025, 1, 5), 10_000)
    books.donate(books.aid, date(2025, 2, 1), 3_000)
    books.pay(books.aid, date(2025, 2, 8), 4_500)
    books.app.record(
        books.aid,
        "move_cash",
        actor=ACTOR,
        occurred_on=date(2025, 2, 9),
        amount_fen=1_000,
        from_account="bank",
        to_account="cash",
        doc_refs=["取现单"],
    )
    runner.catch_up(store)

    feb = queries.statement(store, books.aid, "2025-02")
    assert (feb.opening_fen, feb.income_fen, feb.expense_fen, feb.closing_fen) == (
        10_000,
        3_000,
        4_500,
        8_500,
    )
    assert feb.opening_fen + feb.income_fen - feb.expense_fen == feb.closing_fen
    assert (feb.cash_fen, feb.bank_fen) == (1_000, 7_500)
    assert [(r["income_fen"], r["expense_fen"], r["balance_fen"]) for r in feb.rows] == [
        (3_000, 0, 13_000),
        (0, 4_500, 8_500),
        (0, 0, 8_500),  # the cash move: neither income nor expense
    ]
    jan = queries.statement(store, books.aid, "2025-01")
    assert (jan.opening_fen, jan.closing_fen, jan.cash_fen, jan.bank_fen) == (0, 10_000, 0, 10_000)


def test_statement_shows_a_reversal_as_a_negative_row_in_the_original_column_r35(books, store):
    books.donate(books.aid, date(2025, 1, 5), 10_000)
    books.pay(books.aid, date(2025, 2, 3), 3_000)
    books.reverse(books.aid, "202502-001", date(2025, 2, 10))
    books.reverse(books.aid, "202501-001", date(2025, 2, 11))
    runner.catch_up(store)

    feb = queries.statement(store, books.aid, "2025-02")
    columns = ("voucher_no", "income_fen", "expense_fen", "reverses_voucher_no")
    assert [tuple(r[c] for c in columns) for r in feb.rows] == [
        ("202502-001", 0, 3_000, None),
        ("202502-002", 0, -3_000, "202502-001"),
        ("202502-003", -10_000, 0, "202501-001"),
    ]
    assert [r["balance_fen"] for r in feb.rows] == [7_000, 10_000, 0]
    assert (feb.opening_fen, feb.income_fen, feb.expense_fen, feb.closing_fen) == (
        10_000,
        -10_000,
        0,
        0,
    )
    jan = queries.statement(store, books.aid, "2025-01")
    assert (jan.income_fen, jan.closing_fen) == (10_000, 10_000)  # history is not rewritten


def test_statement_is_provisional_while_open_and_closed_when_the_periods_are_closed(books, store):
    books.donate(books.aid, date(2025, 1, 5), 10_000)
    runner.catch_up(store)
    january = queries.statement(store, books.aid, "2025-01")
    assert (january.closed, january.months_closed) == (False, [])

    books.app.close_periods_through(books.aid, actor=ACTOR, period="2025-01")
    runner.catch_up(store)
    january = queries.statement(store, books.aid, "2025-01")
    assert (january.closed, january.months_closed) == (True, ["2025-01"])
    q1 = queries.statement(store, books.aid, "2025-Q1")
    assert (q1.closed, q1.months_closed) == (False, ["2025-01"])

    books.app.close_periods_through(books.aid, actor=ACTOR, period="2025-03")
    runner.catch_up(store)
    q1 = queries.statement(store, books.aid, "2025-Q1")
    assert (q1.closed, q1.months_closed) == (True, ["2025-01", "2025-02", "2025-03"])
    assert queries.statement(store, books.aid, "2025").closed is False


def test_statement_covers_every_month_of_the_span_when_asked_for_a_quarter_or_a_year(books, store):
    books.donate(books.aid, date(2025, 1, 5), 10_000)
    books.pay(books.aid, date(2025, 3, 31), 2_000)
    books.donate(books.aid, date(2025, 4, 1), 500)
    books.pay(books.aid, date(2025, 6, 30), 1_000)
    runner.catch_up(store)

    q1 = queries.statement(store, books.aid, "2025-Q1")
    assert (q1.start, q1.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert (q1.opening_fen, q1.income_fen, q1.expense_fen, q1.closing_fen) == (
        0,
        10_000,
        2_000,
        8_000,
    )
    assert [r["voucher_no"] for r in q1.rows] == ["202501-001", "202503-001"]
    q2 = queries.statement(store, books.aid, "2025-Q2")
    assert (q2.opening_fen, q2.income_fen, q2.expense_fen, q2.closing_fen) == (
        8_000,
        500,
        1_000,
        7_500,
    )
    year = queries.statement(store, books.aid, "2025")
    assert (year.start, year.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert (year.opening_fen, year.income_fen, year.expense_fen, year.closing_fen) == (
        0,
        10_500,
        3_000,
        7_500,
    )
    assert len(year.rows) == 4 and (year.cash_fen, year.bank_fen) == (0, 7_500)


@pytest.mark.parametrize("period", ["2025-13", "2025-Q5", "25-01", "2025-1"])
def test_statement_is_refused_with_period_invalid_when_the_period_is_bad(books, store, period):
    runner.catch_up(store)
    with pytest.raises(errors.LedgerError) as excinfo:
        queries.statement(store, books.aid, period)
    assert excinfo.value.code == "period_invalid"


def test_statement_and_journal_are_refused_with_fund_not_found_when_the_fund_is_new(books, store):
    runner.catch_up(store)
    for fund_id in (str(uuid.uuid4()), books.c1):
        with pytest.raises(errors.LedgerError) as excinfo:
            queries.statement(store, fund_id, "2025-01")
        assert excinfo.value.code == "fund_not_found"
        with pytest.raises(errors.LedgerError) as excinfo:
            queries.journal(store, fund_id)
        assert excinfo.value.code == "fund_not_found"


# --- exactly once ---------------------------------------------------------------------------------
def test_replayed_batch_raises_tracking_moved_and_leaves_the_views_unchanged_when_stale(
    books, store, monkeypatch
):
    busy_history(books, 0)
    written: list[tuple[int, Batch]] = []  # (the position each batch started at, the batch)
    monkeypatch.setattr(
        store,
        "before_commit",
        lambda batch: written.append((written[-1][1].last_position if written else 0, batch)),
    )
    runner.catch_up(store, batch_size=7)
    monkeypatch.undo()
    assert len(written) >= 2
    digest, positions = store.digest(), store.positions()

    for started_at, batch in (written[0], written[-1]):
        with pytest.raises(TrackingMoved):
            store.write(batch, started_at=started_at)
        assert store.digest() == digest
        assert store.positions() == positions


def test_exception_inside_a_batch_leaves_positions_at_the_last_committed_batch_when_it_fails(
    books, store, monkeypatch
):
    for part in range(3):
        busy_history(books, part)
    calls = []

    def crash_on_second_batch(batch: Batch) -> None:
        calls.append(batch.last_position)
        if len(calls) == 2:
            raise RuntimeError("crash in the middle of a batch")

    monkeypatch.setattr(store, "before_commit", crash_on_second_batch)
    with pytest.raises(RuntimeError):
        runner.catch_up(store, batch_size=7)
    assert set(store.positions().values()) == {calls[0]}
    assert len(store.fetch("SELECT position FROM v_journal WHERE position > ?", (calls[0],))) == 0

    monkeypatch.undo()
    runner.catch_up(store, batch_size=7)
    resumed = store.digest()
    runner.rebuild(store)
    assert store.digest() == resumed
    assert Reference.from_app(books.app).balances() == queries.fund_balances(store)


def test_rebuild_gives_the_same_digest_as_small_batches_interleaved_with_new_commands(books, store):
    runner.catch_up(store, batch_size=7)
    for part in range(3):
        busy_history(books, part)
        runner.catch_up(store, batch_size=7)
    incremental = store.digest()
    head = books.app.recorder.max_notification_id()
    assert store.positions() == dict.fromkeys(store.positions(), head)

    assert runner.rebuild(store) == len(store.read_events(0, 10_000))
    assert store.digest() == incremental


def test_two_stores_catching_up_concurrently_end_with_the_same_digest_as_one_when_racing(
    books, store, database_url
):
    for part in range(3):
        busy_history(books, part)
    other = build_views(Settings(database_url=database_url))
    try:
        start = threading.Barrier(2)
        failures: list[BaseException] = []

        def follow(views: ViewStore) -> None:
            try:
                start.wait()
                runner.catch_up(views, batch_size=3)
            except BaseException as error:  # collected and asserted below
                failures.append(error)

        threads = [threading.Thread(target=follow, args=(v,)) for v in (store, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        raced = store.digest()
        assert balance(store, books.aid) == (10_700, 0, 0, 10_700)  # counted once
    finally:
        other.close()
    runner.rebuild(store)
    assert store.digest() == raced


# --- the reference fold ---------------------------------------------------------------------------
def test_reference_fold_gives_the_hand_computed_numbers_and_agrees_with_the_views(books, store):
    for part in range(3):
        busy_history(books, part)
    runner.catch_up(store)
    ref = Reference.from_app(books.app)

    assert ref.balances() == queries.fund_balances(store)
    ref_now = ref.balances()
    by_fund = {b.fund_id: (b.income_fen, b.expense_fen, b.cash_fen, b.bank_fen) for b in ref_now}
    # aid: 10 000 + 5 000 transfer − 5 000 reversed + 700; 1 500 paid and reversed
    assert by_fund[books.aid] == (10_700, 0, 0, 10_700)
    # act_b: 30 000 − 5 000 out + 5 000 reversed − 600 stipend; 2 000 moved from bank to cash
    # and moved back by its reversal
    assert by_fund[books.act_b] == (30_000, 600, 0, 29_400)
    assert by_fund[books.act_a] == (4_000, 900, 3_100, 0)
    assert ref.member_totals() == sorted(queries.member_totals(store), key=member_order)
    march = ref.rollups(date(2025, 3, 31))
    assert march == queries.org_rollups(store, as_of=date(2025, 3, 31))
    assert march[books.c2].total_fen == {"activity": 29_400}
    for fund_id in (books.aid, books.act_a, books.act_b):
        view_rows = queries.journal(store, fund_id, page_size=500).rows
        expected = ref.journal(fund_id)
        assert [{k: r[k] for k in expected[0]} for r in view_rows] == expected


def test_rebuild_finds_vouchers_reversed_from_batches_back_when_the_writer_lags_the_folding(
    books, store, monkeypatch
):
    """A rebuild folds ahead of its writer (another thread or process): a reversal must still
    find its voucher when that sits in a batch folded but not yet committed."""
    for gap in range(1, 8):  # each reversal names a voucher ``gap`` + 1 events back
        original = books.donate(books.aid, date(2025, 1, 5), 1_000)["voucher_no"]
        for _ in range(gap):
            books.donate(books.act_b, date(2025, 1, 6), 100)
        books.reverse(books.aid, original, date(2025, 1, 20))
    runner.catch_up(store)
    incremental = store.digest()

    monkeypatch.setattr(runner, "REBUILD_BATCH_SIZE", 2)
    monkeypatch.setattr(store, "before_commit", lambda batch: time.sleep(0.01))
    runner.rebuild(store)
    assert store.digest() == incremental


def test_statement_is_closed_when_every_month_since_the_fund_began_is_closed(open_ledger, database_url):
    """A fund established mid-quarter has nothing to close before it existed (R33)."""
    ledger = open_ledger(today=date(2025, 7, 10))
    community = ledger.register_organisation(
        actor="admin", kind="community_committee", name_zh="社区", established_on=date(2020, 1, 1)
    )["org_id"]
    fund_id = ledger.establish_fund(
        actor="admin",
        owner_org_id=community,
        kind="activity",
        name_zh="新基金",
        allowed_purposes=["activities"],
        custody={"kind": "cash_box"},
        established_on=date(2025, 2, 15),
    )["fund_id"]
    ledger.close_periods_through(fund_id, actor="keeper", period="2025-03")
    store = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(store)
        q1 = queries.statement(store, fund_id, "2025-Q1")
        assert (q1.closed, q1.months_closed) == (True, ["2025-02", "2025-03"])
    finally:
        store.close()


def test_journal_is_refused_with_value_not_allowed_naming_page_when_page_is_zero(books, store):
    runner.catch_up(store)
    with pytest.raises(errors.LedgerError) as excinfo:
        queries.journal(store, books.aid, page=0)
    assert (excinfo.value.code, excinfo.value.details["field"]) == ("value_not_allowed", "page")


def test_rebuild_raises_instead_of_waiting_for_ever_when_the_folding_process_dies(books, store):
    import functools
    import os

    runner.catch_up(store)
    before = store.digest()
    store.factory = functools.partial(os._exit, 3)  # the child "opens the store" by dying at once
    with pytest.raises(RuntimeError, match="exit code 3"):
        runner.rebuild(store)
    store.factory = None
    runner.rebuild(store)
    assert store.digest() == before


@pytest.mark.parametrize("old_snapshot", [False, True])
def test_a_reversed_aid_payment_and_cash_move_agree_with_the_reference_fold_and_a_rebuild(
    books, store, old_snapshot
):
    """ADR 0033: the reversed payment no longer counts as aid received; the case is approved and
    its amount reserved again, then paid again; the reversed move leaves cash and bank as before.
    ``old_snapshot``: the fund was loaded from a snapshot taken before, whose voucher records
    name no case (the Ledger finds it in the payment event) and no destination of a move."""
    app = books.app
    approver = app.register_user(actor=ACTOR, person_id=books.p2)["user_id"]
    app.change_role(approver, "grant", actor=ACTOR, role="approver", org_id=books.c1)
    books.donate(books.aid, date(2025, 1, 5), 50_000)
    case = app.apply_for_aid(
        actor=ACTOR,
        fund_id=books.aid,
        beneficiary_person_id=books.p1,
        applicant_person_id=books.p1,
        aid_kind="one_off",
        requested_fen=10_000,
        reason_private="困难",
        reason_public_category="生活困难救助",
        evidence_refs=["申请表"],
    )["case_id"]
    app.today = lambda: date(2025, 6, 2)  # approved in June: the notice window is over by today
    app.sign_aid_case(case, actor=approver)
    app.today = lambda: TODAY
    paid = app.pay_aid_case(case, actor=ACTOR, paid_on=TODAY, doc_refs=["签收单"])["voucher_no"]
    moved = app.record(
        books.aid,
        "move_cash",
        actor=ACTOR,
        occurred_on=TODAY,
        amount_fen=5_000,
        from_account="bank",
        to_account="cash",
        doc_refs=["取现单"],
    )["voucher_no"]
    runner.catch_up(store)  # the reversals below find their originals in the stored journal
    if old_snapshot:
        records = app.repository.get(uuid.UUID(books.aid)).vouchers  # the writer's copy
        for number, key in ((paid, "case_id"), (moved, "to_account")):  # a short record's facts
            del records[number][-1][key]  # are its last item (ADR 0110)
    assert (
        app.reverse_entry(books.aid, actor=ACTOR, voucher_no=paid, occurred_on=TODAY, reason="错付")[
            "case_id"
        ]
        == case
    )
    books.reverse(books.aid, moved, TODAY)
    runner.catch_up(store)

    view = queries.aid_case(store, case)
    assert (view["status"], view["voucher_no"], view["paid_on"]) == ("approved", None, None)
    assert balance(store, books.aid) == (50_000, 0, 0, 50_000)
    assert queries.fund_balance(store, books.aid).reserved_fen == 10_000
    p1 = [t for t in queries.member_totals(store) if t.person_id == books.p1]
    assert [t.paid_to_fen for t in p1] == [0]
    ref = Reference.from_app(app)
    assert ref.cases[case]["status"] == "approved"
    assert ref.balances() == queries.fund_balances(store)
    assert ref.member_totals() == sorted(queries.member_totals(store), key=member_order)
    expected = ref.journal(books.aid)
    assert [{k: r[k] for k in expected[0]} for r in queries.journal(store, books.aid).rows] == expected
    rows = {r["voucher_no"]: r for r in queries.journal(store, books.aid).rows}
    assert (rows["202507-004"]["cash_fen"], rows["202507-004"]["bank_fen"]) == (-5_000, 5_000)

    again = app.pay_aid_case(case, actor=ACTOR, paid_on=TODAY, doc_refs=["签收单"])["voucher_no"]
    runner.catch_up(store)
    assert queries.aid_case(store, case)["voucher_no"] == again
    assert Reference.from_app(app).balances() == queries.fund_balances(store)
    incremental = store.digest()
    runner.rebuild(store)
    assert store.digest() == incremental

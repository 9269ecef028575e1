"""The custody handovers in the views (R22), on both stores, against the independent reference
fold: two handovers of the cashier (one with a difference) and one of the bookkeeper, with
entries before and after; the incoming holders in the custodian table; a rebuild gives the
same rows; ``fundbook verify``'s fresh fold finds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from ledger.application import Ledger
from ledger.application.bootstrap import build_views
from ledger.audit.fresh_fold import compare_views, verify_store
from ledger.audit.verify import Report
from ledger.config import Settings
from ledger.projections import queries, runner
from ledger.projections.reference import Reference
from ledger.projections.store import ViewStore
from tests.audit.test_tamper import edit_state, position_of

ACTOR = "admin-1"


@dataclass
class Books:
    app: Ledger
    fund: str
    people: dict[str, str]


def _donate(app: Ledger, fund: str, day: date, fen: int, account: str) -> str:
    return app.record(
        fund,
        "receive_donation",
        actor=ACTOR,
        occurred_on=day,
        amount_fen=fen,
        donor_kind="resident",
        donor_name="居民",
        account=account,
        doc_refs=["收据"],
    )["voucher_no"]


def _hand_over(app: Ledger, fund: str, **fields) -> None:
    app.record(fund, "hand_over_custody", actor=ACTOR, inventory_ref="移交清单", **fields)


@pytest.fixture
def books(open_ledger) -> Books:
    app = open_ledger(today=date(2025, 7, 20))
    org = app.register_organisation(
        actor=ACTOR, kind="branch", name_zh="第一支部", established_on=date(2010, 1, 1)
    )["org_id"]
    fund = app.establish_fund(
        actor=ACTOR,
        owner_org_id=org,
        kind="activity",
        name_zh="活动经费",
        allowed_purposes=["activities"],
        custody={"kind": "bank_account", "ref": "账户"},
        established_on=date(2025, 1, 1),
    )["fund_id"]
    names = ("cashier", "bookkeeper", "cashier2", "cashier3", "bookkeeper2", "supervisor")
    people = {n: app.register_person(actor=ACTOR, name_zh=f"{n}同志")["person_id"] for n in names}
    for role in ("cashier", "bookkeeper"):
        app.record(
            fund,
            "assign_custodian",
            actor=ACTOR,
            role=role,
            person_id=people[role],
            from_date=date(2025, 1, 1),
        )
    _donate(app, fund, date(2025, 6, 3), 30_000, "cash")
    _donate(app, fund, date(2025, 6, 5), 50_000, "bank")
    _hand_over(
        app,
        fund,
        role="cashier",
        to_person_id=people["cashier2"],
        supervisor_person_id=people["supervisor"],
        handed_over_on=date(2025, 6, 30),
        cash_counted_fen=29_900,
        bank_balance_fen=50_000,
        difference_note="短款1元",
    )
    _donate(app, fund, date(2025, 7, 2), 1_000, "cash")
    _hand_over(
        app,
        fund,
        role="bookkeeper",
        to_person_id=people["bookkeeper2"],
        supervisor_person_id=people["supervisor"],
        handed_over_on=date(2025, 7, 3),
        cash_counted_fen=31_000,
        bank_balance_fen=50_000,
    )
    _hand_over(
        app,
        fund,
        role="cashier",
        to_person_id=people["cashier3"],
        supervisor_person_id=people["bookkeeper2"],
        handed_over_on=date(2025, 7, 15),
        cash_counted_fen=31_000,
        bank_balance_fen=50_000,
    )
    return Books(app, fund, people)


@pytest.fixture
def store(books, database_url) -> Iterator[ViewStore]:
    views = build_views(Settings(database_url=database_url))
    yield views
    views.close()


def test_handover_views_equal_the_reference_fold(books, store):
    runner.catch_up(store)
    reference = Reference.from_app(books.app)

    rows = queries.handovers(store, books.fund)

    assert rows == reference.handovers(books.fund)
    assert [(h.role, h.handed_over_on) for h in rows] == [
        ("cashier", "2025-06-30"),
        ("bookkeeper", "2025-07-03"),
        ("cashier", "2025-07-15"),
    ]
    first = rows[0]
    assert (first.book_cash_fen, first.book_bank_fen) == (30_000, 50_000)
    assert (first.cash_difference_fen, first.bank_difference_fen, first.difference_note) == (
        -100,
        0,
        "短款1元",
    )
    assert first.last_voucher_no == "202506-002"
    assert (rows[2].from_person_id, rows[2].book_cash_fen, rows[2].last_voucher_no) == (
        books.people["cashier2"],
        31_000,
        "202507-001",
    )
    assert queries.fund_balances(store) == reference.balances()  # a handover books nothing


def test_the_custodian_table_names_the_incoming_holder_from_the_handover_date(books, store):
    runner.catch_up(store)

    rows = store.fetch(
        "SELECT role, person_id, from_date FROM v_custodian WHERE fund_id = ? ORDER BY position",
        (books.fund,),
    )

    p = books.people
    assert [tuple(r) for r in rows] == [
        ("cashier", p["cashier"], "2025-01-01"),
        ("bookkeeper", p["bookkeeper"], "2025-01-01"),
        ("cashier", p["cashier2"], "2025-06-30"),
        ("bookkeeper", p["bookkeeper2"], "2025-07-03"),
        ("cashier", p["cashier3"], "2025-07-15"),
    ]


def test_a_rebuild_gives_the_same_handover_rows(books, store):
    runner.catch_up(store)
    before = store.digest()

    store.reset()
    runner.catch_up(store)

    assert store.digest() == before


def test_the_auditors_fresh_fold_finds_the_handover_views_equal(books, store):
    runner.catch_up(store)
    report = Report()

    compare_views(store, Reference.from_app(books.app), report)

    assert report.violations == []


def test_the_auditors_fresh_fold_reports_a_handover_row_that_differs(books, store):
    runner.catch_up(store)
    with store.backend.write() as cur:  # a view row altered behind the fold's back
        cur.execute(
            store.backend.sql("UPDATE v_handover SET cash_difference_fen = 0 WHERE handed_over_on = ?"),
            ("2025-06-30",),
        )
    report = Report()

    compare_views(store, Reference.from_app(books.app), report)

    assert [v.code for v in report.violations] == ["view_differs"]
    assert "custody handovers" in report.violations[0].detail


def test_verify_finds_nothing_wrong_with_handovers_and_names_an_entry_moved_before_one(books, store):
    runner.catch_up(store)
    decode = books.app.mapper.to_domain_event
    assert verify_store(store, decode, fingerprints=[]).violations == []
    july = position_of(store, "fundbook:Fund.DonationReceived", b'"voucher_no":"202507-001"')

    edit_state(store, july, b'"_data_":"2025-07-02"', b'"_data_":"2025-06-29"')  # before 30 June's
    report = verify_store(store, decode, fingerprints=[])

    assert ("dated_before_handover", july) in {(v.code, v.position) for v in report.violations}

"""The aid-case views and the reservations in the fund balances, on both stores, against the
independent reference fold (``projections/reference.py``): a case paid, one cancelled, one
still approved (reserved), one waiting for a second signature; and a rebuild gives the same."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from ledger.application import Ledger
from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import queries, runner
from ledger.projections.reference import Reference, member_order
from ledger.projections.store import ViewStore

ACTOR = "bookkeeper-1"


@dataclass
class Books:
    app: Ledger
    c1: str
    aid: str
    p1: str


@pytest.fixture
def books(open_ledger) -> Books:
    app = open_ledger(today=date(2025, 7, 10))
    c1 = app.register_organisation(
        actor=ACTOR, kind="community_committee", name_zh="阳光社区党委", established_on=date(2010, 1, 1)
    )["org_id"]
    aid = app.establish_fund(
        actor=ACTOR,
        owner_org_id=c1,
        kind="mutual_aid",
        name_zh="党员互助金",
        allowed_purposes=["hardship_aid"],
        custody={"kind": "bank_account", "ref": "社区账户"},
        established_on=date(2025, 1, 1),
    )["fund_id"]
    p1 = app.register_person(actor=ACTOR, name_zh="王小明")["person_id"]
    return Books(app, c1, aid, p1)


@pytest.fixture
def store(books, database_url) -> Iterator[ViewStore]:
    views = build_views(Settings(database_url=database_url))
    yield views
    views.close()


@pytest.fixture
def cases(books: Books):
    app = books.app
    signers = []
    for name in ("周书记", "吴委员"):
        person = app.register_person(actor=ACTOR, name_zh=name)["person_id"]
        user = app.register_user(actor=ACTOR, person_id=person)["user_id"]
        app.change_role(user, "grant", actor=ACTOR, role="approver", org_id=books.c1)
        signers.append(user)
    app.record(
        books.aid,
        "receive_donation",
        actor=ACTOR,
        occurred_on=date(2025, 1, 5),
        amount_fen=300_000,
        donor_kind="resident",
        donor_name="居民",
        doc_refs=["收据"],
    )

    def apply(amount: int) -> str:
        return app.apply_for_aid(
            actor=ACTOR,
            fund_id=books.aid,
            beneficiary_person_id=books.p1,
            applicant_person_id=books.p1,
            aid_kind="one_off",
            requested_fen=amount,
            reason_private="私密原因",
            reason_public_category="生活困难救助",
            evidence_refs=["申请表"],
        )["case_id"]

    paid, cancelled, reserved, waiting = apply(40_000), apply(30_000), apply(20_000), apply(80_000)
    for case in (paid, cancelled, reserved, waiting):
        app.sign_aid_case(case, actor=signers[0])
    app.cancel_aid_case(cancelled, actor=ACTOR, reason="撤回")
    app.today = lambda: date(2025, 7, 20)
    app.pay_aid_case(paid, actor=ACTOR, paid_on=date(2025, 7, 18), doc_refs=["签收单"])
    return {
        "paid": paid,
        "cancelled": cancelled,
        "reserved": reserved,
        "waiting": waiting,
        "signers": signers,
    }


def test_reserved_and_case_views_equal_the_reference_fold(books, cases, store):
    runner.catch_up(store)
    reference = Reference.from_app(books.app)

    assert queries.fund_balances(store) == reference.balances()
    aid = queries.fund_balance(store, books.aid)
    assert (aid.balance_fen, aid.reserved_fen, aid.available_fen) == (260_000, 20_000, 240_000)
    assert queries.member_totals(store) == sorted(reference.member_totals(), key=member_order)
    listed = queries.aid_cases(store).rows
    assert {r["case_id"]: r["status"] for r in listed} == {c: v["status"] for c, v in reference.cases.items()}
    assert {r["case_id"]: r["signed_by"] for r in listed} == {
        c: v["signed_by"] for c, v in reference.cases.items()
    }


def test_reserved_as_of_a_past_date_is_what_approved_unpaid_cases_held_then(books, cases, store):
    """Approved on 10 July (one case cancelled the same day), paid on 18 July: balances as of a
    date show the reservation of that date, equal to the reference fold."""
    runner.catch_up(store)
    reference = Reference.from_app(books.app)

    for day, reserved in (
        (date(2025, 7, 9), 0),
        (date(2025, 7, 10), 40_000 + 20_000),  # the cancelled case's 30,000 came and went that day
        (date(2025, 7, 17), 40_000 + 20_000),
        (date(2025, 7, 18), 20_000),  # the payment used up its reservation
    ):
        assert queries.fund_balance(store, books.aid, as_of=day).reserved_fen == reserved, day
        assert queries.fund_balances(store, as_of=day) == reference.balances(as_of=day)
    paid_at = next(r["position"] for r in queries.journal(store, books.aid).rows if r["entry_kind"] == "aid")
    before_payment = paid_at - 1
    at = queries.fund_balance(store, books.aid, at_position=before_payment)
    assert at.reserved_fen == 40_000 + 20_000
    assert queries.fund_balances(store, at_position=before_payment) == reference.balances(
        at_position=before_payment
    )


def test_the_case_view_shows_the_window_and_the_payment_but_never_the_private_reason(books, cases, store):
    runner.catch_up(store)

    paid = queries.aid_case(store, cases["paid"])

    assert (paid["status"], paid["window_end"], paid["paid_on"]) == ("paid", "2025-07-16", "2025-07-18")
    assert "私密原因" not in str(paid)


def test_cases_waiting_for_a_person_exclude_what_they_signed(books, cases, store):
    runner.catch_up(store)
    first = books.app.user(cases["signers"][0]).person_id
    second = books.app.user(cases["signers"][1]).person_id

    assert queries.aid_cases(store, waiting_for_person=first).rows == []
    assert [r["case_id"] for r in queries.aid_cases(store, waiting_for_person=second).rows] == [
        cases["waiting"]
    ]


def test_a_rebuild_of_the_views_gives_the_same_aid_rows(books, cases, store):
    runner.catch_up(store)
    before = store.digest()

    store.reset()
    runner.catch_up(store)

    assert store.digest() == before


@pytest.fixture
def escalated(books: Books, cases):
    """Under a street committee: the reserved case gets two anonymous objections on 2025-07-20;
    on 2025-07-31 both are escalated, then the street's approver answers the first."""
    app = books.app
    street = app.register_organisation(
        actor=ACTOR, kind="street_committee", name_zh="阳光街道党工委", established_on=date(2000, 1, 1)
    )["org_id"]
    app.change_organisation(
        books.c1, "reparent", actor=ACTOR, new_parent_org_id=street, effective_on=date(2025, 7, 1)
    )
    person = app.register_person(actor=ACTOR, name_zh="郑主任")["person_id"]
    upper = app.register_user(actor=ACTOR, person_id=person)["user_id"]
    app.change_role(upper, "grant", actor=ACTOR, role="approver", org_id=street)
    for text in ("情况不实", "金额偏高"):
        app.raise_aid_objection(cases["reserved"], actor=ACTOR, text=text, anonymous=True)
    app.today = lambda: date(2025, 7, 31)
    app.escalate_overdue_objections(actor="system")
    app.answer_aid_objection(
        cases["reserved"], actor=upper, objection_no="1", outcome="dismissed", answer="符合"
    )
    return street


def test_escalated_objections_in_the_views_equal_the_reference_fold(books, cases, escalated, store):
    runner.catch_up(store)
    reference = Reference.from_app(books.app)

    listed = queries.aid_cases(store).rows
    assert {r["case_id"]: (r["open_objections"], r["escalated_objections"]) for r in listed} == {
        c: (v["open_objections"], v["escalated_objections"]) for c, v in reference.cases.items()
    }
    assert queries.aid_case(store, cases["reserved"])["escalated_objections"] == 1
    assert [o["escalated_to_org_id"] for o in queries.aid_objections(store, cases["reserved"])] == [
        escalated
    ] * 2
    up = queries.aid_cases(store, escalated_to=[escalated]).rows
    assert [r["case_id"] for r in up] == [cases["reserved"]]
    assert "情况不实" not in str(queries.aid_objections(store, cases["reserved"]))


def test_a_rebuild_gives_the_same_rows_with_escalated_objections(books, cases, escalated, store):
    runner.catch_up(store)
    before = store.digest()

    store.reset()
    runner.catch_up(store)

    assert store.digest() == before

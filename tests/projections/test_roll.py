"""The mutual-aid association's roll (issue 21 item 1) on a real store: enrol and leave, the
charter's yearly contribution, payments by donation vouchers, hardship waivers by an approver,
each member's status per year, who is behind, the public counts; and every refusal, with
nothing written when refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial

import pytest

from ledger.application import Ledger
from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.domain import errors
from ledger.projections import roll, runner
from ledger.projections.store import ViewStore

TODAY = date(2025, 7, 10)
ACTOR = "bookkeeper-1"


@dataclass
class Roll:
    app: Ledger
    fund: str
    activity: str
    people: dict[str, str]
    approver: str  # a user holding the approver role of the community

    def pay(self, who: str, year: int, on: date, fen: int) -> str:
        return self.app.pay_roll_contribution(
            self.fund, actor=ACTOR, person_id=self.people[who], year=year, occurred_on=on, amount_fen=fen,
            doc_refs=["收据"],
        ).result["voucher_no"]  # fmt: skip


@pytest.fixture
def books(open_ledger) -> Roll:
    app = open_ledger(today=TODAY)
    org = app.register_organisation(
        actor=ACTOR, kind="community_committee", name_zh="阳光社区党委", established_on=date(2010, 1, 1)
    )["org_id"]
    funds = {}
    for kind in ("mutual_aid", "activity"):
        funds[kind] = app.establish_fund(
            actor=ACTOR,
            owner_org_id=org,
            kind=kind,
            name_zh=f"{kind}基金",
            allowed_purposes=["aid"],
            custody={"kind": "cash_box"},
            established_on=date(2024, 1, 1),
        )["fund_id"]
    people = {
        name: app.register_person(actor=ACTOR, name_zh=name)["person_id"] for name in ("王", "李", "张", "周")
    }
    approver = app.register_user(actor=ACTOR, person_id=people["周"])["user_id"]
    app.change_role(approver, "grant", actor=ACTOR, role="approver", org_id=org)
    for year in (2024, 2025):
        app.set_roll_contribution(
            funds["mutual_aid"],
            actor=ACTOR,
            year=year,
            amount_fen=1_000,
            due_on=date(year, 6, 30),
            charter_ref="互助会章程第五条",
        )
    for name in ("王", "李", "周"):
        app.enrol_in_roll(
            funds["mutual_aid"], actor=ACTOR, person_id=people[name], enrolled_on=date(2024, 1, 1)
        )
    return Roll(app, funds["mutual_aid"], funds["activity"], people, approver)


@pytest.fixture
def store(books, database_url) -> Iterator[ViewStore]:
    views = build_views(Settings(database_url=database_url))
    yield views
    views.close()


def table(store: ViewStore, books: Roll, year: int) -> list[tuple[str, str, int, tuple[str, ...]]]:
    runner.catch_up(store)
    return [(s.name_zh, s.status, s.paid_fen, s.vouchers) for s in roll.statuses(store, books.fund, year)]


def test_roll_status_is_paid_owed_and_waived_with_the_paying_vouchers_when_members_pay_or_are_waived(
    books, store
):
    first = books.pay("王", 2025, date(2025, 3, 1), 600)
    second = books.pay("王", 2025, date(2025, 3, 9), 400)
    part = books.pay("李", 2025, date(2025, 4, 1), 500)
    books.app.waive_roll_contribution(
        books.fund, actor=books.approver, person_id=books.people["李"], year=2024, reason="大病住院，家庭困难"
    )
    assert table(store, books, 2025) == [
        ("周", "owed", 0, ()),
        ("李", "owed", 500, (part,)),
        ("王", "paid", 1_000, (first, second)),
    ]
    assert [(s.name_zh, s.status, s.waived_by) for s in roll.statuses(store, books.fund, 2024)] == [
        ("周", "owed", None),
        ("李", "waived", books.people["周"]),
        ("王", "owed", None),
    ]
    assert books.app.fund(books.fund).balance_fen == 1_500  # the contributions are donations


def test_roll_member_owes_again_when_the_donation_that_paid_is_reversed(books, store):
    paid = books.pay("王", 2025, date(2025, 3, 1), 1_000)
    assert ("王", "paid", 1_000, (paid,)) in table(store, books, 2025)
    books.app.reverse_entry(
        books.fund, actor=ACTOR, voucher_no=paid, occurred_on=date(2025, 3, 2), reason="错记"
    )
    assert ("王", "owed", 0, ()) in table(store, books, 2025)


def test_roll_owes_only_members_on_the_roll_on_the_due_date_when_one_enrolled_late_and_one_left(books, store):
    app = books.app
    app.leave_roll(
        books.fund, actor=ACTOR, person_id=books.people["李"], left_on=date(2025, 5, 31), reason="迁居外地"
    )
    app.enrol_in_roll(books.fund, actor=ACTOR, person_id=books.people["张"], enrolled_on=date(2025, 7, 1))
    assert [name for name, *_ in table(store, books, 2025)] == ["周", "王"]
    assert [m.name_zh for m in roll.members_on(store, books.fund, TODAY)] == ["周", "张", "王"]
    with pytest.raises(errors.RollMemberOwesNothing):
        books.pay("张", 2025, date(2025, 7, 2), 1_000)
    books.pay("周", 2025, date(2025, 7, 2), 1_000)
    runner.catch_up(store)
    assert roll.counts(store, books.fund, TODAY) == roll.RollCounts(members=3, paid_this_year=1, year=2025)
    assert [(s.name_zh, s.year, s.outstanding_fen) for s in roll.behind(store, books.fund, TODAY)] == [
        ("周", 2024, 1_000),
        ("李", 2024, 1_000),
        ("王", 2024, 1_000),
        ("王", 2025, 1_000),
    ]


def test_roll_refuses_with_a_code_and_writes_nothing_when_a_rule_is_broken(books):
    app, fund, people = books.app, books.fund, books.people
    before = app.recorder.max_notification_id()
    enrol = partial(app.enrol_in_roll, fund, actor=ACTOR)
    leave = partial(app.leave_roll, fund, actor=ACTOR, reason="x")
    charge = partial(app.set_roll_contribution, fund, actor=ACTOR, charter_ref="章程")
    waive = partial(app.waive_roll_contribution, fund, reason="困难")
    nobody = "00000000-0000-0000-0000-000000000000"
    refusals = [
        (
            errors.RollMemberAlreadyEnrolled,
            lambda: enrol(person_id=people["王"], enrolled_on=date(2025, 1, 1)),
        ),
        (errors.RollMemberNotEnrolled, lambda: leave(person_id=people["张"], left_on=date(2025, 1, 1))),
        (errors.DatesOutOfOrder, lambda: leave(person_id=people["王"], left_on=date(2023, 12, 31))),
        (errors.DateInFuture, lambda: enrol(person_id=people["张"], enrolled_on=date(2025, 7, 11))),
        (
            errors.RollContributionAlreadySet,
            lambda: charge(year=2025, amount_fen=2_000, due_on=date(2025, 12, 31)),
        ),
        (
            errors.RollDueDateOutsideYear,
            lambda: charge(year=2026, amount_fen=2_000, due_on=date(2025, 12, 31)),
        ),
        (errors.AmountMustBePositive, lambda: charge(year=2026, amount_fen=0, due_on=date(2026, 6, 30))),
        (errors.RollContributionNotSet, lambda: books.pay("王", 2023, date(2023, 3, 1), 1_000)),
        (errors.RollPaymentOutsideYear, lambda: books.pay("王", 2024, date(2025, 1, 2), 1_000)),
        (errors.RollWaiverNeedsApprover, lambda: waive(actor=ACTOR, person_id=people["王"], year=2025)),
        (
            errors.RollWaiverOfOwnContribution,
            lambda: waive(actor=books.approver, person_id=people["周"], year=2025),
        ),
        (errors.PersonNotFound, lambda: enrol(person_id=nobody, enrolled_on=date(2025, 1, 1))),
        (
            errors.RollNeedsMutualAidFund,
            lambda: app.enrol_in_roll(books.activity, actor=ACTOR, person_id=people["王"], enrolled_on=TODAY),
        ),
    ]
    for error, command in refusals:
        with pytest.raises(error):
            command()
    assert app.recorder.max_notification_id() == before
    assert app.fund(fund).balance_fen == 0


def test_roll_refuses_a_payment_with_roll_contribution_waived_and_records_no_donation_when_waived(books):
    app = books.app
    app.waive_roll_contribution(
        books.fund, actor=books.approver, person_id=books.people["王"], year=2025, reason="困难"
    )
    with pytest.raises(errors.RollContributionWaived):
        books.pay("王", 2025, date(2025, 3, 1), 1_000)
    with pytest.raises(errors.RollContributionWaived):
        app.waive_roll_contribution(
            books.fund, actor=books.approver, person_id=books.people["王"], year=2025, reason="再次"
        )
    assert app.fund(books.fund).balance_fen == 0


def test_roll_lets_a_member_enrol_again_after_leaving_when_the_new_day_is_after_the_leaving(books, store):
    app, wang = books.app, books.people["王"]
    app.leave_roll(books.fund, actor=ACTOR, person_id=wang, left_on=date(2024, 3, 31), reason="退会")
    with pytest.raises(errors.DatesOutOfOrder):
        app.enrol_in_roll(books.fund, actor=ACTOR, person_id=wang, enrolled_on=date(2024, 3, 31))
    app.enrol_in_roll(books.fund, actor=ACTOR, person_id=wang, enrolled_on=date(2024, 8, 1))
    runner.catch_up(store)
    assert [s.name_zh for s in roll.statuses(store, books.fund, 2024)] == ["周", "李"]  # off on 2024-06-30
    assert [s.name_zh for s in roll.statuses(store, books.fund, 2025)] == ["周", "李", "王"]

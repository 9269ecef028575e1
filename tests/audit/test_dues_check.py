"""``verify`` over the dues books (ADR 0160): a book the Ledger recorded breaks nothing; the same
events in orders the Ledger would refuse are named at the record that breaks the rule; a view
row changed behind the log is a ``view_differs``."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from ledger.audit.fresh_fold import verify_store
from ledger.audit.invariants import Invariants, Violation
from ledger.domain.dues_book import DuesBook
from tests.api.conftest import World, views_reach
from tests.api.conftest import world as world  # the fixtures, used by name
from tests.api.conftest import world_store as world_store
from tests.api.test_dues import created, payment, recorded, url
from tests.properties.test_exports_properties import decoded


def book(world: World) -> tuple[object, list]:
    recorded(world)  # a quarter paid and handed up
    created(world.post(url(world, "/payments"), payment(world, months=["2025-04"], amount="21.00")))
    created(
        world.post(
            url(world, "/payments/D2025-002/reversal"), {"reversed_on": "2025-07-01", "reason": "重复"}
        )
    )
    rebate = {
        "received_on": "2025-07-02",
        "amount": "35.00",
        "period_from": "2025-01",
        "period_to": "2025-06",
    }
    created(world.post(url(world, "/rebates"), rebate))
    views = world.client.app.state.views
    views_reach(world.client, world.position())
    return views, decoded(SimpleNamespace(store=views, app=world.ledger))


def check(events) -> list[Violation]:
    found: list[Violation] = []
    invariants = Invariants(found.append)
    for position, event in events:
        invariants.apply(position, event)
    invariants.finish()
    return found


def test_verify_finds_nothing_in_a_recorded_book_and_names_a_view_changed_behind_the_log(world):
    views, _ = book(world)
    assert verify_store(views, world.ledger.mapper.to_domain_event, fingerprints=[]).violations == []

    with views.backend.write() as cur:  # a member's paid month changed behind the fold's back
        cur.execute(
            views.backend.sql("UPDATE v_dues_month SET standard_fen = 1 WHERE month = ?"), ("2025-02",)
        )

    report = verify_store(views, world.ledger.mapper.to_domain_event, fingerprints=[])
    assert [(v.code, "dues" in v.detail) for v in report.violations] == [("view_differs", True)]


def test_a_month_paid_twice_and_a_partial_hand_up_are_named_where_they_happen(world):
    _, events = book(world)
    position, paid = next((p, e) for p, e in events if isinstance(e, DuesBook.DuesPaid))
    last = events[-1][0]

    assert [(v.code, v.position) for v in check([*events, (last + 1, paid)])] == [
        ("dues_month_paid_twice", last + 1)
    ] * 3  # one for each month of the quarter
    handed_position = next(p for p, e in events if isinstance(e, DuesBook.HandedUp))
    without_payment = [(p, e) for p, e in events if p != position]
    found = check(without_payment)
    assert ("dues_clearing_not_zero", handed_position) in [(v.code, v.position) for v in found]


def test_a_reversal_after_hand_up_and_a_wrong_expectation_are_named(world):
    _, events = book(world)
    last = events[-1][0]
    reversed_ = next(e for _, e in events if isinstance(e, DuesBook.PaymentReversed))
    rebate_position, rebate = next((p, e) for p, e in events if isinstance(e, DuesBook.RebateReceived))
    late = replace(reversed_, payment_no="D2025-001")  # handed up already
    assert [v.code for v in check([*events, (last + 1, late)])] == ["dues_reversal_invalid"]
    wrong = replace(rebate, expected_fen=rebate.expected_fen + 1)
    swapped = [(p, wrong if p == rebate_position else e) for p, e in events]
    assert [(v.code, v.position) for v in check(swapped)] == [
        ("dues_rebate_expectation_wrong", rebate_position)
    ]

"""``ViewStore.snapshot`` (ADR 0050): every query through a snapshot sees the views of one log
position, whatever the follower commits meanwhile; the live store sees the commit."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import queries, runner


@pytest.fixture
def views(database_url):
    store = build_views(Settings(database_url=database_url))
    yield store
    store.close()


def donate(ledger, fund: str, fen: int) -> None:
    ledger.record(
        fund,
        "receive_donation",
        actor="bookkeeper-1",
        occurred_on=date(2024, 3, 5),
        amount_fen=fen,
        donor_kind="resident",
        donor_name="热心居民",
        doc_refs=["收据"],
    )


def test_snapshot_keeps_its_position_and_figures_when_the_follower_commits_meanwhile(
    ledger, activity_fund_id, views
):
    donate(ledger, activity_fund_id, 1000)
    runner.catch_up(views)

    with views.snapshot() as snapshot:
        before = queries.statement(snapshot, activity_fund_id, "2024-03")
        donate(ledger, activity_fund_id, 500)
        runner.catch_up(views)  # the follower commits a batch while the snapshot is open
        again = queries.statement(snapshot, activity_fund_id, "2024-03")
        assert snapshot.position() == snapshot.snapshot_position == before.position
        with snapshot.snapshot() as inner:  # a snapshot inside a snapshot is the same one
            assert inner is snapshot

    assert (again.closing_fen, again.cash_fen, len(again.rows)) == (1000, 1000, 1)
    assert again.position == before.position
    now = queries.statement(views, activity_fund_id, "2024-03")
    assert (now.closing_fen, len(now.rows)) == (1500, 2)
    assert now.position == views.position() > before.position


def test_snapshot_refuses_to_write(views):
    with views.snapshot() as snapshot, pytest.raises(TypeError):
        snapshot.create_indexes()

"""The views followers of a server's workers fold one at a time (ADR 0193): while another
process holds the follower lock, a follower waits instead of folding the same batch, and then
catches up on its own."""

from __future__ import annotations

from datetime import date

from ledger.application.bootstrap import build_views, eventsourcing_env
from ledger.application.writer_lock import follower_lock_for
from ledger.config import Settings
from ledger.projections import runner


def test_a_follower_waits_while_another_process_folds_and_then_catches_up_when_the_lock_is_free(
    ledger, activity_fund_id, database_url
):
    settings = Settings(database_url=database_url)
    views = build_views(settings)
    mine, other_process = (follower_lock_for(eventsourcing_env(settings)) for _ in range(2))
    follower = runner.Follower(views, poll_s=0.01, lock=mine)
    try:
        with other_process:  # another worker's follower is folding
            follower.start()
            recorded = ledger.record(
                activity_fund_id,
                "receive_donation",
                actor="bookkeeper-1",
                occurred_on=date(2025, 1, 5),
                amount_fen=100,
                donor_kind="resident",
                donor_name="居民",
                doc_refs=["收据"],
            )
            follower.poke()
            assert not runner.wait_for(views, recorded.position, timeout_s=0.3)  # it waits
        assert runner.wait_for(views, recorded.position, timeout_s=30)
        assert follower.error is None
    finally:
        follower.stop()
        mine.close()
        other_process.close()
        views.close()

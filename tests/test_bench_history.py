"""The benchmarks' history (bench/history.py, ADR 0200) is one the Ledger could have written:
the bulk writer writes the same events as the Ledger's commands one by one, and the result
passes ``fundbook verify`` and shows every month on the public board. Not timed."""

from __future__ import annotations

import re

import httpx

from bench import history
from ledger.application import Ledger
from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from ledger.domain.fund import Fund
from tests import test_demo_and_cli
from tests.e2e.server import start_server

MONTHS = 14  # over a year's close
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
NOT_COMPARED = ("timestamp", "seal_position", "seal_hash")  # a bulk close seals the month's log


def small_history(url: str, writer: type[history.Bulk] | type[history.ThroughLedger]) -> Ledger:
    app = build_ledger(Settings(database_url=url), today=lambda: history.TODAY)
    communities = history.set_up(app, 2)
    history.fill(writer(app), communities, seed=3, months=MONTHS, per_month=6)
    return app


def events(app: Ledger) -> list[tuple[str, str]]:
    """Every event's topic and state, ids numbered in order of appearance (each store makes its
    own), without what may differ between two recordings of the same commands."""
    ids: dict[str, str] = {}
    out = []
    for notification in app.recorder.select_notifications(start=1, limit=100_000):
        event = app.mapper.to_domain_event(notification)
        state = sorted((k, v) for k, v in vars(event).items() if k not in NOT_COMPARED)
        text = UUID.sub(lambda m: ids.setdefault(m[0].replace("-", ""), f"id{len(ids)}"), repr(state))
        out.append((notification.topic, text))
    return out


def test_bench_history_bulk_writes_the_events_of_the_ledgers_commands_when_built_both_ways(
    database_url, module_database_url
):
    bulk = small_history(database_url, history.Bulk)
    one_by_one = small_history(module_database_url, history.ThroughLedger)
    try:
        written = events(bulk)
        assert written == events(one_by_one)
    finally:
        bulk.close()
        one_by_one.close()
    topics = {topic for topic, _ in written}
    for kind in (Fund.StipendPaid, Fund.EntryReversed, Fund.DonationReceived, Fund.ExpensePaid):
        assert kind.TOPIC in topics, kind
    closes = [text for topic, text in written if topic == Fund.PeriodClosed.TOPIC]
    assert len(closes) == 2 * MONTHS and sum("'2022-12'" in text for text in closes) == 2


def test_bench_history_passes_verify_and_every_board_month_answers_when_built_in_bulk(database_url):
    small_history(database_url, history.Bulk).close()
    verified = test_demo_and_cli.run(database_url, "verify")
    assert verified.exit_code == 0, verified.output
    app = build_ledger(Settings(database_url=database_url), today=lambda: history.TODAY)
    try:
        fund_ids = [str(i) for i in app.ids_of(Fund.Created.TOPIC)]
    finally:
        app.close()
    server = start_server(database_url)
    try:
        with httpx.Client(base_url=server.base_url, timeout=60) as client:
            for fund_id in fund_ids:
                for period in history.periods()[:MONTHS]:
                    page = client.get(f"/board/{fund_id}/{period}")
                    assert page.status_code == 200, (fund_id, period, page.text[:500])
    finally:
        server.stop()

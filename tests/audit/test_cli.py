"""The auditor's commands on the demo database, through the CLI as an auditor runs them:
verify (none found), export the log and verify it offline, export to hledger and Beancount and
let those tools re-check every assertion, history, balances at a log position. The module's
store is a copy of the demo (``module_demo``; ``fundbook demo`` itself is tested in
tests/test_demo_and_cli.py)."""

from __future__ import annotations

import subprocess
from datetime import date

import orjson
import pytest

from ledger.projections import queries, runner
from tests import test_demo_and_cli
from tests.properties.test_exports_properties import BEAN_CHECK

run = test_demo_and_cli.run


@pytest.fixture(scope="module")
def demo_url(module_demo) -> str:
    return module_demo.url


def test_verify_finds_no_violation_in_the_demo_and_exits_zero(demo_url):
    result = run(demo_url, "verify")
    assert result.exit_code == 0, result.output
    assert "OK: no violation" in result.stdout
    seals = int(result.stdout.split(" seals checked")[0].rsplit("\n", 1)[-1])
    assert seals > 100  # the demo closes every month of every fund


def test_verify_log_checks_an_exported_log_offline_and_a_notice_fingerprint(demo_url, tmp_path):
    log = tmp_path / "demo.jsonl"
    assert run(demo_url, "export", "jsonl", "--out", str(log)).exit_code == 0
    first = orjson.loads(log.read_bytes().splitlines()[0])
    head = orjson.loads(log.read_bytes().splitlines()[-1])["hash"]

    good = run(demo_url, "verify", "--log", str(log), "--seal", head[:16])
    assert good.exit_code == 0, good.output
    assert f"fingerprint {head[:16]}: the chain at position" in good.stdout

    first["state"]["recorded_by"] = "someone-else"  # the readable copy is not what is hashed …
    lines = log.read_bytes().splitlines()
    log.write_bytes(b"\n".join([orjson.dumps(first), *lines[1:]]) + b"\n")
    assert run(demo_url, "verify", "--log", str(log)).exit_code == 0
    lines[0] = lines[0].replace(b'"originator_version":1', b'"originator_version":2')  # … the rest is
    log.write_bytes(b"\n".join(lines) + b"\n")
    bad = run(demo_url, "verify", "--log", str(log), "--seal", "0000000000000000")
    assert bad.exit_code == 1
    assert f"VIOLATION event_altered at position {first['position']}" in bad.stdout
    assert "VIOLATION seal_not_found" in bad.stdout
    assert "seal_broken" in bad.stdout  # every seal after the first event now differs


def test_hledger_and_beancount_accept_the_demo_export_with_every_assertion(demo_url, tmp_path):
    journal, bean = tmp_path / "demo.journal", tmp_path / "demo.beancount"
    assert run(demo_url, "export", "hledger", "-o", str(journal)).exit_code == 0
    assert run(demo_url, "export", "beancount", "-o", str(bean)).exit_code == 0
    assertions = journal.read_text().count(" = ")
    assert assertions == bean.read_text().count(" balance ") > 6 * 2 * 12  # cash, bank: 6 funds, years

    hledger = subprocess.run(["hledger", "-f", str(journal), "check"], capture_output=True, text=True)
    assert hledger.returncode == 0, hledger.stderr
    checked = subprocess.run([BEAN_CHECK, str(bean)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_history_lists_a_funds_events_with_actor_recorded_time_and_business_date(demo_url):
    from ledger.application.bootstrap import build_views
    from ledger.config import Settings

    views = build_views(Settings(database_url=demo_url))
    try:
        runner.catch_up(views)
        fund = queries.fund_balances(views)[0]
        donor = views.fetch("SELECT person_id FROM v_journal WHERE person_role = 'donor' LIMIT 1")[0][0]
    finally:
        views.close()
    result = run(demo_url, "history", "--fund", fund.name_zh)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Fund.Established" in lines[1]
    donation = next(line for line in lines if "Fund.DonationReceived" in line)
    recorded, business_date = donation.split()[1:3]
    assert date.fromisoformat(recorded[:10]) and date.fromisoformat(business_date)
    assert int(lines[-1].split()[0]) == len(lines) - 2

    theirs = run(demo_url, "history", "--person", donor)
    assert "Person.Registered" in theirs.stdout and "Fund.DonationReceived" in theirs.stdout
    assert run(demo_url, "history").exit_code == 2


def test_balances_at_a_log_position_leave_out_everything_recorded_later(demo_url):
    early = run(demo_url, "balances", "--at-position", "300")
    now = run(demo_url, "balances")
    assert early.exit_code == 0 and early.stdout != now.stdout
    assert "阳光社区党员互助金" in early.stdout


def test_as_at_a_position_folds_only_the_events_up_to_it(demo_url):
    from ledger.application.bootstrap import build_views
    from ledger.config import Settings
    from ledger.domain.money import format_amount

    views = build_views(Settings(database_url=demo_url))
    try:
        runner.catch_up(views)
        fund = queries.fund_balances(views)[0]
        head = views.max_event_position()
        now = queries.statement(views, fund.fund_id, "2020")
        first_2020 = int(
            views.fetch(
                "SELECT MIN(position) FROM v_journal WHERE occurred_on >= '2020-01-01' AND fund_no = "
                "(SELECT position FROM v_fund WHERE fund_id = ?)",
                (fund.fund_id,),
            )[0][0]
        )
    finally:
        views.close()
    at_head = run(demo_url, "as-at", str(head), "--statement", fund.name_zh, "2020")
    assert at_head.exit_code == 0, at_head.output
    assert f"closing {format_amount(now.closing_fen)}" in at_head.stdout
    assert f"{len(now.rows)} vouchers" in at_head.stdout
    before = run(demo_url, "as-at", str(first_2020 - 1), "--statement", fund.name_zh, "2020")
    assert "2020 (provisional): " in before.stdout and "; 0 vouchers" in before.stdout
    assert run(demo_url, "as-at", "1", "--statement", fund.name_zh, "2020").exit_code == 1

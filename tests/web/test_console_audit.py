"""The auditor's verify page and the downloads of the books: the same checks and files as
``GET /audit/verify`` and ``GET /audit/export/{format}`` (and ``fundbook verify`` / ``export``),
the result per check with the first broken position, fingerprints typed from printed notices,
a tampered store shown broken, and the 403 page for anyone but an auditor of the whole tree."""

from __future__ import annotations

import re

import orjson

from ledger.projections import runner
from tests.audit.test_tamper import state_at, tamper
from tests.web.console_helpers import Browser, error_code

CHECKS = (
    "chain",
    "seals",
    "invariants",
    "view_funds",
    "view_journal",
    "view_period_closes",
    "view_organisations",
)


def _checks(html: str) -> dict[str, tuple[str, str]]:
    """check → (data-ok, first broken position) of the result table."""
    rows = re.findall(r'<tr data-check="([a-z_]+)" data-ok="([a-z]+)">(.*?)</tr>', html, re.DOTALL)
    return {name: (ok, re.search(r'class="num first-position">([^<]*)<', row)[1]) for name, ok, row in rows}


def _caught_up(world) -> None:
    world.client.app.state.follower.poke()
    assert runner.wait_for(world.client.app.state.views, world.position(), timeout_s=5)


def test_verify_shows_the_apis_figures_every_check_holding_and_how_long_it_took(world):
    browser = Browser(world, "auditor")  # signing in records a session token: verify after it
    api = world.get("/audit/verify", "auditor").json()

    shown = browser.get("/console/audit/verify", run=1)

    assert shown.status_code == 200
    assert 'id="verify-outcome" data-ok="true"' in shown.text
    assert f'id="verify-events">{api["events"]}<' in shown.text
    assert f'id="verify-head-position">{api["head_position"]}<' in shown.text
    assert f'id="verify-head-hash">{api["head_hash"]}<' in shown.text
    assert _checks(shown.text) == {name: ("true", "—") for name in CHECKS}
    assert re.search(r'id="verify-took">\d+ ms<', shown.text)
    assert 'id="verify-violations"' not in shown.text


def test_the_verify_page_runs_nothing_until_asked(world):
    shown = Browser(world, "auditor").get("/console/audit/verify")

    assert shown.status_code == 200 and 'id="verify-form"' in shown.text
    assert 'id="verify-outcome"' not in shown.text


def test_a_fingerprint_typed_from_a_notice_is_found_at_its_position_and_an_unknown_one_breaks_the_seals(
    world,
):
    browser = Browser(world, "auditor")
    head = world.get("/audit/verify", "auditor").json()["head_hash"]

    shown = browser.get("/console/audit/verify", run=1, seals=f"{head[:16]}, 0000000000000000")

    found = shown.text.split(f'data-fingerprint="{head[:16]}">')[1].split("</tr>")[0]
    assert f'class="position">{world.position()}<' in found
    assert 'data-fingerprint="0000000000000000"' in shown.text
    assert 'id="verify-outcome" data-ok="false"' in shown.text
    assert _checks(shown.text)["seals"] == ("false", "—")  # a fingerprint names no position
    assert _checks(shown.text)["chain"] == ("true", "—")
    assert re.findall(r'class="code violation">([a-z_]+)<', shown.text) == ["seal_not_found"]
    assert f"{head[:16]}, 0000000000000000" not in shown.text and "0000000000000000</textarea>" in shown.text


def test_an_edited_event_shows_the_chain_broken_at_its_position_and_the_balances_view_differing(world):
    _caught_up(world)
    views = world.client.app.state.views
    grant = next(
        p for p in range(1, world.position() + 1) if b'"grant_kind"' in state_at(views, p)
    )  # the first seeded grant
    edited = state_at(views, grant).replace(b'"amount_fen":100000', b'"amount_fen":900000')
    assert edited != state_at(views, grant)
    tamper(views, "UPDATE {table} SET state = ? WHERE {position} = ?", edited, grant)

    shown = Browser(world, "auditor").get("/console/audit/verify", run=1)

    assert 'id="verify-outcome" data-ok="false"' in shown.text
    checks = _checks(shown.text)
    assert checks["chain"] == ("false", str(grant))
    assert checks["view_funds"][0] == "false" and checks["view_organisations"][0] == "false"
    assert checks["invariants"] == ("true", "—") and checks["view_period_closes"] == ("true", "—")
    assert "event_altered" in re.findall(r'class="code violation">([a-z_]+)<', shown.text)


def test_verify_and_its_link_are_refused_with_role_required_to_a_bookkeeper(world):
    browser = Browser(world, "bookkeeper")

    refused = browser.get("/console/audit/verify", run=1)

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert 'id="verify-link"' not in browser.get("/console/audit").text
    assert 'id="verify-link"' in Browser(world, "auditor").get("/console/audit").text


def test_more_than_twenty_fingerprints_are_refused_with_value_not_allowed(world):
    typed = " ".join(f"{n:016x}" for n in range(21))

    refused = Browser(world, "auditor").get("/console/audit/verify", run=1, seals=typed)

    assert refused.status_code == 422 and error_code(refused.text) == ["value_not_allowed"]


# --- downloads -------------------------------------------------------------------------------------
def test_the_downloads_are_the_apis_exports_as_files_named_by_the_business_date(world):
    browser = Browser(world, "auditor")
    for export_format, suffix in (("jsonl", "jsonl"), ("hledger", "journal"), ("beancount", "beancount")):
        api = world.get(f"/audit/export/{export_format}", "auditor")

        got = browser.get(f"/console/audit/export/{export_format}")

        assert got.status_code == 200 and got.text == api.text and got.text
        assert got.headers["content-disposition"] == f'attachment; filename="fundbook-2025-07-10.{suffix}"'
        assert "charset=utf-8" in got.headers["content-type"]
    log = [orjson.loads(line) for line in browser.get("/console/audit/export/jsonl").text.splitlines()]
    assert [line["position"] for line in log][-1] == world.position()


def test_a_download_is_refused_with_role_required_to_a_member_and_an_unknown_format_with_value_not_allowed(
    world,
):
    refused = Browser(world, "member").get("/console/audit/export/beancount")
    unknown = Browser(world, "auditor").get("/console/audit/export/ledger")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert "text/html" in refused.headers["content-type"]
    assert unknown.status_code == 422 and error_code(unknown.text) == ["value_not_allowed"]

"""An event stored before the domain refused control characters (issue 14, ADR 0050) does not
stop the views on either store: PostgreSQL TEXT cannot hold NUL (the follower used to fail on
it for ever, ``DataError``), and a spreadsheet cannot hold a control character (the XLSX of the
statement used to fail). The views hold U+FFFD in its place, the statement renders in every
format, and ``verify`` names the event, the field and the character.

The old events are recorded by the real Ledger (the library's mapper encodes them, its recorder
stores them) with the domain's check switched off, as a version before the rule did."""

from __future__ import annotations

import io
from datetime import date

import orjson
import pytest
from openpyxl import load_workbook

from ledger.application.bootstrap import build_views
from ledger.audit.fresh_fold import verify_store
from ledger.config import Settings
from ledger.domain import control_chars, limits
from ledger.exports import formats
from ledger.exports import statement as board
from ledger.exports.html import render_pdf
from ledger.projections import queries, runner

POISON = "王\x00小\x1b\x85明"
SHOWN = "王\ufffd小\ufffd\ufffd明"


@pytest.fixture
def old_events(ledger, activity_fund_id, monkeypatch):
    """A person and a donation holding control characters, stored as an older version did."""
    with monkeypatch.context() as patch:
        patch.setattr(control_chars, "check_values", lambda values: None)
        patch.setattr(limits, "check_no_controls", lambda field, text: text)
        person = ledger.register_person(actor="bookkeeper-1", name_zh=POISON)["person_id"]
        ledger.record(
            activity_fund_id,
            "receive_donation",
            actor="bookkeeper-1",
            occurred_on=date(2024, 3, 5),
            amount_fen=1000,
            donor_kind="resident",
            donor_name=POISON,
            publish_donor_name=True,
            memo=POISON,
            doc_refs=["收据\x00001"],
        )
    return person, activity_fund_id, ledger.recorder.max_notification_id()


@pytest.fixture
def views(database_url):
    store = build_views(Settings(database_url=database_url))
    yield store
    store.close()


def test_views_reach_the_head_and_show_u_fffd_when_an_old_event_holds_a_nul(old_events, views):
    person, fund, head = old_events

    runner.catch_up(views)

    assert views.position() == head
    assert views.fetch("SELECT name_zh FROM v_person WHERE person_id = ?", (person,)) == [(SHOWN,)]
    (balance,) = [b for b in queries.fund_balances(views) if b.fund_id == fund]
    assert balance.income_fen == 1000  # the donation counts: only its texts are escaped


def test_statement_renders_in_every_format_when_an_old_event_holds_control_characters(old_events, views):
    _, fund, _ = old_events
    runner.catch_up(views)

    st = board.build(views, fund, "2024-03")

    (row,) = queries.statement(views, fund, "2024-03").rows
    assert (row["memo"], row["counterparty"]) == (SHOWN, SHOWN)
    assert SHOWN in orjson.loads(formats.to_json(st))["lines"][1]["summary"]
    assert SHOWN in formats.to_csv(st).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(formats.to_xlsx(st))).active
    assert any(SHOWN in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert render_pdf(st).startswith(b"%PDF")


def test_verify_names_the_event_the_field_and_the_character_when_an_old_event_holds_one(
    old_events, views, ledger
):
    runner.catch_up(views)

    report = verify_store(views, ledger.mapper.to_domain_event, fingerprints=[])

    found = [v for v in report.violations if v.code == "control_character"]
    lines = sorted(v.detail for v in found)
    assert len(found) == 4, lines  # the name; the donor name, the memo and a document reference
    assert any("name_zh holds U+0000" in line for line in lines)
    assert any("donor_name holds U+0000" in line for line in lines)
    assert any("memo holds U+0000" in line for line in lines)
    assert any("doc_refs holds U+0000" in line for line in lines)
    assert {v.position for v in found} == {old_events[2] - 1, old_events[2]}

"""``fundbook handover record|list`` on a real store (R22): a cashier's handover with a cash
shortage explained, listed back from the views; refusals print their code and exit 1."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from ledger.application.bootstrap import build_ledger
from ledger.cli import app as cli
from ledger.config import Settings

ACTOR = "seed"


@pytest.fixture
def books(database_url, tmp_path):
    """A branch's activity fund with 1000.00 in its cash box (2025-07-01), its cashier and
    bookkeeper assigned; today is 2025-07-10."""
    today = tmp_path / "today"
    today.write_text("2025-07-10", encoding="utf-8")
    env = {"FUNDBOOK_DATABASE_URL": database_url, "FUNDBOOK_TODAY_FILE": str(today)}
    ledger = build_ledger(Settings(database_url=database_url, today_file=str(today)))
    try:
        org = ledger.register_organisation(
            actor=ACTOR, kind="branch", name_zh="第一支部", established_on=date(2020, 1, 1)
        )["org_id"]
        fund = ledger.establish_fund(
            actor=ACTOR,
            owner_org_id=org,
            kind="activity",
            name_zh="活动经费",
            allowed_purposes=["activities"],
            custody={"kind": "cash_box"},
            established_on=date(2025, 1, 1),
        )["fund_id"]
        people = {
            key: ledger.register_person(actor=ACTOR, name_zh=name)["person_id"]
            for key, name in (
                ("cashier", "李出纳"),
                ("bookkeeper", "张会计"),
                ("next", "王新"),
                ("sup", "周书记"),
            )
        }
        for role in ("cashier", "bookkeeper"):
            ledger.record(
                fund,
                "assign_custodian",
                actor=ACTOR,
                role=role,
                person_id=people[role],
                from_date=date(2025, 1, 1),
            )
        ledger.record(
            fund,
            "receive_donation",
            actor=ACTOR,
            occurred_on=date(2025, 7, 1),
            amount_fen=100_000,
            donor_kind="resident",
            donor_name="居民",
            doc_refs=["收据"],
        )
    finally:
        ledger.close()
    return {"env": env, "fund": fund, "people": people}


def run(books, *args: str):
    return CliRunner().invoke(cli, list(args), env=books["env"])


def record(books, *extra: str):
    p = books["people"]
    return run(
        books,
        *("handover", "record", "--fund", books["fund"], "--role", "cashier", "--to", p["next"]),
        *("--supervisor", p["sup"], "--on", "2025-07-08", "--bank", "0.00", "--inventory", "移交清单-07"),
        *extra,
    )


def test_a_handover_is_recorded_and_listed_with_its_difference_from_the_command_line(books):
    recorded = record(books, "--cash", "999.50", "--note", "短款0.50元")

    assert recorded.exit_code == 0, recorded.output
    p = books["people"]
    assert f"cashier handed over on 2025-07-08 from {p['cashier']} to {p['next']}" in recorded.output
    assert "differences: cash -0.50, bank 0.00" in recorded.output
    listed = run(books, "handover", "list", "活动经费")
    assert listed.exit_code == 0, listed.output
    assert f"2025-07-08  cashier     {p['cashier']} → {p['next']} (监交 {p['sup']})" in listed.output
    assert "cash: book 1,000.00, counted 999.50, difference -0.50" in listed.output
    assert "note: 短款0.50元" in listed.output
    assert "last voucher 202507-001" in listed.output
    assert "1 handover(s)" in listed.output


def test_a_handover_is_refused_with_its_code_when_the_difference_has_no_note(books):
    refused = record(books, "--cash", "999.50")

    assert refused.exit_code == 1
    assert "handover_difference_unexplained" in refused.output
    assert "0 handover(s)" in run(books, "handover", "list", books["fund"]).output


def test_a_handover_is_refused_with_date_invalid_naming_the_field_when_the_date_is_bad(books):
    p = books["people"]
    refused = run(
        books,
        *("handover", "record", "--fund", books["fund"], "--role", "cashier", "--to", p["next"]),
        *("--supervisor", p["sup"], "--on", "07/08/2025", "--cash", "1000", "--bank", "0"),
        *("--inventory", "清单"),
    )

    assert refused.exit_code == 1
    assert "date_invalid" in refused.output  # the field by its words, not its code (issue 19)
    assert "移交日期" in refused.output and "The handover date" in refused.output

"""The mutual-aid roll from the command line (issue 21 item 1): the year's contribution, two
members enrolled, one pays and one is waived by an approver, ``roll show`` and ``--behind``;
a refusal prints its code and exits 1."""

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
    today = tmp_path / "today"
    today.write_text("2025-07-10", encoding="utf-8")
    env = {"FUNDBOOK_DATABASE_URL": database_url, "FUNDBOOK_TODAY_FILE": str(today)}
    ledger = build_ledger(Settings(database_url=database_url, today_file=str(today)))
    try:
        org = ledger.register_organisation(
            actor=ACTOR, kind="community_committee", name_zh="阳光社区党委", established_on=date(2020, 1, 1)
        )["org_id"]
        fund = ledger.establish_fund(
            actor=ACTOR,
            owner_org_id=org,
            kind="mutual_aid",
            name_zh="党员互助金",
            allowed_purposes=["hardship_aid"],
            custody={"kind": "cash_box"},
            established_on=date(2025, 1, 1),
        )["fund_id"]
        people = {
            name: ledger.register_person(actor=ACTOR, name_zh=name)["person_id"]
            for name in ("王", "李", "周")
        }
        approver = ledger.register_user(actor=ACTOR, person_id=people["周"])["user_id"]
        ledger.change_role(approver, "grant", actor=ACTOR, role="approver", org_id=org)
    finally:
        ledger.close()
    return {"env": env, "fund": fund, "people": people, "approver": approver}


def run(books, *args: str):
    return CliRunner().invoke(cli, ["roll", *args], env=books["env"])


def test_roll_commands_record_a_year_and_show_paid_waived_and_behind_when_run_in_turn(books):
    fund, wang, li = books["fund"], books["people"]["王"], books["people"]["李"]
    charge = ("--amount", "10.00", "--due", "2025-06-30", "--charter", "章程第五条")
    assert run(books, "contribution", fund, "2025", *charge).exit_code == 0
    for person in (wang, li):
        enrolled = run(books, "enrol", fund, person, "--on", "2025-01-01")
        assert enrolled.exit_code == 0, enrolled.output
    paid = run(
        books, "pay", fund, wang, "2025", "--amount", "10.00", "--on", "2025-03-01", "--receipt", "HZ-1"
    )
    assert paid.exit_code == 0, paid.output
    assert paid.output.strip() == f"{wang} 2025: voucher 202503-001"

    shown = run(books, "show", "党员互助金")
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == [
        "2025  李          owed    paid 0.00 of 10.00  —",
        "2025  王          paid    paid 10.00 of 10.00  202503-001",
        "2 member(s) on the roll; 1 paid for 2025",
    ]
    assert "李" in run(books, "show", fund, "--behind").output

    waived = run(books, "waive", fund, li, "2025", "--user", books["approver"], "--reason", "困难")
    assert waived.exit_code == 0, waived.output
    assert run(books, "show", fund, "--behind").output.splitlines() == [
        "2 member(s) on the roll; 1 paid for 2025"
    ]


def test_roll_enrol_prints_roll_member_already_enrolled_and_exits_1_when_enrolled_twice(books):
    fund, wang = books["fund"], books["people"]["王"]
    assert run(books, "enrol", fund, wang, "--on", "2025-01-01").exit_code == 0
    again = run(books, "enrol", fund, wang, "--on", "2025-02-01")
    assert again.exit_code == 1
    assert "roll_member_already_enrolled" in again.output

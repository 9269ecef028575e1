"""The dues commands of ``fundbook`` on a real store (ADR 0160): a member's base declared, a
quarter paid beside its standard, a slip reversed, a partial hand-up refused and the whole
handed up, a rebate short of its share shown with a warning, the book shown."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from tests.test_cli_workflows import ACTOR, run


@pytest.fixture
def branch(database_url, tmp_path):
    today = tmp_path / "today"
    today.write_text("2025-07-10", encoding="utf-8")
    env = {"FUNDBOOK_DATABASE_URL": database_url, "FUNDBOOK_TODAY_FILE": str(today)}
    ledger = build_ledger(Settings(database_url=database_url, today_file=str(today)))
    try:
        community = ledger.register_organisation(
            actor=ACTOR, kind="community_committee", name_zh="阳光社区党委", established_on=date(2020, 1, 1)
        )["org_id"]
        org = ledger.register_organisation(
            actor=ACTOR,
            kind="branch",
            name_zh="第一支部",
            parent_org_id=community,
            established_on=date(2020, 1, 1),
            branch_kind="retiree",
        )["org_id"]
        member = ledger.register_person(actor=ACTOR, name_zh="王小明")["person_id"]
        ledger.change_person(
            member,
            "join_branch",
            actor=ACTOR,
            org_id=org,
            effective_on=date(2020, 1, 1),
            membership_status="full",
            category="retired",
        )
    finally:
        ledger.close()
    return {"env": env, "org": org, "community": community, "member": member}


def test_dues_are_paid_handed_up_whole_and_rebated_with_a_warning_from_the_command_line(branch):
    org, member = branch["org"], branch["member"]
    settings = run(branch, "dues", "settings", "--org", org, "--from", "2025-01", "--decision", "区委文件")
    assert settings.exit_code == 0, settings.output
    shared = run(
        branch,
        "dues",
        "settings",
        "--org",
        org,
        "--from",
        "2025-04",
        "--decision",
        "区委文件",
        "--share-bp",
        "5000",
    )
    assert shared.exit_code == 0, shared.output
    declared = run(
        branch,
        *("dues", "base", "--org", org, "--member", member, "--from", "2025-01"),
        *("--category", "retired", "--base", "4200.00"),
    )
    assert declared.exit_code == 0, declared.output
    assert "standard 21.00 a month" in declared.stdout
    paid = run(
        branch,
        *("dues", "pay", "--org", org, "--member", member, "--month", "2025-01", "--month", "2025-02"),
        *("--month", "2025-03", "--amount", "63.00", "--on", "2025-03-05", "--receipt", "收据12"),
    )
    assert paid.exit_code == 0, paid.output
    assert "payment D2025-001: 63.00, standard 63.00, difference 0.00" in paid.stdout
    slip = run(
        branch,
        *("dues", "pay", "--org", org, "--member", member, "--month", "2025-04"),
        *("--amount", "210.00", "--on", "2025-04-01", "--receipt", "收据13"),
    )
    assert slip.exit_code == 0, slip.output
    reversed_ = run(
        branch,
        "dues",
        "reverse",
        "--org",
        org,
        "--payment",
        "D2025-002",
        "--on",
        "2025-04-01",
        "--reason",
        "多录",
    )
    assert reversed_.exit_code == 0, reversed_.output
    hand_up = ("dues", "hand-up", "--org", org, "--on", "2025-04-02", "--receipt", "回单")
    part = run(branch, *hand_up, "--amount", "21.00")
    assert part.exit_code == 1 and "dues_hand_up_not_whole" in part.stderr
    whole = run(branch, *hand_up, "--amount", "63.00")
    assert whole.exit_code == 0, whole.output
    assert "hand-up S2025-001: 63.00, held now 0.00" in whole.stdout
    rebate = run(
        branch,
        *("dues", "rebate", "--org", org, "--amount", "30.00", "--on", "2025-07-01"),
        *("--from-month", "2025-04", "--to-month", "2025-06"),
    )
    assert rebate.exit_code == 0, rebate.output
    assert "expected 31.50" in rebate.stdout
    assert "warning: dues_rebate_differs_from_share, difference -1.50" in rebate.stderr

    shown = run(branch, "dues", "show", org)

    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("D2025-001  2025-03-05") and lines[0].endswith("S2025-001")
    assert lines[1].endswith("reversed 2025-04-01")
    assert lines[2].startswith("S2025-001  2025-04-02  2025-01..2025-03")
    assert "WARNING dues_rebate_differs_from_share -1.50" in lines[3]
    assert lines[4] == "collected 63.00  handed up 63.00  held 0.00  rebates 30.00"

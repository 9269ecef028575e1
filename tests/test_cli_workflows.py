"""The workflow commands of ``fundbook`` on a real store: an aid case applied, signed, listed
as waiting, paid after its notice window (the business date moved with FUNDBOOK_TODAY_FILE);
an objection raised anonymously and answered; the stipend schedule; a collection's members."""

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
        member = ledger.register_person(actor=ACTOR, name_zh="王小明")["person_id"]
        approvers = []
        for name in ("周书记", "吴委员"):
            person = ledger.register_person(actor=ACTOR, name_zh=name)["person_id"]
            user = ledger.register_user(actor=ACTOR, person_id=person)["user_id"]
            ledger.change_role(user, "grant", actor=ACTOR, role="approver", org_id=org)
            approvers.append(user)
    finally:
        ledger.close()
    return {"env": env, "today": today, "org": org, "fund": fund, "member": member, "approvers": approvers}


def run(books, *args: str):
    result = CliRunner().invoke(cli, list(args), env=books["env"])
    return result


def test_an_aid_case_is_applied_signed_listed_and_paid_after_its_window_from_the_command_line(books):
    applied = run(
        books,
        *("aid", "apply", "--fund", books["fund"], "--beneficiary", books["member"], "--amount", "400.00"),
        *("--reason", "住院", "--category", "慰问因病住院党员", "--evidence", "发票-1"),
    )
    assert applied.exit_code == 0, applied.output
    case = applied.output.split()[1].rstrip(":")
    assert "needs 1 signature(s)" in applied.output
    waiting = run(books, "aid", "list", "--waiting-for", books["approvers"][0])
    assert case in waiting.output and "1 case(s)" in waiting.output

    signed = run(books, "aid", "sign", case, "--user", books["approvers"][0])
    assert "approved (1/1), notice until 2025-07-16" in signed.output
    objected = run(books, "aid", "object", case, "--text", "情况不实", "--anonymous")
    assert "objection 1 raised" in objected.output
    books["today"].write_text("2025-07-17", encoding="utf-8")
    refused = run(
        books, "aid", "pay", case, "--paid-on", "2025-07-17", "--by", "cashier", "--doc-ref", "签收单"
    )
    assert refused.exit_code == 1 and "aid_objection_unanswered" in refused.output
    answered = run(
        books,
        *("aid", "answer", case, "1", "--user", books["approvers"][1]),
        *("--outcome", "dismissed", "--answer", "经核实符合条件"),
    )
    assert "dismissed; case approved" in answered.output
    paid = run(books, "aid", "pay", case, "--paid-on", "2025-07-17", "--by", "cashier", "--doc-ref", "签收单")

    assert paid.exit_code == 0, paid.output
    assert "paid, voucher" in paid.output
    assert "paid" in run(books, "aid", "list", "--status", "paid").output


def test_a_signature_without_the_approver_role_is_refused_with_its_code(books):
    applied = run(
        books,
        *("aid", "apply", "--fund", books["fund"], "--beneficiary", books["member"], "--amount", "400.00"),
        *("--reason", "住院", "--category", "慰问", "--evidence", "发票-1"),
    )
    case = applied.output.split()[1].rstrip(":")

    refused = run(books, "aid", "sign", case, "--user", "not-a-user")

    assert refused.exit_code == 1
    assert "aid_signer_not_approver" in refused.output


def test_the_stipend_schedule_is_empty_without_terms_and_an_unassessed_fund_reads_as_open(books):
    schedule = run(books, "stipends-due", books["org"], "--through", "2025-07")
    collection = run(books, "collection", books["fund"])

    assert schedule.exit_code == 0 and schedule.output == ""
    assert collection.exit_code == 0 and "status: open" in collection.output


def objected_case(books) -> str:
    applied = run(
        books,
        *("aid", "apply", "--fund", books["fund"], "--beneficiary", books["member"], "--amount", "400.00"),
        *("--reason", "住院", "--category", "慰问因病住院党员", "--evidence", "发票"),
    )
    case = applied.output.split()[1].rstrip(":")
    assert run(books, "aid", "sign", case, "--user", books["approvers"][0]).exit_code == 0
    assert run(books, "aid", "object", case, "--text", "情况不实", "--anonymous").exit_code == 0
    return case


def test_objections_escalate_escalates_an_overdue_objection_once_to_the_organisation_above(books):
    ledger = build_ledger(Settings(database_url=books["env"]["FUNDBOOK_DATABASE_URL"]))
    try:
        street = ledger.register_organisation(
            actor=ACTOR, kind="street_committee", name_zh="阳光街道党工委", established_on=date(2000, 1, 1)
        )["org_id"]
        ledger.change_organisation(
            books["org"], "reparent", actor=ACTOR, new_parent_org_id=street, effective_on=date(2025, 7, 1)
        )
    finally:
        ledger.close()
    case = objected_case(books)

    books["today"].write_text("2025-07-20", encoding="utf-8")
    on_time = run(books, "objections", "escalate")
    books["today"].write_text("2025-07-21", encoding="utf-8")
    first = run(books, "objections", "escalate")
    second = run(books, "objections", "escalate")

    assert on_time.exit_code == 0, on_time.output
    assert "0 objection(s) escalated on 2025-07-20" in on_time.output
    assert first.exit_code == 0, first.output
    assert f"escalated case {case} objection 1 to {street}" in first.output
    assert "1 objection(s) escalated on 2025-07-21" in first.output
    assert "0 objection(s) escalated" in second.output and "escalated case" not in second.output
    refused = run(
        books, "aid", "pay", case, "--paid-on", "2025-07-21", "--by", "cashier", "--doc-ref", "签收单"
    )
    assert refused.exit_code == 1 and "aid_objection_unanswered" in refused.output


def test_objections_escalate_names_an_overdue_objection_with_no_organisation_above(books):
    case = objected_case(books)  # the community is the top of this tree
    books["today"].write_text("2025-07-21", encoding="utf-8")

    result = run(books, "objections", "escalate")

    assert result.exit_code == 0, result.output
    assert f"overdue, no organisation above: case {case} objection 1" in result.output
    assert "0 objection(s) escalated" in result.output


def test_a_gift_of_goods_becomes_an_asset_and_is_written_off_from_the_command_line(books):
    org, keeper = books["org"], books["member"]
    gift = run(
        books,
        "assets",
        "gift",
        "--org",
        org,
        "--on",
        "2025-07-02",
        "--value",
        "1500.00",
        "--donor",
        "共建单位",
        "--summary",
        "捐赠打印机一台",
        "--description",
        "HP 激光打印机",
        "--evidence",
        "来函",
    )
    assert gift.exit_code == 0, gift.output
    assert "gift K2025-001: 1,500.00 in kind" in gift.stdout
    registered = run(
        books,
        "assets",
        "register",
        "--org",
        org,
        "--on",
        "2025-07-03",
        "--value",
        "1500.00",
        "--name",
        "打印机",
        "--keeper",
        keeper,
        "--place",
        "活动室",
        "--gift",
        "K2025-001",
    )
    assert registered.exit_code == 0, registered.output
    by_keeper = run(
        books,
        "assets",
        "write-off",
        "--org",
        org,
        "--asset",
        "A2025-001",
        "--on",
        "2025-07-09",
        "--approver",
        keeper,
        "--reason",
        "损坏",
    )
    assert by_keeper.exit_code == 1
    assert "write_off_approver_not_independent" in by_keeper.stderr
    other = run(
        books,
        "assets",
        "write-off",
        "--org",
        org,
        "--asset",
        "A2025-001",
        "--on",
        "2025-07-09",
        "--approver",
        books["approvers"][0],
        "--reason",
        "损坏",
    )
    assert other.exit_code == 1 and "person_not_found" in other.stderr  # a user id is not a person

    listed = run(books, "assets", "list", org)

    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("K2025-001  2025-07-02  goods") and "共建单位" in lines[0]
    assert lines[1].startswith("A2025-001  2025-07-03") and lines[1].endswith("打印机")

"""Importing a branch's paper register (docs/samples/register-2024.csv and .xlsx) keeps who
gave: member donors matched to the register by name and branch, an ambiguous or unknown name
refused with the candidates named (never guessed, nothing written), stipends to office holders,
transfers between funds and cash moves; per-member totals equal the paper register's."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from ledger.application.bootstrap import build_views
from ledger.application.bulk_import import read_file
from ledger.application.import_commands import parse_months
from ledger.cli import app as cli
from ledger.config import Settings
from ledger.domain.money import parse_amount
from ledger.projections import queries, runner

SAMPLES = Path(__file__).resolve().parents[1] / "docs" / "samples"
REGISTER = SAMPLES / "register-2024.csv"
ACTOR = "digitiser"
FOUNDED = date(2010, 1, 1)


@pytest.fixture
def world(ledger):
    """The sample's community: two retirees' branches, five people (two named 王秀英, one in
    each branch), the secretary of the first branch, a mutual-aid fund and an activity fund."""
    org = {}
    org["community"] = ledger.register_organisation(
        actor=ACTOR, kind="community_committee", name_zh="阳光社区党委", established_on=FOUNDED
    )["org_id"]
    for key, name in (("first", "第一离退休党支部"), ("second", "第二离退休党支部")):
        org[key] = ledger.register_organisation(
            actor=ACTOR,
            kind="branch",
            branch_kind="retiree",
            name_zh=name,
            parent_org_id=org["community"],
            established_on=FOUNDED,
        )["org_id"]
    people = {}
    for key, name, branch in (
        ("zhang", "张建华", "first"),
        ("wang_first", "王秀英", "first"),
        ("wang_second", "王秀英", "second"),
        ("li", "李桂兰", "second"),
    ):
        people[key] = join(ledger, name, org[branch])
    people["zhao"] = ledger.register_person(actor=ACTOR, name_zh="赵出纳")["person_id"]
    ledger.change_organisation(
        org["first"], "appoint", actor=ACTOR, person_id=people["zhang"], role="secretary", from_date=FOUNDED
    )
    funds = {
        "mutual_aid": ledger.establish_fund(
            actor=ACTOR,
            owner_org_id=org["community"],
            kind="mutual_aid",
            name_zh="阳光社区党员互助金",
            allowed_purposes=["hardship_aid"],
            custody={"kind": "bank_account", "ref": "居委会账户"},
            established_on=date(2023, 1, 1),
        )["fund_id"],
        "activity": ledger.establish_fund(
            actor=ACTOR,
            owner_org_id=org["first"],
            kind="activity",
            name_zh="第一支部活动经费",
            allowed_purposes=["activities"],
            custody={"kind": "cash_box"},
            established_on=date(2023, 1, 1),
            policy={"stipends_allowed": True},
        )["fund_id"],
    }
    return {"org": org, "people": people, "funds": funds}


def join(ledger, name: str, branch: str) -> str:
    person = ledger.register_person(actor=ACTOR, name_zh=name)["person_id"]
    ledger.change_person(
        person,
        "join_branch",
        actor=ACTOR,
        org_id=branch,
        effective_on=date(2015, 1, 1),
        membership_status="full",
        category="retired",
    )
    return person


def register_totals(path: Path) -> dict[tuple[str, str], int]:
    """The paper register's per-member totals, summed straight from the file: (name, branch)."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["类别"] == "捐款" and row["支部"]:
                totals[(row["对方"], row["支部"])] += parse_amount(row["收入"])
    return dict(totals)


def test_per_member_totals_equal_the_paper_registers_when_the_sample_register_is_imported(
    ledger, world, database_url
):
    result = ledger.import_rows(read_file(REGISTER), actor=ACTOR)

    assert result.rejected == [] and result.written
    names = {pid: ledger.person(pid).name_zh for pid in world["people"].values()}
    branch_names = {ledger.organisation(o).name_zh: o for o in world["org"].values()}
    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        imported: dict[tuple[str, str], int] = defaultdict(int)
        for total in queries.member_totals(views):
            if total.donated_fen:
                imported[(names[total.person_id], total.branch_org_id)] += total.donated_fen
    finally:
        views.close()
    paper = register_totals(REGISTER)
    expected = {(name, branch_names[branch]): fen for (name, branch), fen in paper.items()}
    assert dict(imported) == expected
    assert expected[("王秀英", world["org"]["first"])] == 10_000  # two 王秀英, told apart by branch
    assert expected[("张建华", world["org"]["first"])] == 30_000  # across two months


def test_stipend_transfer_and_cash_move_of_the_register_are_recorded_on_their_funds(ledger, world):
    ledger.import_rows(read_file(REGISTER), actor=ACTOR)

    mutual_aid, activity = (ledger.fund(world["funds"][k]) for k in ("mutual_aid", "activity"))
    assert (activity.balance_fen, mutual_aid.balance_fen) == (35_000, 78_000)
    records = [*map(activity.voucher_record, activity.vouchers)]
    stipend = next(v for v in records if v["topic"].endswith("StipendPaid"))
    assert stipend["person_id"] == world["people"]["zhang"]
    assert activity.stipend_months[world["people"]["zhang"]] == ["2024-01", "2024-02", "2024-03"]
    records = [*map(mutual_aid.voucher_record, mutual_aid.vouchers)]
    transfer_in = next(v for v in records if v["topic"].endswith("TransferredIn"))
    assert transfer_in["amount_fen"] == 10_000
    moved = next(v for v in records if v["topic"].endswith("CashMoved"))
    assert moved["amount_fen"] == 10_000


def test_an_ambiguous_name_stops_the_import_with_both_candidates_named_when_two_members_share_it(
    ledger, world
):
    twin = join(ledger, "王秀英", world["org"]["first"])  # a second 王秀英 in the first branch
    before = ledger.store_event_count()

    result = ledger.import_rows(read_file(REGISTER), actor=ACTOR)

    assert not result.written and ledger.store_event_count() == before
    (line, error), *later = result.rejected
    assert (line, error.code) == (3, "import_person_ambiguous")
    # the book's running balance after the refused row no longer matches: those rows say so
    assert {e.code for _, e in later} == {"import_balance_mismatch"}
    assert world["people"]["wang_first"] in error.message and twin in error.message
    assert world["people"]["wang_second"] not in error.message  # the other branch's 王秀英


def test_an_ambiguous_name_is_imported_once_the_bookkeeper_writes_the_persons_id(ledger, world, tmp_path):
    join(ledger, "王秀英", world["org"]["first"])
    text = REGISTER.read_text(encoding="utf-8-sig").replace(
        "王秀英,第一离退休党支部,,", f"王秀英,第一离退休党支部,{world['people']['wang_first']},"
    )
    resolved = tmp_path / "register.csv"
    resolved.write_text(text, encoding="utf-8")

    result = ledger.import_rows(read_file(resolved), actor=ACTOR)

    assert result.rejected == [] and result.written
    events = ledger.events.get(UUID(world["funds"]["mutual_aid"]))
    gift = next(e for e in events if getattr(e, "voucher_no", None) == "202401-002")
    assert (gift.donor_kind, gift.donor_person_id) == ("member", world["people"]["wang_first"])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("李桂兰,第二离退休党支部", "李桂兰,第一离退休党支部"),  # a member of another branch
        ("李桂兰,第二离退休党支部", "李桂兰,第九党支部"),  # no such branch
        ("书记工作补贴一季度,张建华", "书记工作补贴一季度,李桂兰"),  # not an office holder
    ],
)
def test_an_unknown_name_stops_the_import_when_the_register_has_nobody_by_that_name_there(
    ledger, world, tmp_path, old, new
):
    path = tmp_path / "register.csv"
    path.write_text(REGISTER.read_text(encoding="utf-8-sig").replace(old, new), encoding="utf-8")

    result = ledger.import_rows(read_file(path), actor=ACTOR)

    assert not result.written
    (_, error), *later = result.rejected
    assert error.code == "import_person_unknown" and "李桂兰" in error.message
    assert {e.code for _, e in later} <= {"import_balance_mismatch"}


def test_re_importing_the_register_writes_nothing_new(ledger, world):
    ledger.import_rows(read_file(REGISTER), actor=ACTOR)
    again = ledger.import_rows(read_file(REGISTER), actor=ACTOR)
    assert again.accepted == [] and len(again.already_imported) == 10


def test_the_xlsx_register_reads_as_the_same_rows_as_the_csv_one():
    from_csv = [(r.line, r.values) for r in read_file(REGISTER)]
    from_xlsx = [(r.line, r.values) for r in read_file(SAMPLES / "register-2024.xlsx")]
    assert from_xlsx == from_csv


def test_the_dry_run_lists_both_candidates_for_the_bookkeeper_and_exits_1(world, ledger, database_url):
    twin = join(ledger, "王秀英", world["org"]["first"])

    result = CliRunner().invoke(
        cli, ["import", str(REGISTER), "--dry-run"], env={"FUNDBOOK_DATABASE_URL": database_url}
    )

    assert result.exit_code == 1
    assert "line 3: import_person_ambiguous" in result.output
    assert world["people"]["wang_first"] in result.output and twin in result.output


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("2024-01~2024-03", ["2024-01", "2024-02", "2024-03"]),
        ("2024-11至2025-01", ["2024-11", "2024-12", "2025-01"]),
        ("2024-01;2024-03", ["2024-01", "2024-03"]),
        ("2024-02、2024-04", ["2024-02", "2024-04"]),
    ],
)
def test_stipend_months_are_read_from_a_list_or_a_range(text, months):
    assert parse_months(text) == months


def test_a_file_named_xlsx_that_is_no_workbook_is_refused_with_import_format_unknown(tmp_path):
    from ledger.domain.errors import LedgerError

    fake = tmp_path / "register.xlsx"
    fake.write_bytes(REGISTER.read_bytes())  # a CSV renamed
    with pytest.raises(LedgerError) as refused:
        read_file(fake)
    assert refused.value.code == "import_format_unknown"

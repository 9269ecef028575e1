"""Importing a paper book (CSV or JSONL) on a real store: every bad row named by line and code,
all or nothing, --dry-run, --skip-invalid with a file of rejected rows, and idempotent re-runs."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from typer.testing import CliRunner

from ledger.application.bulk_import import parse_day, read_file
from ledger.cli import app as cli
from ledger.domain import errors
from ledger.projections import queries, runner

ACTOR = "digitiser"
HEADER = "序号,基金,类别,日期,凭证号,摘要,收入,支出,余额,经办人,审批人,对方,用途\n"
GOOD = [
    "1,活动经费,捐款,2024/3/2,记-03-001,居民捐款,100.00,,100.00,,,张大爷,\n",
    "2,活动经费,拨款,2024-03-03,记-03-002,党费返还,500.00,,600.00,,,街道党工委,dues_rebate\n",
    "3,活动经费,支出,2024年3月5日,记-03-003,购买茶叶,,35.50,564.50,李四,王五,超市,activities\n",
]


@pytest.fixture
def fund_id(activity_fund_id):
    return activity_fund_id


def write(tmp_path, lines, name="book.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(lines), encoding="utf-8-sig")
    return path


def codes(result):
    return [(line, error.code) for line, error in result.rejected]


def test_a_clean_paper_book_is_imported_in_order_with_its_running_balance_checked(ledger, fund_id, tmp_path):
    result = ledger.import_rows(read_file(write(tmp_path, GOOD)), actor=ACTOR)
    assert result.written and result.rejected == []
    assert [(line, voucher) for line, _, voucher in result.accepted] == [
        (2, "202403-001"),
        (3, "202403-002"),
        (4, "202403-003"),
    ]
    fund = ledger.fund(fund_id)
    assert fund.balance_fen == 56450
    assert fund.voucher("202403-003")["amount_fen"] == 3550


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named_by_line_and_code(ledger, fund_id, tmp_path):
    bad = [
        *GOOD,
        "4,活动经费,支出,2024-03-06,记-03-004,买桌子,,50.00,,李四,李四,家具店,activities\n",
        "5,不存在的基金,捐款,2024-03-06,记-03-005,捐款,10.00,,,,,某人,\n",
        "6,活动经费,支出,2024-03-07,记-03-006,旅游,,10.00,,李四,王五,旅行社,travel\n",
        "7,活动经费,捐款,2024-02-30,记-03-007,捐款,10.00,,,,,某人,\n",
        "8,活动经费,捐款,2024-03-08,记-03-008,捐款,10.5,,,,,某人,\n",
        "9,活动经费,支出,2024-03-08,记-03-009,大额,,99999.00,,李四,王五,店,activities\n",
        "10,活动经费,捐款,2024-03-08,记-03-010,捐款,10.00,,999.00,,,某人,\n",
        "11,活动经费,捐款,2024-03-08,记-03-011,捐款,,10.00,,,,某人,\n",
    ]
    before = ledger.recorder.max_notification_id()
    result = ledger.import_rows(read_file(write(tmp_path, bad)), actor=ACTOR)
    assert not result.written
    assert codes(result) == [
        (5, "handler_cannot_approve"),
        (6, "fund_not_found"),
        (7, "purpose_not_allowed"),
        (8, "date_invalid"),
        (10, "insufficient_funds"),
        (11, "import_balance_mismatch"),
        (12, "import_amount_column_wrong"),
    ]
    assert len(result.accepted) == 4  # line 9's "10.5" is ten yuan fifty: a good row
    assert ledger.recorder.max_notification_id() == before
    assert ledger.fund(fund_id).balance_fen == 0


def test_a_dry_run_reports_what_would_be_imported_and_writes_nothing(ledger, fund_id, tmp_path):
    before = ledger.recorder.max_notification_id()
    result = ledger.import_rows(read_file(write(tmp_path, GOOD)), actor=ACTOR, dry_run=True)
    assert len(result.accepted) == 3 and not result.written
    assert ledger.recorder.max_notification_id() == before


def test_importing_the_same_file_again_writes_nothing_new(ledger, fund_id, tmp_path):
    path = write(tmp_path, GOOD)
    ledger.import_rows(read_file(path), actor=ACTOR)
    position = ledger.recorder.max_notification_id()
    again = ledger.import_rows(read_file(path), actor=ACTOR)
    assert again.accepted == [] and again.already_imported == [2, 3, 4] and not again.written
    assert ledger.recorder.max_notification_id() == position
    grown = write(tmp_path, [*GOOD, "4,活动经费,捐款,2024-03-09,记-03-004,捐款,1.00,,,,,某人,\n"])
    third = ledger.import_rows(read_file(grown), actor=ACTOR)
    assert [line for line, *_ in third.accepted] == [5] and third.already_imported == [2, 3, 4]


def test_a_reopened_ledger_still_knows_the_imported_rows(open_ledger, fund_id, tmp_path):
    path = write(tmp_path, GOOD)
    open_ledger().import_rows(read_file(path), actor=ACTOR)
    again = open_ledger().import_rows(read_file(path), actor=ACTOR)
    assert again.already_imported == [2, 3, 4]


def test_jsonl_rows_must_give_amounts_as_strings(ledger, fund_id, tmp_path):
    path = tmp_path / "book.jsonl"
    rows = [
        {
            "fund": fund_id,
            "kind": "donation",
            "date": "2024-03-02",
            "income": "20.00",
            "party": "张",
            "voucher": "记-1",
        },
        {"fund": fund_id, "kind": "donation", "date": "2024-03-02", "income": 20.5, "party": "张"},
        {"fund": fund_id, "kind": "donation", "date": "2024-03-02", "incme": "1.00", "party": "张"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{oops\n", "utf-8")
    result = ledger.import_rows(read_file(path), actor=ACTOR)
    assert [line for line, *_ in result.accepted] == [1]  # JSONL has no header: line 1 is a row
    assert codes(result) == [
        (2, "import_value_not_text"),
        (3, "import_column_unknown"),
        (4, "import_row_malformed"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("book.xls", "x", "import_format_unknown"),
        ("book.csv", "", "import_file_empty"),
        ("book.csv", "基金,日期\n", "import_column_missing"),
        ("book.csv", "基金,类别,日期,金额\n", "import_column_unknown"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_code(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(errors.LedgerError) as caught:
        read_file(path)
    assert caught.value.code == code


def test_a_file_not_in_utf8_is_refused(tmp_path):
    path = tmp_path / "book.csv"
    path.write_bytes((HEADER + GOOD[0]).encode("gbk"))
    with pytest.raises(errors.LedgerError) as caught:
        read_file(path)
    assert caught.value.code == "import_file_not_utf8"


@pytest.mark.parametrize(
    ("text", "day"),
    [("2024-07-01", date(2024, 7, 1)), ("2024/7/1", date(2024, 7, 1)), ("2024年7月1日", date(2024, 7, 1))],
)
def test_paper_book_dates_are_read_in_the_usual_spellings(text, day):
    assert parse_day(text) == day


def test_the_cli_skips_invalid_rows_on_request_and_writes_them_to_a_file(
    database_url, ledger, fund_id, tmp_path
):
    path = write(
        tmp_path, [*GOOD, "4,活动经费,支出,2024-03-06,记-03-004,旅游,,10.00,,李四,王五,旅行社,travel\n"]
    )
    env = {"FUNDBOOK_DATABASE_URL": database_url}
    refused = CliRunner().invoke(cli, ["import", str(path)], env=env)
    assert refused.exit_code == 1
    assert "line 5: purpose_not_allowed" in refused.output
    assert "imported nothing" in refused.output
    skipped = CliRunner().invoke(cli, ["import", str(path), "--skip-invalid"], env=env)
    assert skipped.exit_code == 0, skipped.output
    assert "imported 3 entries; 1 rejected" in skipped.output
    with (tmp_path / "book.rejected.csv").open(encoding="utf-8-sig") as handle:
        rejected = list(csv.DictReader(handle))
    assert [(r["line"], r["code"], r["category"]) for r in rejected] == [
        ("5", "purpose_not_allowed", "travel")
    ]
    again = CliRunner().invoke(cli, ["import", str(path), "--skip-invalid"], env=env)
    assert "imported nothing: 0 entries; 1 rejected; 3 already imported" in again.output


def test_imported_entries_reach_the_views_like_any_other(database_url, ledger, fund_id, tmp_path):
    from ledger.application.bootstrap import build_views
    from ledger.config import Settings

    ledger.import_rows(read_file(write(tmp_path, GOOD)), actor=ACTOR)
    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        balance = next(b for b in queries.fund_balances(views) if b.fund_id == fund_id)
        assert (balance.income_fen, balance.expense_fen, balance.balance_fen) == (60000, 3550, 56450)
    finally:
        views.close()


def test_rows_dated_before_a_recorded_handover_are_refused_and_nothing_is_written(ledger, fund_id, tmp_path):
    """R22: the books handed over were counted and are final up to the handover day."""
    people = [ledger.register_person(actor=ACTOR, name_zh=name)["person_id"] for name in ("甲", "乙", "丙")]
    ledger.record(
        fund_id,
        "assign_custodian",
        actor=ACTOR,
        role="cashier",
        person_id=people[0],
        from_date=date(2024, 1, 1),
    )
    ledger.record(
        fund_id,
        "hand_over_custody",
        actor=ACTOR,
        role="cashier",
        to_person_id=people[1],
        supervisor_person_id=people[2],
        handed_over_on=date(2024, 3, 4),
        cash_counted_fen=0,
        bank_balance_fen=0,
        inventory_ref="移交清单",
    )
    before = ledger.recorder.max_notification_id()

    result = ledger.import_rows(read_file(write(tmp_path, GOOD)), actor=ACTOR)

    assert not result.written
    assert codes(result) == [  # the later rows' running balances then cannot match either
        (2, "entry_before_handover"),
        (3, "import_balance_mismatch"),
        (4, "import_balance_mismatch"),
    ]
    assert ledger.recorder.max_notification_id() == before


def test_the_rejected_rows_file_writes_formula_texts_as_text_when_a_rejected_row_holds_them(
    database_url, ledger, fund_id, tmp_path
):
    """ADR 0063: the rejected rows go back to a person who opens them in a spreadsheet."""
    hostile = "4,活动经费,支出,2024-03-06,记-03-004,+1+1,,10.00,,李四,王五,@SUM(A1),=1+1\n"
    path = write(tmp_path, [*GOOD, hostile])
    env = {"FUNDBOOK_DATABASE_URL": database_url}

    skipped = CliRunner().invoke(cli, ["import", str(path), "--skip-invalid"], env=env)

    assert skipped.exit_code == 0, skipped.output
    with (tmp_path / "book.rejected.csv").open(encoding="utf-8-sig") as handle:
        [rejected] = list(csv.DictReader(handle))
    assert (rejected["code"], rejected["category"]) == ("purpose_not_allowed", "'=1+1")
    assert "'+1+1" in rejected.values() and "'@SUM(A1)" in rejected.values()
    assert "10.00" in rejected.values()

"""No ``fundbook`` command ends in a traceback (issue 14): an expected failure prints one line
in Chinese and English and exits non-zero."""

from __future__ import annotations

from tests.e2e.server import free_port
from tests.e2e.traffic import run_cli


def assert_one_line(done, *expected: str) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fundbook: "), done.stderr
    for text in expected:
        assert text in lines[0]


def test_rebuild_prints_one_line_and_exits_1_when_the_database_cannot_be_reached():
    unreachable = f"postgresql://fundbook:fundbook@127.0.0.1:{free_port()}/fundbook"

    done = run_cli(unreachable, "rebuild", timeout=120)

    assert done.returncode == 1
    assert_one_line(done, "无法连接数据库", "the database cannot be reached")


def test_restore_prints_one_line_and_exits_1_when_the_backup_file_is_missing(tmp_path):
    done = run_cli(f"sqlite:///{tmp_path / 'books.db'}", "restore", str(tmp_path / "missing.backup"))

    assert done.returncode == 1
    assert_one_line(done, "文件不存在", "file not found", "missing.backup")


def test_restore_prints_one_line_and_exits_1_when_the_file_is_not_a_backup(tmp_path):
    (tmp_path / "notes.txt").write_text("not a database, just notes\n" * 100)

    done = run_cli(f"sqlite:///{tmp_path / 'books.db'}", "restore", str(tmp_path / "notes.txt"))

    assert done.returncode == 1
    assert_one_line(done, "not a fundbook backup")


def test_a_refused_command_prints_its_error_code_on_one_line_when_the_fund_is_unknown(tmp_path):
    done = run_cli(f"sqlite:///{tmp_path / 'books.db'}", "statement", "no-such-fund", "2025-01")

    assert done.returncode == 1
    assert_one_line(done, "fund_not_found")


def test_import_prints_one_line_and_exits_1_when_the_file_is_missing(tmp_path):
    done = run_cli(f"sqlite:///{tmp_path / 'books.db'}", "import", str(tmp_path / "book.csv"))

    assert done.returncode == 1
    assert_one_line(done, "文件不存在", "book.csv")

"""The journal exports sent as they are written (ADR 0185): the hledger journal and the Beancount
file of the worked example are the same bytes in chunks of any size as in one piece, through
the CLI writes the same bytes as one piece, and the JSONL the same lines as ``export_jsonl``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ledger.api.routers.audit import whole_books
from ledger.audit.log import export_jsonl
from ledger.cli import app as cli
from ledger.exports import beancount, books, hledger

RENDERERS = {"hledger": hledger, "beancount": beancount}


@pytest.fixture
def the_books(example, caught_up):
    return whole_books(example.app, caught_up)


@pytest.mark.parametrize("fmt", RENDERERS)
@pytest.mark.parametrize("chunk_lines", [1, 2, 7, 1000])
def test_journal_export_is_the_same_bytes_when_sent_in_chunks_of_any_size(
    the_books, monkeypatch, fmt, chunk_lines
):
    module = RENDERERS[fmt]
    whole = module.render(the_books).encode("utf-8")
    monkeypatch.setattr(books, "TEXT_CHUNK_LINES", chunk_lines)
    chunks = list(books.chunks(module.lines(the_books)))
    assert b"".join(chunks) == whole
    assert len(chunks) >= min(len(whole.splitlines()) // chunk_lines, 3)


def test_journal_chunks_of_no_lines_are_the_empty_text_when_there_is_nothing():
    assert b"".join(books.chunks(iter([]))) == b""
    assert b"".join(books.chunks(iter(["", ""]))) == b"\n"


@pytest.mark.parametrize("fmt", ["hledger", "beancount", "jsonl"])
def test_cli_export_writes_the_same_bytes_as_one_piece_when_written_as_it_comes(
    example, caught_up, database_url, tmp_path, fmt
):
    out = tmp_path / f"books.{fmt}"
    result = CliRunner().invoke(
        cli, ["export", fmt, "--out", str(out)], env={"FUNDBOOK_DATABASE_URL": database_url}
    )
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        with (tmp_path / "whole.jsonl").open("wb") as handle:
            export_jsonl(caught_up, handle)
        assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()
        return
    assert out.read_bytes() == RENDERERS[fmt].render(whole_books(example.app, caught_up)).encode("utf-8")

"""docs/first-week.md is run as written: every ``$`` command of its console blocks, in order, in
one bash session (a real ``fundbook`` and a real server on a free port), on the test's store;
each command must succeed and print what the doc shows under it ("…" stands for anything)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.server import free_port

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "first-week.md"
_BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def doc_commands(text: str) -> list[tuple[str, list[str]]]:
    """(command, the output lines shown under it) for every ``$`` line, continuations joined."""
    steps: list[tuple[str, list[str]]] = []
    for block in _BLOCK.findall(text):
        lines = iter(block.splitlines())
        for line in lines:
            if line.startswith("$ "):
                command = line[2:]
                while command.endswith("\\"):
                    command = command[:-1] + next(lines).strip()
                steps.append((command, []))
            elif steps:
                steps[-1][1].append(line)
    return steps


def shown(expected: str) -> re.Pattern[str]:
    return re.compile(".*?".join(re.escape(part) for part in expected.split("…")))


def script(steps: list[tuple[str, list[str]]], out: Path, port: int) -> str:
    lines = ["set -euo pipefail", "shopt -s inherit_errexit"]  # a failure inside $(…) too
    for n, (command, _) in enumerate(steps):
        command = re.sub(r"(?:(?<=:)|(?<=--port ))8000\b", str(port), command)  # :8000, --port 8000
        lines.append(f"{{ {command}\n}} > {out}/{n}.txt")
    return "\n".join(lines) + "\n"


# the doc starts on a database never opened, as a reader's does (ADR 0213)
@pytest.mark.bare_store
def test_first_week_doc_commands_each_succeed_and_print_what_the_doc_shows(database_url, tmp_path):
    steps = doc_commands(DOC.read_text(encoding="utf-8"))
    assert len(steps) > 20  # the doc's console blocks were found
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "docs").symlink_to(ROOT / "docs")
    env = {
        **os.environ,
        "FUNDBOOK_DATABASE_URL": database_url,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("FUNDBOOK_TODAY_FILE", None)
    shell = subprocess.Popen(
        ["bash", "-c", script(steps, out, free_port())],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the background server too: killed with its group below
    )
    try:
        _, stderr = shell.communicate(timeout=300)
    finally:
        os.killpg(shell.pid, signal.SIGTERM)
    ran = len(list(out.iterdir()))
    failed = steps[ran - 1][0] if shell.returncode else None
    assert shell.returncode == 0, f"failed at: {failed}\n{stderr[-3000:]}"
    for n, (command, expected) in enumerate(steps):
        printed = (out / f"{n}.txt").read_text(encoding="utf-8").splitlines()
        if expected:
            assert len(printed) == len(expected), (command, printed)
            for want, got in zip(expected, printed, strict=True):
                assert shown(want).fullmatch(got), (command, want, got)
    assert (tmp_path / "board-2025-01.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("text", ["```console\n$ echo a \\\n    b\nok\n```\n"])
def test_doc_commands_join_continuation_lines_and_keep_the_output_shown(text):
    assert doc_commands(text) == [("echo a b", ["ok"])]

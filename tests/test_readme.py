"""The README's commands work as shown: every ``$`` command of its console blocks runs, in
order, in one directory against the demo it loads, and must exit 0 and print the lines shown
under it (in that order; ``...`` stands for lines left out). The Python block runs too. The
first block's two scripts (serve, the test suite itself) are the only commands not run here:
scripts/test runs the suite, and tests/e2e serves the demo.

Every demo load has its own hash chain, so the fingerprint the README shows is replaced by the
one this demo's 2024-Q3 notice prints, in the commands and in the output alike.

The commands name a SQLite file (``--db /tmp/books.db``), as a new user would type them, so the
test runs on SQLite only."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import is_postgres

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
VENV_BIN = Path(sys.executable).parent
README_DB = "/tmp/books.db"
README_FINGERPRINT = "0f12f334aaf1c8b9"
NOT_RUN = ["scripts/serve", "scripts/test"]
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)

pytestmark = pytest.mark.skipif(
    is_postgres(), reason="the README's commands name a SQLite file; they run once, on SQLite"
)


@dataclass
class Command:
    line: str
    expected: list[str] = field(default_factory=list)


def blocks(kind: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(README.read_text(encoding="utf-8")) if lang == kind]


def console_commands() -> list[Command]:
    commands: list[Command] = []
    for body in blocks("console"):
        for line in body.splitlines():
            if line.startswith("$ "):
                commands.append(Command(line[2:]))
            elif commands:
                commands[-1].expected.append(line.rstrip())
    return commands


def shows(expected: list[str], output: str) -> str | None:
    """None when the output shows the expected lines in order (``...``: any lines between);
    else the first expected line it lacks."""
    lines = [line.rstrip() for line in output.splitlines()]
    at = 0
    for want in expected:
        if want == "...":
            continue
        try:
            at = lines.index(want, at) + 1
        except ValueError:
            return want
    return None


def _shell(line: str) -> str:
    """The README's line as this checkout runs it: its venv, the test's directory and file."""
    return line.replace(".venv/bin/", f"{VENV_BIN}/").replace(README_DB, "books.db")


def _fingerprint(cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [
            f"{VENV_BIN}/fundbook",
            "board",
            "export",
            "--fund",
            "阳光社区党员互助金",
            "--period",
            "2024-Q3",
            "--format",
            "json",
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout)["seal"]["fingerprint"]


def _follow_until_caught_up(line: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """``project --follow`` runs until Ctrl-C: wait for its first report, then send SIGINT.

    Ctrl-C reaches it as in a terminal even when this test runs in a background job, which
    starts every child with SIGINT ignored (a CI run started with ``&`` left the command
    following for good, and the test waiting on it)."""
    process = subprocess.Popen(
        ["bash", "-c", f"exec {line}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, first + rest


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_readme_first_block_holds_only_the_scripts_that_this_test_does_not_run():
    [first] = [body for body in blocks("bash") if "scripts/serve" in body]
    assert [line.split("#")[0].strip() for line in first.splitlines() if line.strip()] == NOT_RUN


def test_readme_console_commands_succeed_and_print_what_it_shows_when_run_on_the_demo(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUNDBOOK_")}
    env["FUNDBOOK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'books.db'}"
    commands = console_commands()
    assert len(commands) >= 15 and commands[0].line.startswith(".venv/bin/fundbook demo")
    fingerprint = None
    for command in commands:
        line = _shell(command.line)
        expected = command.expected
        if fingerprint is not None:
            line = line.replace(README_FINGERPRINT, fingerprint)
            expected = [want.replace(README_FINGERPRINT, fingerprint) for want in expected]
        if "--follow" in line:
            returncode, output = _follow_until_caught_up(line, tmp_path, env)
        else:
            done = subprocess.run(
                ["bash", "-c", line],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            returncode, output = done.returncode, done.stdout + done.stderr
        assert returncode == 0, f"README: $ {command.line}\nexit {returncode}\n{output}"
        missing = shows(expected, output)
        assert missing is None, f"README: $ {command.line}\nno line {missing!r} in:\n{output}"
        if fingerprint is None and "fundbook demo" in line:
            fingerprint = _fingerprint(tmp_path, env)


def test_readme_python_example_runs_when_pasted_into_python(tmp_path):
    [example] = blocks("python")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUNDBOOK_")}
    done = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fundbook.db").exists()  # the default store, in the working directory


def test_readme_output_check_refuses_a_line_the_command_no_longer_prints():
    assert shows(["a", "...", "c"], "a\nb\nc\n") is None
    assert shows(["a", "c"], "a\nb\n") == "c"
    assert shows(["b", "a"], "a\nb\n") == "a"  # in the order shown

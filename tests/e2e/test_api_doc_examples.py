"""Every ```bash block marked ``# example: NAME`` in docs/reference/api.md runs, in the page's
order, with bash and curl against a real ``fundbook serve`` on a fresh seeded store. Each must
exit 0, print every ``# expect: TEXT`` substring, and end with the ``# status: NNN`` line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.server import add_user, running_server, seed

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "api.md"
_BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Example:
    name: str
    script: str
    expects: tuple[str, ...]
    status: str | None


def doc_examples() -> list[Example]:
    examples = []
    for block in _BASH_BLOCK.findall(API_DOC.read_text(encoding="utf-8")):
        comments = [line.strip() for line in block.splitlines() if line.strip().startswith("#")]

        def tagged(tag: str, comments: list[str] = comments) -> list[str]:
            prefix = f"# {tag}:"
            return [c[len(prefix) :].strip() for c in comments if c.startswith(prefix)]

        names = tagged("example")
        if names:
            statuses = tagged("status")
            examples.append(
                Example(names[0], block, tuple(tagged("expect")), statuses[0] if statuses else None)
            )
    return examples


def test_the_api_page_has_examples_each_with_a_name_and_an_expectation():
    examples = doc_examples()
    names = [e.name for e in examples]

    assert len(examples) >= 10
    assert len(set(names)) == len(names)
    assert all(e.expects and e.status for e in examples)


@pytest.mark.skipif(shutil.which("curl") is None, reason="the examples use curl")
def test_every_example_in_the_api_reference_runs_and_answers_what_it_says(database_url):
    books = seed(database_url)
    token = add_user(database_url, books.bookkeeper_person, "bookkeeper", books.branch)
    failures = []
    with running_server(database_url) as base_url:
        env = {**os.environ, "FUNDBOOK": base_url, "TOKEN": token, "FUND": books.fund}
        for example in doc_examples():
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", example.script],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            output = done.stdout
            lines = output.rstrip("\n").splitlines()
            problems = [f"exit code {done.returncode}"] if done.returncode != 0 else []
            problems += [f"missing {text!r}" for text in example.expects if text not in output]
            if example.status is not None and (not lines or lines[-1].strip() != example.status):
                problems.append(f"status {lines[-1] if lines else None!r}, expected {example.status}")
            if problems:
                failures.append(f"{example.name}: {'; '.join(problems)}\n{output}{done.stderr}")

    assert failures == []

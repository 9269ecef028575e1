"""``fundbook init`` on an empty store, with flags and with prompts, and its refusals: a store
that is not empty, a bad answer. Either way a refusal writes nothing (issue 17)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ledger.application.bootstrap import build_ledger
from ledger.cli import app as cli
from ledger.config import Settings

PASSWORD = "zhou-secret-2025"
FLAGS = [
    "init",
    "--org-name",
    "红星街道党工委",
    "--org-kind",
    "street_committee",
    "--established-on",
    "2020-01-01",
    "--admin-name",
    "周建国",
    "--login",
    "zhou",
]


@pytest.fixture
def run(database_url):
    env = {"FUNDBOOK_DATABASE_URL": database_url, "FUNDBOOK_INIT_PASSWORD": None}

    def invoke(args, *, input=None, password=None):
        extra = {"FUNDBOOK_INIT_PASSWORD": password} if password else {}
        return CliRunner().invoke(cli, args, input=input, env={**env, **extra})

    return invoke


@pytest.fixture
def books(database_url):
    opened = []

    def open_books():
        ledger = build_ledger(Settings(database_url=database_url))
        opened.append(ledger)
        return ledger

    yield open_books
    for ledger in opened:
        ledger.close()


def token_of(output: str) -> str:
    return output.rsplit(": ", 1)[1].strip()


# the first command on a database never opened: init makes the tables too (ADR 0213)
@pytest.mark.bare_store
def test_init_creates_the_first_organisation_and_its_administrator_when_the_store_is_empty(run, books):
    result = run(FLAGS, password=PASSWORD)

    assert result.exit_code == 0, result.output
    ledger = books()
    user = ledger.authenticate(token_of(result.output))
    assert ledger.authenticate_password("zhou", PASSWORD).id == user.id
    [grant] = user.grants
    org = ledger.organisation(grant["org_id"])
    assert (grant["role"], org.kind, org.name_on(org.established_on)) == (
        "admin",
        "street_committee",
        "红星街道党工委",
    )
    assert ledger.person(user.person_id).name_zh == "周建国"


def test_init_asks_every_answer_and_the_password_twice_when_no_flag_is_given(run, books):
    secret = "lisi-password-1"
    answers = ["居委会（社区）", "和平居委会", "2021-06-01", "李四", "lisi", secret, secret]
    result = run(["init"], input="\n".join(answers) + "\n")

    assert result.exit_code == 0, result.output
    ledger = books()
    user = ledger.authenticate_password("lisi", "lisi-password-1")
    org = ledger.organisation(user.grants[0]["org_id"])
    assert (org.kind, org.tree, org.name_on(org.established_on)) == (
        "residents_committee",
        "governance",
        "和平居委会",
    )
    assert "lisi-password-1" not in result.output


def test_init_is_refused_in_one_line_and_writes_nothing_when_the_store_is_not_empty(run, books):
    ledger = books()
    ledger.register_person(actor="seed", name_zh="王小明")
    before = ledger.store_event_count()

    result = run(FLAGS, password=PASSWORD)

    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert "store_not_empty" in line and "账本已有" in line and "init sets up an empty store only" in line
    assert books().store_event_count() == before


@pytest.mark.parametrize(
    ("override", "code"),
    [
        (["--org-kind", "party_group"], "value_not_allowed"),
        (["--established-on", "2020-02-30"], "date_invalid"),
        (["--admin-name", " "], "text_required"),
    ],
)
def test_init_is_refused_and_writes_nothing_when_an_answer_is_bad(run, books, override, code):
    result = run([*FLAGS, *override], password=PASSWORD)

    assert result.exit_code == 1
    assert code in result.output
    assert books().store_event_count() == 0
    assert run(FLAGS, password=PASSWORD).exit_code == 0  # the store is still empty


def test_init_is_refused_with_password_too_short_and_writes_nothing_when_the_password_is_short(run, books):
    result = run(FLAGS, password="short")

    assert result.exit_code == 1 and "password_too_short" in result.output
    assert books().store_event_count() == 0

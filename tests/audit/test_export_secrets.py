"""The auditor's JSONL export carries no secret (ADR 0060): no password salt or scrypt hash, no
token hash; ``verify --log`` still passes on it, seals and fingerprints included, and still
names an edited, deleted or re-hashed line."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from ledger.audit.log import REDACTED, export_jsonl, verify_file
from ledger.projections import runner
from ledger.projections.store import ViewStore
from tests.audit.test_tamper import found
from tests.projections.test_views import Books, busy_history

PASSWORD = "秋天的银杏叶-2026"


@pytest.fixture
def exported(books: Books, store: ViewStore, tmp_path: Path) -> Iterator[tuple[ViewStore, Path, str]]:
    """A user with a password and a token, then the busy history (January of the aid fund closed
    after them, so its seal covers the redacted events); the log exported. Yields the store, the
    file and the token."""
    ledger = books.app
    person = ledger.register_person(actor="seed", name_zh="管理员")["person_id"]
    user = ledger.register_user(actor="seed", person_id=person)["user_id"]
    ledger.set_password(user, actor="seed", login="admin-1", password=PASSWORD)
    token, _ = ledger.issue_token(user, actor="seed")
    for part in range(3):
        busy_history(books, part)
    runner.catch_up(store)
    log = tmp_path / "log.jsonl"
    with log.open("wb") as out:
        export_jsonl(store, out)
    yield store, log, token


def _lines(log: Path) -> list[dict]:
    return [orjson.loads(line) for line in log.read_bytes().splitlines()]


def _write(log: Path, items: list[dict]) -> None:
    log.write_bytes(b"".join(orjson.dumps(item) + b"\n" for item in items))


def _secrets(store: ViewStore) -> list[str]:
    """Every salt, password hash and token hash the store holds."""
    with store.backend.read() as cur:
        cur.execute(store.backend.events_sql(), (0, 100_000))
        states = [orjson.loads(bytes(row[4])) for row in cur.fetchall()]
    return [s[k] for s in states for k in ("salt", "password_hash", "token_hash") if k in s]


def test_the_jsonl_export_carries_no_password_salt_hash_or_token_hash_when_users_have_them(exported):
    store, log, token = exported
    text = log.read_text()
    secrets = _secrets(store)

    assert len(secrets) == 3  # the salt, the scrypt hash, the token's hash: all in the store
    assert not [s for s in secrets if s in text]
    assert token not in text
    redacted = [item for item in _lines(log) if "redacted" in item]
    assert [item["topic"] for item in redacted] == ["fundbook:User.PasswordSet", "fundbook:ApiToken.Issued"]
    assert all("state_b64" not in item and item["hash"] for item in redacted)
    assert redacted[0]["state"]["login"] == "admin-1" and redacted[0]["state"]["salt"] == REDACTED


def test_verify_log_passes_on_the_redacted_export_with_its_seal_and_the_heads_fingerprint(exported):
    store, log, _ = exported

    report = verify_file(log, fingerprints=[store.chain_head().hex[:16]])

    assert report.violations == [] and report.redacted == 2 and report.seals_checked >= 1
    assert report.head.hex == store.chain_head().hex


def test_verify_log_names_an_edited_event_after_a_redacted_one_in_the_export(exported):
    _, log, _ = exported
    items = _lines(log)
    after = next(i for i, item in enumerate(items) if "redacted" in item) + 1
    items[after]["state_b64"] = base64.b64encode(base64.b64decode(items[after]["state_b64"]) + b" ").decode()
    _write(log, items)

    assert ("event_altered", items[after]["position"]) in found(verify_file(log, fingerprints=[]))


def test_verify_log_names_the_next_event_when_a_redacted_events_recorded_link_is_changed(exported):
    _, log, _ = exported
    items = _lines(log)
    index = next(i for i, item in enumerate(items) if "redacted" in item)
    items[index]["hash"] = "0" * 64
    _write(log, items)

    assert ("event_altered", items[index + 1]["position"]) in found(verify_file(log, fingerprints=[]))


def test_verify_log_names_a_missing_event_when_a_redacted_line_is_deleted(exported):
    _, log, _ = exported
    items = _lines(log)
    index = next(i for i, item in enumerate(items) if "redacted" in item)
    items.pop(index)
    _write(log, items)

    assert ("event_altered", items[index]["position"]) in found(verify_file(log, fingerprints=[]))

"""The event log as an auditor takes it away: stored events and their recorded chain, read from
the database or from a JSONL export, and the export itself.

One JSON object per line, in log order::

    {"position": 7, "originator_id": "…uuid…", "originator_version": 2,
     "topic": "fundbook:Fund.DonationReceived", "state_b64": "…", "state": {…}, "hash": "…"}

``state_b64`` is the stored state's exact bytes (the chain hashes them); ``state`` is the same
JSON decoded, for reading. ``hash`` is the chain as recorded by the ``chain`` view when the log
was exported: ``fundbook verify --log FILE`` recomputes it without a database.

No secret leaves in an export (ADR 0060): a password's salt and scrypt hash
(``User.PasswordSet``) and a token's hash (``ApiToken.Issued``) are replaced by
``"[redacted]"`` in ``state``, the line has no ``state_b64`` but ``"redacted": [fields]`` and
``state_sha256`` (of the stored bytes), and the verifier takes that event's link as recorded —
the next event's link still checks it, so the chain holds end to end. The export is the
auditor's, not a backup: ``fundbook backup`` keeps everything.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import orjson

from ledger.audit.verify import Decode, Progress, Report, Row, check_log
from ledger.projections.store import ViewStore

PAGE = 2000
REDACTED = "[redacted]"
# topic → the fields of its state that are secrets (or, for a token, needlessly close to one)
SECRET_FIELDS: dict[str, tuple[str, ...]] = {
    "fundbook:User.PasswordSet": ("salt", "password_hash"),
    "fundbook:ApiToken.Issued": ("token_hash",),
}


def stored_rows(store: ViewStore, *, through: int | None = None) -> Iterator[Row]:
    """Every stored event, in log order (up to ``through`` when given)."""
    after = 0
    while True:
        with store.backend.read() as cur:
            cur.execute(store.backend.events_sql(), (after, PAGE))
            page = cur.fetchall()
        for position, originator_id, version, topic, state in page:
            if through is not None and position > through:
                return
            oid = originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
            yield Row(int(position), oid, int(version), topic, bytes(state))
        if len(page) < PAGE:
            return
        after = page[-1][0]


def recorded_chain(store: ViewStore) -> Iterator[tuple[int, str]]:
    after = 0
    while page := store.chain_rows(after, PAGE):
        yield from page
        after = page[-1][0]


def export_jsonl(store: ViewStore, out: IO[bytes]) -> int:
    """Write the log with its recorded chain (bring the views up to date first)."""
    count = 0
    for line in jsonl_lines(store):
        out.write(line)
        count += 1
    return count


def jsonl_lines(store: ViewStore) -> Iterator[bytes]:
    """The export's lines one by one, the log read a page at a time (ADR 0185)."""
    chain = recorded_chain(store)
    recorded = next(chain, None)
    for row in stored_rows(store):
        while recorded is not None and recorded[0] < row.position:
            recorded = next(chain, None)
        line: dict[str, Any] = {
            "position": row.position,
            "originator_id": str(row.originator_id),
            "originator_version": row.version,
            "topic": row.topic,
            **_state_fields(row),
            "hash": recorded[1] if recorded is not None and recorded[0] == row.position else None,
        }
        yield orjson.dumps(line) + b"\n"


def _state_fields(row: Row) -> dict[str, Any]:
    """The state of one exported line: exact bytes and decoded, or redacted (ADR 0060)."""
    state = orjson.loads(row.state)
    secrets = [name for name in SECRET_FIELDS.get(row.topic, ()) if name in state]
    if not secrets:
        return {"state_b64": base64.b64encode(row.state).decode(), "state": state}
    return {
        "state": {**state, **dict.fromkeys(secrets, REDACTED)},
        "redacted": secrets,
        "state_sha256": hashlib.sha256(row.state).hexdigest(),
    }


def read_jsonl(path: Path) -> tuple[list[Row], list[tuple[int, str]]]:
    """The rows and the recorded chain of an exported log."""
    rows: list[Row] = []
    chain: list[tuple[int, str]] = []
    with path.open("rb") as lines:
        for text in lines:
            if not text.strip():
                continue
            item = orjson.loads(text)
            position = int(item["position"])
            redacted = "state_b64" not in item and bool(item.get("redacted"))
            state = b"" if redacted else base64.b64decode(item["state_b64"])
            rows.append(
                Row(
                    position,
                    UUID(item["originator_id"]),
                    int(item["originator_version"]),
                    item["topic"],
                    state,
                    redacted,
                )
            )
            if item.get("hash"):
                chain.append((position, item["hash"]))
    return rows, chain


def offline_decoder() -> Decode:
    """The Ledger's own event mapper, on an in-memory store: decoding needs no database."""
    from ledger.application import Ledger

    return Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper.to_domain_event


def verify_file(path: Path, *, fingerprints: list[str], progress: Progress | None = None) -> Report:
    rows, chain = read_jsonl(path)
    return check_log(rows, chain, decode=offline_decoder(), fingerprints=fingerprints, progress=progress)

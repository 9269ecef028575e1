"""Backups of the books and restoring them into an empty store (issue 14, ADR 0053).

A backup is one SQLite file that holds every stored event exactly as the store holds it (its
log position, originator, version, topic and state bytes: password and token hashes
included, so restored users can sign in), and a ``fundbook_backup`` table saying what it holds
(format, number of events, the chain head). From SQLite it is SQLite's online backup of the
whole file; from PostgreSQL, the events read in one repeatable-read transaction. Either way it
is consistent while the server writes, and it is itself a fundbook SQLite database
(``fundbook serve --db backup.db`` opens it).

A restore fills an EMPTY store only (the check and the inserts are one transaction, under the
lock every writer takes), keeps every log position (seals name them), then the caller
rebuilds the views and verifies the chain and the seals.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from ledger.audit.chain import ChainHead
from ledger.projections.store import ViewStore

FORMAT = "fundbook-backup-1"
PAGE = 5000
EVENTS_DDL = (  # the SQLite recorder's own table: a backup opens as a fundbook database
    "CREATE TABLE IF NOT EXISTS stored_events (originator_id TEXT, originator_version INTEGER, "
    "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
)


class BackupError(Exception):
    """A backup or restore refused, with a message in Chinese and English; nothing written."""


@dataclass(frozen=True)
class Backup:
    path: Path
    events: int
    head: ChainHead


def take(views: ViewStore, path: Path) -> Backup:
    """Write a consistent backup of the store to ``path`` (which must not exist yet): first
    to ``path.partial``, renamed when complete, readable by its owner only."""
    if path.exists():
        raise BackupError(f"备份文件已存在，不覆盖 the backup file exists, not overwritten: {path}")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        backend = views.backend
        if backend.name == "sqlite":
            backend.backup_to(str(partial))
        else:
            _copy_events(backend.snapshot_events(PAGE), partial)
        os.chmod(partial, 0o600)
        backup = _describe(partial, path)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return backup


def _copy_events(pages: Iterator[list[tuple]], target: Path) -> None:
    with sqlite3.connect(target) as conn:
        conn.execute(EVENTS_DDL)
        for page in pages:
            conn.executemany(
                "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?, ?)",
                [(p, _sqlite_id(o), v, t, bytes(s)) for p, o, v, t, s in page],
            )
    conn.close()


def _sqlite_id(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else UUID(originator_id).hex


def _describe(partial: Path, path: Path) -> Backup:
    """Count the events, link the chain over them, and write both into the backup."""
    with sqlite3.connect(partial) as conn:
        head, count = ChainHead(), 0
        for page in _pages(conn):
            head, _ = head.extend((p, o, v, t, s) for p, o, v, t, s in page)
            count += len(page)
        conn.execute("CREATE TABLE fundbook_backup (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.executemany(
            "INSERT INTO fundbook_backup VALUES (?, ?)",
            [
                ("format", FORMAT),
                ("events", str(count)),
                ("head_position", str(head.position)),
                ("head_hash", head.hex),
                ("taken_at", datetime.now(UTC).isoformat(timespec="seconds")),
            ],
        )
    conn.close()
    return Backup(path, count, head)


def _pages(conn: sqlite3.Connection) -> Iterator[list[tuple]]:
    after = 0
    while page := conn.execute(
        "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
        "WHERE rowid > ? ORDER BY rowid LIMIT ?",
        (after, PAGE),
    ).fetchall():
        yield page
        after = page[-1][0]


def open_backup(path: Path) -> sqlite3.Connection:
    """The backup file, read-only; ``BackupError`` if it holds no fundbook events."""
    if not path.is_file():
        raise FileNotFoundError(2, "No such file", str(path))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("SELECT 1 FROM stored_events LIMIT 1").fetchall()
    except sqlite3.DatabaseError:
        conn.close()
        raise BackupError(f"不是 fundbook 备份 not a fundbook backup: {path}") from None
    return conn


def restore(views: ViewStore, path: Path) -> Backup:
    """Copy every event of the backup into the store, keeping its log positions, in ONE
    transaction that first checks the store is empty (else ``BackupError``, nothing written).
    The views are left for the caller to rebuild."""
    source = open_backup(path)
    backend = views.backend
    postgres = backend.name != "sqlite"
    head, count = ChainHead(), 0
    try:
        with backend.write() as cur:
            backend.lock_events(cur)
            cur.execute(backend.max_event_sql())
            row = cur.fetchone()
            if row is not None and row[0]:
                raise BackupError(
                    "恢复被拒绝：目标账簿不是空的，未写入任何内容 restore refused: the store is not empty "
                    f"(it holds events up to position {row[0]}); nothing was written"
                )
            for page in _pages(source):
                head, _ = head.extend((p, o, v, t, s) for p, o, v, t, s in page)
                count += len(page)
                rows = [(p, UUID(o) if postgres else o, v, t, s) for p, o, v, t, s in page]
                cur.executemany(backend.restore_events_sql(), rows)
            backend.restored(cur)
    finally:
        source.close()
    return Backup(path, count, head)

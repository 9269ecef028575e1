"""The composition root: builds the Ledger (and later its read models) from ``Settings``.

It translates ``FUNDBOOK_DATABASE_URL`` into the ``eventsourcing`` library's environment keys,
and passes them explicitly, so the library's own environment lookups never decide the store.
With ``FUNDBOOK_READ_ONLY=1`` (a read replica, ADR 0012) nothing is created: neither the event
tables nor the views, nor the SQLite file or its folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from eventsourcing.persistence import PersistenceError

from ledger.application import Ledger, shanghai_today
from ledger.application.writer_lock import setup_lock_for
from ledger.config import Settings
from ledger.domain.login import use_weak_test_parameters
from ledger.projections import runner, schema
from ledger.projections.sqlite_backend import SQLiteBackend
from ledger.projections.store import ViewStore


class DatabaseUrlInvalid(ValueError):
    """The configured database URL is neither sqlite:/// nor postgresql://."""


class StoreNotReady(RuntimeError):
    """A read-only process found no books it can read; it may not create them (ADR 0012)."""


def eventsourcing_env(settings: Settings) -> dict[str, str]:
    url = settings.database_url
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
        if not path:
            raise DatabaseUrlInvalid(f"expected sqlite:///path/to/file.db, got {url!r}")
        if path != ":memory:" and not path.startswith("file:") and not settings.read_only:
            Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": str(settings.sqlite_lock_timeout_s),
        }
    if parsed.scheme in ("postgres", "postgresql"):
        query = parse_qs(parsed.query)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parsed.path.lstrip("/") or "fundbook",
            "POSTGRES_HOST": parsed.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parsed.port or 5432),
            "POSTGRES_USER": unquote(parsed.username or "fundbook"),
            "POSTGRES_PASSWORD": unquote(parsed.password or ""),
            "POSTGRES_SCHEMA": query.get("schema", ["public"])[0],
            "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(settings.postgres_max_overflow),
            "POSTGRES_LOCK_TIMEOUT": "10",
            # the library's recorder, except that a large batch never stalls (ADR 0211)
            "APPLICATION_RECORDER_TOPIC": "ledger.application.postgres_recorder:ChunkedPostgresRecorder",
        }
    raise DatabaseUrlInvalid(f"unsupported database URL {url!r}: use sqlite:/// or postgresql://")


def build_ledger(
    settings: Settings | None = None,
    *,
    today: Callable[[], date] = shanghai_today,
    clock: Callable[[], float] = time.monotonic,
) -> Ledger:
    """The Ledger for ``settings``; ``clock`` times its AuthCache (tests move it, ADR 0190)."""
    settings = settings or Settings()
    use_weak_test_parameters(settings.password_hashing == "weak-for-tests")
    env = eventsourcing_env(settings)
    if settings.read_only:
        env["CREATE_TABLE"] = "n"  # a hot standby refuses CREATE TABLE, even IF NOT EXISTS
    if settings.today_file and today is shanghai_today:
        today = partial(_today_from_file, settings.today_file)
    if settings.aggregate_cache_size:
        # Keep recently used aggregates in memory. Each get still reads the events saved after
        # the cached version (fast-forward: right with several processes). No deep copy (it
        # cost more than replaying): the Ledger forgets the cache whenever a unit of work does
        # not end in a save, so a command refused half-way or a lost race cannot spoil it.
        env.update(
            AGGREGATE_CACHE_MAXSIZE=str(settings.aggregate_cache_size),
            AGGREGATE_CACHE_FASTFORWARD="y",
            DEEPCOPY_FROM_AGGREGATE_CACHE="n",
        )
    setup_lock = setup_lock_for(env)
    try:
        with setup_lock:  # processes starting at once create the tables one after another
            return Ledger(env=env, today=today, auth_cache_s=settings.auth_cache_s, clock=clock)
    finally:
        setup_lock.close()


def _today_from_file(path: str) -> date:
    """The business date written in ``path`` (``FUNDBOOK_TODAY_FILE``, tests only)."""
    with open(path, encoding="utf-8") as file:
        return date.fromisoformat(file.read().strip())


def build_views(
    settings: Settings | None = None,
    *,
    create: bool = True,
    catch_up: bool = False,
    progress: runner.Progress | None = None,
) -> ViewStore:
    """The view store in the same database as the events (build the Ledger first: it creates
    the events table), ready for this version (``runner.prepare``: one process at a time
    creates or upgrades them; the others wait). ``catch_up``: a process starting to serve or
    follow also brings them to the head, one such process at a time (from far behind by a
    rebuild, reporting to ``progress``: ``runner.catch_up_at_open``). ``create=False`` opens
    it without touching the tables (for a second process of a rebuild, and always in
    read-only mode)."""
    settings = settings or Settings()
    create = create and not settings.read_only
    env = eventsourcing_env(settings)
    factory = partial(build_views, settings, create=False)
    if env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        backend = SQLiteBackend(env["SQLITE_DBNAME"], lock_timeout_s=settings.sqlite_lock_timeout_s)
        return _ready(ViewStore(backend, factory, create=False), create, catch_up, progress)
    from ledger.projections.postgres_backend import PostgresBackend  # psycopg: only when used

    url = urlparse(settings.database_url)
    conninfo = url._replace(query="").geturl().replace("postgres://", "postgresql://", 1)
    backend = PostgresBackend(
        conninfo, schema=env["POSTGRES_SCHEMA"], events_table=f"{Ledger.name.lower()}_events"
    )
    return _ready(ViewStore(backend, factory, create=False), create, catch_up, progress)


def _ready(views: ViewStore, create: bool, catch_up: bool, progress: runner.Progress | None) -> ViewStore:
    if create:
        try:
            runner.prepare(views, catch_up_first=catch_up, progress=progress)
        except BaseException:
            views.close()
            raise
    return views


def check_read_only_store(settings: Settings) -> int:
    """Open the store as a read-only process does, creating nothing, and return the views'
    position; else ``StoreNotReady`` naming what is missing."""
    assert settings.read_only, "only a read-only process checks instead of creating"
    path = eventsourcing_env(settings).get("SQLITE_DBNAME", ":memory:")
    if path != ":memory:" and not path.startswith("file:") and not Path(path).expanduser().is_file():
        raise StoreNotReady(f"no SQLite file at {path}")
    ledger = build_ledger(settings)
    try:
        ledger.recorder.max_notification_id()
    except PersistenceError as error:
        raise StoreNotReady(f"the event log cannot be read: {first_line(error)}") from None
    finally:
        ledger.close()
    views = build_views(settings)
    try:
        version = views.schema_version()
        if version != schema.SCHEMA_VERSION:
            raise StoreNotReady(
                f"the views were made by another version of fundbook (schema {version}, this one "
                f"reads {schema.SCHEMA_VERSION}): start the same version on the primary first"
            )
        return views.position()
    except views.backend.errors as error:
        raise StoreNotReady(f"the views cannot be read: {first_line(error)}") from None
    finally:
        views.close()


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]

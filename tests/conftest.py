"""Shared fixtures. The store is chosen by ``FUNDBOOK_TEST_DATABASE_URL``:

- unset or ``sqlite``: a fresh SQLite file in the test's tmp_path;
- ``postgresql://user:password@host:port/db``: a schema per test in that database: a reused
  empty copy with this version's tables (ADR 0213), or a new schema without tables for a test
  marked ``bare_store``. ``.ci/run`` runs the whole suite once for each.

Every store is the test's own, so the tests may run in pytest-xdist workers (``scripts/test``
runs both stores at once, each with ``-n``; ADR 0070).

Passwords: the suite hashes them with ``FUNDBOOK_PASSWORD_HASHING=weak-for-tests`` (scrypt
N=2**10, set here in the environment, so the ``fundbook`` processes the tests start inherit it;
ADR 0072): today's N=2**17 costs 0.6 s of CPU per hash. ``tests/test_password_upgrade.py``
hashes with today's parameters and checks them; exporting ``FUNDBOOK_PASSWORD_HASHING=owasp``
runs the whole suite with them.

Seeded stores (the API's world, the demo) are made once per test process and copied for each
test that uses one (``tests/store_templates.py``, ADR 0170): a test whose fixtures include one of
``COPIED_STORES`` gets that copy as its ``database_url``, so all its fixtures see one store.

Hypothesis: CI (``CI=true``) loads the ``ci`` profile, which keeps every property's own number
of examples but sets no deadline and no too-slow health check (a shared, loaded machine is
slow, not wrong), keeps no example database (a fresh clone has none) and prints the blob that
reproduces a failure.
"""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date

import fastapi.dependencies.models as fastapi_dependencies
import pytest
from hypothesis import HealthCheck, settings

from ledger.application import Ledger
from ledger.application.bootstrap import build_ledger, build_views
from ledger.application.demo import Demo, load_demo
from ledger.config import Settings
from tests.store_templates import EMPTY, PostgresTemplates, SqliteTemplates, StoreCopy, Template

TODAY = date(2025, 3, 10)

os.environ.setdefault("FUNDBOOK_PASSWORD_HASHING", "weak-for-tests")

settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    print_blob=True,
)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")


def backend_url() -> str:
    return os.environ.get("FUNDBOOK_TEST_DATABASE_URL", "sqlite")


def is_postgres() -> bool:
    return backend_url().startswith("postgres")


def _postgres_schema(url: str) -> Iterator[str]:
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{url}{'&' if '?' in url else '?'}schema={schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


# Fixtures yielding a ``StoreCopy`` of a seeded template; see ``database_url``.
COPIED_STORES = ("world_store", "demo_copy", "example_store")


@pytest.fixture(autouse=True)
def forget_fastapi_endpoints() -> Iterator[None]:
    """After each test, empty FastAPI's module-level caches of the endpoints it has classified
    (``fastapi.dependencies.models``: up to 4,096 callables each). An app's own closures (its
    ``/openapi.json`` route, the API docs page) are among them and keep the whole app alive:
    its routes, Ledger and views. A server builds one app and never notices; a test process
    builds hundreds, and kept them all (1.6 GB and 9 million objects after tests/api and
    tests/web, a quarter of the process's CPU spent in the garbage collector)."""
    yield
    for value in vars(fastapi_dependencies).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory) -> Iterator[SqliteTemplates | PostgresTemplates]:
    """This test process's seeded templates (tests/store_templates.py)."""
    if is_postgres():
        templates: SqliteTemplates | PostgresTemplates = PostgresTemplates(backend_url())
    else:
        templates = SqliteTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.close()


def loaded_demo(url: str) -> Demo:
    """The demo's template: ``load_demo`` (what ``fundbook demo`` runs), the views caught up."""
    ledger = build_ledger(Settings(database_url=url))
    try:
        demo = load_demo(ledger)
    finally:
        ledger.close()
    build_views(Settings(database_url=url), catch_up=True).close()
    return demo


DEMO = Template("demo", loaded_demo)


@pytest.fixture
def demo_copy(store_templates, tmp_path) -> Iterator[StoreCopy]:
    """The test's store (its ``database_url`` too): a copy of the demo; ``data`` is its ``Demo``."""
    yield from store_templates.copy(DEMO, tmp_path)


@pytest.fixture(scope="module")
def module_demo(store_templates, tmp_path_factory) -> Iterator[StoreCopy]:
    """A copy of the demo shared by one module's tests (for costly servers)."""
    yield from store_templates.copy(DEMO, tmp_path_factory.mktemp("demo"))


def wants_bare_store(request) -> bool:
    """A test marked ``bare_store``: on PostgreSQL its store is a new schema without tables."""
    return request.node.get_closest_marker("bare_store") is not None


@pytest.fixture
def database_url(request, tmp_path) -> Iterator[str]:
    """The test's own store: a fresh, empty one; or, when one of the test's fixtures is a copy
    of a seeded template (``COPIED_STORES``), that copy.

    A fresh store on PostgreSQL is a copy of ``EMPTY`` (this version's tables, no events),
    reused like the seeded copies (``tests/store_templates.py``, ADR 0213): a new schema's DDL
    (36 tables, 44 indexes) cost 0.5–1.1 s of wall per test, mostly the server's. A test whose
    subject is a store never opened (what the first start creates, a read-only process on a
    store without views) is marked ``bare_store`` and gets a new schema without tables, as
    every test did before. A test that changes its tables gets an empty copy too: its schema
    is dropped afterwards instead of reused (the fingerprint differs). On SQLite a fresh store
    is a new file: its tables cost little."""
    copied = [name for name in COPIED_STORES if name in request.fixturenames]
    if copied:
        yield request.getfixturevalue(copied[0]).url
    elif is_postgres() and wants_bare_store(request):
        yield from _postgres_schema(backend_url())
    elif is_postgres():
        for empty in request.getfixturevalue("store_templates").copy(EMPTY, tmp_path):
            yield empty.url
    else:
        yield f"sqlite:///{tmp_path / 'fundbook.db'}"


@pytest.fixture(scope="module")
def module_database_url(tmp_path_factory) -> Iterator[str]:
    """A fresh, empty store shared by one module's tests (for costly servers)."""
    if is_postgres():
        yield from _postgres_schema(backend_url())
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('module') / 'fundbook.db'}"


@pytest.fixture
def open_ledger(database_url) -> Iterator[Callable[..., Ledger]]:
    """Opens Ledgers on the test's store (several may share it), closing them afterwards."""
    opened: list[Ledger] = []

    def opener(today: date = TODAY) -> Ledger:
        ledger = build_ledger(Settings(database_url=database_url), today=lambda: today)
        opened.append(ledger)
        return ledger

    yield opener
    for ledger in opened:
        ledger.close()


@pytest.fixture
def ledger(open_ledger) -> Ledger:
    return open_ledger()


@pytest.fixture
def activity_fund_id(ledger) -> str:
    """A branch and its activity fund (purpose ``activities``, a cash box, from 2024-01-01)."""
    org = ledger.register_organisation(
        actor="bookkeeper-1", kind="branch", name_zh="第一支部", established_on=date(2010, 1, 1)
    )["org_id"]
    return ledger.establish_fund(
        actor="bookkeeper-1",
        owner_org_id=org,
        kind="activity",
        name_zh="活动经费",
        allowed_purposes=["activities"],
        custody={"kind": "cash_box", "ref": "box-1"},
        established_on=date(2024, 1, 1),
    )["fund_id"]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Move everything alive once the tests are collected (the modules, their classes and
    constants, hypothesis' strategies: most of a test process's objects) out of the garbage
    collector's reach: they live until the process ends, and each full collection would walk
    them again. Objects made by the tests themselves are collected as before."""
    gc.collect()
    gc.freeze()

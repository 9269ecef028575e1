"""A real ``fundbook serve --read-only`` (ADR 0012) over real HTTP.

On PostgreSQL a role whose every transaction is read-only (``default_transaction_read_only``)
stands in for a hot standby, which refuses every write the same way, without setting up
replication: the read-only server starts on it, answers the board and the API reads as the
writing primary does, refuses writes with ``read_only_replica``, and creates nothing. A normal
start on that role fails, which proves the role really is read-only. On any backend: a
read-only start on a missing SQLite store fails with a clear message and creates no file.
"""

from __future__ import annotations

import secrets
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.conftest import backend_url, is_postgres
from tests.e2e.server import (
    add_user,
    env_for,
    free_port,
    fundbook_command,
    running_server,
    seed,
    start_server,
)

POSITION = "X-Fundbook-Position"
REFUSED = "read-only start refused"
POSTGRES_ONLY = pytest.mark.skipif(
    not is_postgres(),
    reason="a read-only PostgreSQL role stands in for a hot standby: set "
    "FUNDBOOK_TEST_DATABASE_URL=postgresql://… (SQLite has no roles)",
)


def run_serve(
    database_url: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``fundbook serve`` expected to exit at start (a server that did start times out here)."""
    return subprocess.run(
        [*fundbook_command(), "serve", "--host", "127.0.0.1", "--port", str(free_port()), *args],
        env={**env_for(database_url), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("args", "env"), [(("--read-only",), {}), ((), {"FUNDBOOK_READ_ONLY": "1"})])
def test_read_only_start_fails_with_a_clear_message_when_the_sqlite_store_is_missing(tmp_path, args, env):
    missing = tmp_path / "books" / "fundbook.db"

    done = run_serve(f"sqlite:///{missing}", *args, env=env)

    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{REFUSED}: no SQLite file at {missing}" in done.stderr
    assert "只读模式不建表" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not missing.parent.exists()  # neither the file nor its folder was made


# --- PostgreSQL: a read-only role as the standby ------------------------------------------------
@dataclass(frozen=True)
class ReadOnlyRole:
    name: str
    schema: str
    url: str  # the test schema's URL, signed in as this role


def admin_sql(statement: str, *names: str) -> list[tuple]:
    """Run one statement as the test database's (writing) user; ``{}`` are quoted identifiers."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(backend_url(), autocommit=True) as conn:
        cursor = conn.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def read_only_role(database_url) -> Iterator[ReadOnlyRole]:
    """A login role whose transactions are all read-only, with USAGE on the test's schema (and
    SELECT once ``grant_select`` runs, after the primary made the tables)."""
    from psycopg import sql

    [(may_create_roles,)] = admin_sql(
        "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
    )
    if not may_create_roles:
        pytest.fail(
            "the test database user may not CREATE ROLE: run scripts/start-postgres (grants CREATEROLE)"
        )
    schema = parse_qs(urlparse(database_url).query)["schema"][0]
    name = f"fb_ro_{uuid.uuid4().hex[:12]}"
    password = secrets.token_hex(12)
    admin_sql(f"CREATE ROLE {{}} LOGIN PASSWORD {sql.Literal(password).as_string()}", name)
    admin_sql("ALTER ROLE {} SET default_transaction_read_only = on", name)
    admin_sql("GRANT USAGE ON SCHEMA {} TO {}", schema, name)
    parsed = urlparse(database_url)
    url = parsed._replace(netloc=f"{name}:{password}@{parsed.hostname}:{parsed.port or 5432}").geturl()
    try:
        yield ReadOnlyRole(name, schema, url)
    finally:
        admin_sql("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}", schema, name)
        admin_sql("REVOKE USAGE ON SCHEMA {} FROM {}", schema, name)
        admin_sql("DROP ROLE {}", name)


def grant_select(role: ReadOnlyRole) -> None:
    admin_sql("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}", role.schema, role.name)


def tables(schema: str) -> list[str]:
    rows = admin_sql(f"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}' ORDER BY 1")
    return [row[0] for row in rows]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def record_two_entries(primary: httpx.Client, fund: str, member: str, token: str) -> int:
    """A donation and an expense on the primary; the log position of the last."""
    donation = primary.post(
        f"/funds/{fund}/donations",
        json={
            "occurred_on": "2026-01-05",
            "amount": "1680.32",
            "donor_kind": "member",
            "donor_person_id": member,
            "doc_refs": ["收据 0001"],
        },
        headers=auth(token),
    )
    assert donation.status_code == 201, donation.text
    expense = primary.post(
        f"/funds/{fund}/expenses",
        json={
            "occurred_on": "2026-01-06",
            "amount": "500.10",
            "category": "hardship_aid",
            "payee": "王*明",
            "handled_by": "李会计",
            "approved_by": "支部书记",
            "doc_refs": ["申请表 0001"],
        },
        headers=auth(token),
    )
    assert expense.status_code == 201, expense.text
    return int(expense.headers[POSITION])


@POSTGRES_ONLY
# it starts on a store never opened: the refusal creates no table (ADR 0213)
@pytest.mark.bare_store
def test_read_only_server_on_a_read_only_role_reads_as_the_primary_and_refuses_writes(
    database_url, read_only_role
):
    empty = run_serve(read_only_role.url, "--read-only")
    assert empty.returncode == 1, empty.stdout + empty.stderr
    assert f"{REFUSED}: the event log cannot be read" in empty.stderr
    assert "Traceback" not in empty.stdout + empty.stderr
    assert tables(read_only_role.schema) == []

    books = seed(database_url)
    bookkeeper = add_user(database_url, books.bookkeeper_person, "bookkeeper", books.branch)
    auditor = add_user(database_url, books.auditor_person, "auditor", books.community)
    with (
        running_server(database_url) as primary_url,
        httpx.Client(base_url=primary_url, timeout=15.0) as primary,
    ):
        position = record_two_entries(primary, books.fund, books.member, bookkeeper)
        grant_select(read_only_role)
        made = tables(read_only_role.schema)

        normal = run_serve(read_only_role.url)
        assert normal.returncode != 0, "a normal start on the read-only role must fail"
        assert "read-only transaction" in normal.stdout + normal.stderr

        replica = start_server(read_only_role.url, args=("--read-only",))
        try:
            client = httpx.Client(base_url=replica.base_url, timeout=15.0)
            check_reads_equal(primary, client, books.fund, auditor, position)
            check_writes_refused(client, books.fund, books.member, bookkeeper)
            health = client.get("/health").json()
            client.close()
        finally:
            replica.stop()
        after = primary.get("/health").json()

    assert (health["mode"], health["position"]) == ("read_only", position)
    assert after["position"] == position  # the refused writes recorded nothing
    assert tables(read_only_role.schema) == made  # and the replica made no table


def check_reads_equal(
    primary: httpx.Client, replica: httpx.Client, fund: str, token: str, position: int
) -> None:
    at = {"min_position": position}  # a wait needs a token, even on the public board (ADR 0054)
    for url, headers in (
        ("/", auth(token)),
        (f"/board/{fund}/2026-01", auth(token)),
        (f"/board/{fund}/2026-01.csv", auth(token)),
        ("/funds/balances", auth(token)),
        (f"/funds/{fund}/journal", auth(token)),
        (f"/funds/{fund}/balance", auth(token)),
    ):
        expected = primary.get(url, params=at, headers=headers)
        answered = replica.get(url, params=at, headers=headers)
        assert expected.status_code == 200, f"{url}: {expected.text}"
        assert (answered.status_code, answered.content) == (200, expected.content), url
    balance = replica.get(f"/funds/{fund}/balance", headers=auth(token)).json()
    assert balance["balance"]["amount_fen"] == 168032 - 50010


def check_writes_refused(replica: httpx.Client, fund: str, member: str, token: str) -> None:
    body = {"occurred_on": "2026-01-07", "amount": "10.00", "donor_kind": "member", "donor_person_id": member}
    answers = [
        replica.post(f"/funds/{fund}/donations", json=body, headers=auth(token)),
        replica.post(f"/funds/{fund}/donations", content=b"{broken", headers=auth(token)),
        replica.delete(f"/funds/{fund}"),
    ]
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["code"] == "read_only_replica"
    sign_in = replica.post("/console/sign-in", data={"token": token}, follow_redirects=False)
    assert sign_in.status_code == 503 and 'data-code="read_only_replica"' in sign_in.text
    assert "set-cookie" not in sign_in.headers

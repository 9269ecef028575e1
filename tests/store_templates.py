"""Stores seeded once per test process and copied for every test that needs one (ADR 0170).

A seeded store (the API's world, the demo) is made by running commands through the Ledger, and
on PostgreSQL its schema alone is ≈70 tables, indexes and functions of DDL: most of what a test
on a seeded store used to spend was making that store, again for every test. Here a template
is made once per test process (pytest-xdist worker) and each test gets a copy of its own:

- SQLite: the template's file, checkpointed (its write-ahead log emptied into it), is copied
  into the test's ``tmp_path``.
- PostgreSQL: each test still has a schema of its own, but a schema a test has finished with is
  reused for a later test of the same process when nothing can tell it from a new copy: its
  tables, columns, defaults, indexes, constraints, functions, types and privileges are the
  template's (a fingerprint of the catalogue), no other session holds a lock on its tables or
  one of its advisory locks. Its rows are then deleted, the template's rows copied back and its
  sequences set to the template's values, in one transaction. A schema that fails a check is
  dropped, as every schema was before. A new schema gets its tables from the real code
  (``build_ledger`` and ``build_views``, as a store of this version has them), is checked
  against the template's fingerprint and filled the same way.

``EMPTY`` is the template of a store nothing has written to (ADR 0213): on PostgreSQL every
test's fresh store is a copy of it, so a test no longer pays a new schema's DDL. A schema given
back is checked again for locks when it is handed out next.

A copy is in the state the template was in when it was made: the same rows, ids, tokens and
positions, the views caught up. The data a template's ``build`` returned (ids, tokens) comes
with each copy (a deep copy: a test may change its own).
"""

from __future__ import annotations

import copy
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.application.bootstrap import build_ledger, build_views
from ledger.application.writer_lock import setup_lock_key
from ledger.config import Settings


@dataclass(frozen=True)
class StoreCopy:
    url: str
    data: Any


def schema_url(base_url: str, schema: str) -> str:
    return f"{base_url}{'&' if '?' in base_url else '?'}schema={schema}"


def make_tables(url: str) -> None:
    """The tables of a store of this version, empty: what the Ledger and the views create."""
    build_ledger(Settings(database_url=url)).close()
    build_views(Settings(database_url=url)).close()


@dataclass(frozen=True)
class Template:
    """A seeded store: ``build(url)`` fills an empty store and returns what tests need to know
    about it (ids, tokens), closing what it opened. It makes the Ledger's and the views' tables
    (``make_tables``: a new PostgreSQL copy gets its tables so, and must match)."""

    name: str
    build: Callable[[str], Any]


# A store some code has opened and nothing has written to: this version's tables, no events,
# the views at position 0. Each test's fresh store on PostgreSQL is a copy of it (ADR 0213).
EMPTY = Template("empty", make_tables)


class SqliteTemplates:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._made: dict[str, tuple[Path, Any]] = {}

    def copy(self, template: Template, tmp_path: Path) -> Iterator[StoreCopy]:
        source, data = self._template(template)
        target = tmp_path / "fundbook.db"
        assert not target.exists(), f"{target} is already a store"
        shutil.copyfile(source, target)
        yield StoreCopy(f"sqlite:///{target}", copy.deepcopy(data))

    def _template(self, template: Template) -> tuple[Path, Any]:
        if template.name not in self._made:
            path = self.workdir / f"{template.name}.db"
            data = template.build(f"sqlite:///{path}")
            connection = sqlite3.connect(path)
            try:  # every page in the file itself, so copying the file copies the store
                busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                connection.close()
            wal = path.with_name(path.name + "-wal")
            assert busy == 0 and (not wal.exists() or wal.stat().st_size == 0), "template still open"
            self._made[template.name] = (path, data)
        return self._made[template.name]

    def close(self) -> None:
        self._made.clear()


# One line per catalogue fact of a schema; the schema's own name is replaced by '@' so two
# schemas made alike give the same lines.
FINGERPRINT_SQL = """
WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = %(schema)s),
lines AS (
  SELECT concat_ws(' ', 'schema', pg_get_userbyid(n.nspowner), n.nspacl) AS line
    FROM pg_namespace n JOIN ns ON n.oid = ns.oid
  UNION ALL
  SELECT concat_ws(' ', 'rel', c.relname, c.relkind, c.relpersistence, c.relrowsecurity,
                   pg_get_userbyid(c.relowner), c.relacl, c.reloptions)
    FROM pg_class c JOIN ns ON c.relnamespace = ns.oid
  UNION ALL
  SELECT concat_ws(' ', 'column', c.relname, a.attname, a.attnum,
                   format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                   a.attgenerated, pg_get_expr(d.adbin, d.adrelid), a.attacl)
    FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid JOIN ns ON c.relnamespace = ns.oid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT concat_ws(' ', 'index', pg_get_indexdef(i.indexrelid))
    FROM pg_index i JOIN pg_class c ON i.indrelid = c.oid JOIN ns ON c.relnamespace = ns.oid
  UNION ALL
  SELECT concat_ws(' ', 'constraint', co.conname, pg_get_constraintdef(co.oid))
    FROM pg_constraint co JOIN ns ON co.connamespace = ns.oid
  UNION ALL
  SELECT concat_ws(' ', 'trigger', pg_get_triggerdef(t.oid))
    FROM pg_trigger t JOIN pg_class c ON t.tgrelid = c.oid JOIN ns ON c.relnamespace = ns.oid
  UNION ALL
  SELECT concat_ws(' ', 'rule', r.rulename, pg_get_ruledef(r.oid))
    FROM pg_rewrite r JOIN pg_class c ON r.ev_class = c.oid JOIN ns ON c.relnamespace = ns.oid
  UNION ALL
  SELECT concat_ws(' ', 'policy', p.polname, pg_get_expr(p.polqual, p.polrelid))
    FROM pg_policy p JOIN pg_class c ON p.polrelid = c.oid JOIN ns ON c.relnamespace = ns.oid
  UNION ALL
  SELECT concat_ws(' ', 'function', pg_get_functiondef(p.oid), p.proacl)
    FROM pg_proc p JOIN ns ON p.pronamespace = ns.oid
  UNION ALL
  SELECT concat_ws(' ', 'type', t.typname, t.typtype, t.typacl)
    FROM pg_type t JOIN ns ON t.typnamespace = ns.oid
  UNION ALL
  SELECT concat_ws(' ', 'default acl', da.defaclacl)
    FROM pg_default_acl da JOIN ns ON da.defaclnamespace = ns.oid
)
SELECT coalesce(string_agg(replace(line, (SELECT nspname FROM ns), '@'), E'\\n' ORDER BY line), '')
  FROM lines
"""

# Another session still using a schema a test finished with: a lock on one of its tables, or
# one of the advisory locks keyed by it: the writer's and the set-up's (writer_lock.py), a
# rebuild's (the views' ``exclusive``) and a views follower's (ADR 0193).
ADVISORY_LOCK_NAMES = ("writer", "setup", "rebuild", "follower")
LOCKS_HELD_SQL = """
SELECT count(*) FROM pg_locks l
 WHERE l.pid <> pg_backend_pid()
   AND ((l.locktype = 'relation' AND l.relation IN
          (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON c.relnamespace = n.oid
            WHERE n.nspname = %(schema)s))
     OR (l.locktype = 'advisory' AND l.objid::int IN
          (SELECT hashtext(key) FROM unnest(%(keys)s::text[]) AS key)))
"""


@dataclass
class _PgTemplate:
    schema: str
    data: Any
    fingerprint: str
    fill_sql: str  # rows and sequences of a schema named {target} set to the template's
    free: list[str] = field(default_factory=list)  # schemas holding exactly the template


class PostgresTemplates:
    def __init__(self, base_url: str) -> None:
        import psycopg

        self.base_url = base_url
        self._conn = psycopg.connect(base_url, autocommit=True)
        self._made: dict[str, _PgTemplate] = {}
        self._schemas: list[str] = []  # every schema made here, dropped at the end

    def copy(self, template: Template, tmp_path: Path) -> Iterator[StoreCopy]:
        made = self._template(template)
        schema = self._free_copy(made) or self._new_copy(made)
        reusable = False
        try:
            yield StoreCopy(schema_url(self.base_url, schema), copy.deepcopy(made.data))
            reusable = self._unused(schema) and self._fingerprint(schema) == made.fingerprint
        finally:
            if reusable:
                self._fill(made, schema)
                made.free.append(schema)
            else:
                self._drop(schema)

    def _template(self, template: Template) -> _PgTemplate:
        if template.name not in self._made:
            schema = self._create_schema("tpl")
            data = template.build(schema_url(self.base_url, schema))
            self._made[template.name] = _PgTemplate(
                schema, data, self._fingerprint(schema), self._fill_sql(schema)
            )
        return self._made[template.name]

    def _free_copy(self, made: _PgTemplate) -> str | None:
        """A schema given back and refilled, if one is still free: checked again now, since a
        session of an earlier test (a follower, a server's worker) may have taken a lock on it
        after it was given back."""
        while made.free:
            schema = made.free.pop()
            if self._unused(schema):
                return schema
            self._drop(schema)
        return None

    def _new_copy(self, made: _PgTemplate) -> str:
        schema = self._create_schema("t")
        make_tables(schema_url(self.base_url, schema))
        assert self._fingerprint(schema) == made.fingerprint, "a template holds more than its tables"
        self._fill(made, schema)
        return schema

    def _fill_sql(self, template_schema: str) -> str:
        def names(kind: str) -> list[str]:
            rows = self._conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON c.relnamespace = n.oid "
                "WHERE n.nspname = %s AND c.relkind = %s ORDER BY 1",
                (template_schema, kind),
            )
            return [row[0] for row in rows]

        source = template_schema
        tables, sequences = names("r"), names("S")
        # a template is never handed out, so its empty tables stay empty: nothing to copy back
        filled = [t for t in tables if self._conn.execute(f'SELECT 1 FROM "{source}"."{t}" LIMIT 1').rowcount]
        statements = [f'DELETE FROM "{{target}}"."{table}"' for table in tables]
        statements += [
            f'INSERT INTO "{{target}}"."{table}" SELECT * FROM "{source}"."{table}"' for table in filled
        ]
        statements += [
            f'SELECT setval(\'"{{target}}"."{sequence}"\', last_value, is_called) '
            f'FROM "{source}"."{sequence}"'
            for sequence in sequences
        ]
        return ";\n".join(statements)

    def _fill(self, made: _PgTemplate, schema: str) -> None:
        with self._conn.transaction():
            self._conn.execute(made.fill_sql.replace("{target}", schema))

    def _fingerprint(self, schema: str) -> str:
        return self._conn.execute(FINGERPRINT_SQL, {"schema": schema}).fetchone()[0]

    def _unused(self, schema: str) -> bool:
        keys = [f"fundbook-{name}:{schema}" for name in ADVISORY_LOCK_NAMES]
        assert setup_lock_key(schema) in keys, "the set-up lock's key changed: name it here"
        return self._conn.execute(LOCKS_HELD_SQL, {"schema": schema, "keys": keys}).fetchone()[0] == 0

    def _create_schema(self, prefix: str) -> str:
        schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
        self._conn.execute(f'CREATE SCHEMA "{schema}"')
        self._schemas.append(schema)
        return schema

    def _drop(self, schema: str) -> None:
        self._conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        self._schemas.remove(schema)
        for made in self._made.values():
            if schema in made.free:
                made.free.remove(schema)

    def close(self) -> None:
        for schema in list(self._schemas):
            self._drop(schema)
        self._made.clear()
        self._conn.close()

"""What a ``fundbook`` process imports when it starts (ADR 0216): a command on SQLite and a
server worker on SQLite leave PostgreSQL's driver, the audit machinery, the spreadsheet and PDF
writers and the pinyin dictionaries unloaded until a command or a request needs them.

Each check runs a real process (a fresh interpreter: the test process itself has imported
everything) and reads its ``sys.modules`` at exit; nothing is timed (the CPU each start saves is
in docs/benchmarks.md, "Process starts")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Imported by a process only when it needs them: a PostgreSQL store, an auditor's command, a
# file rendered, a name searched.
POSTGRES = ("psycopg", "psycopg_pool", "eventsourcing.postgres")
AUDIT = ("ledger.audit.fresh_fold", "ledger.audit.log", "ledger.projections.reference")
WRITERS = ("openpyxl", "PIL", "weasyprint", "pypinyin")
SERVER = ("fastapi", "starlette", "uvicorn", "jinja2", "ledger.api", "ledger.web")

# Runs ``fundbook ARGS…`` as the console script does (``ledger.cli.main``), then writes the
# names of the modules it imported, as JSON, to the file named first.
COMMAND = """
import atexit, json, sys
out, sys.argv = sys.argv[1], ["fundbook", *sys.argv[2:]]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
from ledger.cli import main
main()
"""

# A server worker: the CLI module (a uvicorn worker process imports the ``fundbook`` script
# first) and the app built on the store of FUNDBOOK_DATABASE_URL.
WORKER = """
import json, sys
import ledger.cli
from ledger.api import create_app
create_app()
open(sys.argv[1], "w").write(json.dumps(sorted(sys.modules)))
"""


def loaded(code: str, tmp_path: Path, *args: str, database_url: str | None = None) -> list[str]:
    out = tmp_path / "modules.json"
    env = {**os.environ, "FUNDBOOK_DATABASE_URL": database_url} if database_url else None
    done = subprocess.run(
        [sys.executable, "-c", code, str(out), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


def among(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of ``packages`` (each a package or a module and its submodules)."""
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)]


def test_a_command_imports_no_postgres_audit_writer_or_server_module_when_it_runs_on_sqlite(tmp_path):
    modules = loaded(COMMAND, tmp_path, "balances", "--db", str(tmp_path / "books.db"))
    assert "ledger.cli.commands" in modules and "ledger.application.ledger" in modules
    assert among(modules, POSTGRES + AUDIT + WRITERS + SERVER) == []


def test_the_help_imports_no_postgres_audit_writer_or_server_module_when_it_is_shown(tmp_path):
    modules = loaded(COMMAND, tmp_path, "--help")
    assert among(modules, POSTGRES + AUDIT + WRITERS + SERVER) == []


def test_verify_imports_the_audit_machinery_but_not_postgres_when_it_runs_on_sqlite(tmp_path):
    modules = loaded(COMMAND, tmp_path, "verify", "--db", str(tmp_path / "books.db"))
    assert "ledger.audit.fresh_fold" in modules  # the lazy import is where the command needs it
    assert among(modules, POSTGRES + WRITERS + SERVER) == []


def test_a_server_worker_imports_no_postgres_spreadsheet_pdf_or_pinyin_module_when_built_on_sqlite(
    tmp_path,
):
    modules = loaded(WORKER, tmp_path, database_url=f"sqlite:///{tmp_path / 'books.db'}")
    assert "ledger.web.console.people_picker" in modules and "ledger.exports.formats" in modules
    assert among(modules, POSTGRES + WRITERS) == []

"""What the ``fundbook`` command prints when a command fails as expected: one line, in Chinese
and English, and a non-zero exit code, never a traceback (issue 14).

Expected failures are a refused command (``LedgerError``, with its code), a database that
cannot be reached, is locked or refuses the statement, a file that cannot be read or written,
and the few infrastructure errors fundbook raises itself. Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import sqlite3

from eventsourcing.persistence import PersistenceError

from ledger.application.backup import BackupError
from ledger.application.bootstrap import DatabaseUrlInvalid, StoreNotReady, first_line
from ledger.domain.errors import LedgerError
from ledger.projections.runner import SwapNotDone

EXIT_REFUSED = 1  # the command was refused or failed; nothing was written by it
EXIT_USAGE = 2  # the configuration is wrong (as click's usage errors)


def explain(error: BaseException) -> tuple[str, int] | None:
    """The one line to print and the exit code for an expected failure; None for a bug."""
    if isinstance(error, LedgerError):
        return f"{error.code}: {error.message}", EXIT_REFUSED
    if isinstance(error, DatabaseUrlInvalid):
        return f"数据库地址无效 invalid database URL: {first_line(error)}", EXIT_USAGE
    if isinstance(error, StoreNotReady):
        return f"账簿未就绪 the books are not ready: {first_line(error)}", EXIT_REFUSED
    if isinstance(error, BackupError):
        return str(error), EXIT_REFUSED
    if isinstance(error, SwapNotDone):
        return (
            f"视图未能替换，请稍后重试 the rebuilt views were not swapped in, try again: {error}",
            EXIT_REFUSED,
        )
    if isinstance(error, FileNotFoundError):
        return f"文件不存在 file not found: {error.filename}", EXIT_REFUSED
    if isinstance(error, (PermissionError, IsADirectoryError, NotADirectoryError)):
        return f"无法读写文件 cannot read or write {error.filename}: {error.strerror}", EXIT_REFUSED
    database = _database_error(error)
    if database is not None:
        return database, EXIT_REFUSED
    return None


def _database_error(error: BaseException) -> str | None:
    text = first_line(error)
    if isinstance(error, sqlite3.OperationalError) or (
        isinstance(error, PersistenceError) and "locked" in text
    ):
        if "locked" in text or "busy" in text:
            return f"数据库被其他进程占用，请稍后重试 the database is locked by another process: {text}"
        return f"无法打开数据库 the database cannot be opened: {text}"
    if _is_postgres_connection_error(error):
        return f"无法连接数据库 the database cannot be reached: {text}"
    if isinstance(error, (PersistenceError, sqlite3.Error)) or _is_postgres_error(error):
        return f"数据库拒绝了操作 the database refused the operation: {text}"
    return None


def _is_postgres_connection_error(error: BaseException) -> bool:
    try:
        import psycopg
        from psycopg_pool import PoolTimeout
    except ImportError:  # SQLite-only installations
        return False
    return isinstance(error, (psycopg.OperationalError, PoolTimeout)) or (
        isinstance(error, PersistenceError) and isinstance(error.__cause__, psycopg.OperationalError)
    )


def _is_postgres_error(error: BaseException) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    return isinstance(error, psycopg.Error)

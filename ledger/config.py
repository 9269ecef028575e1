"""Settings from the environment (``FUNDBOOK_*``). With ``bootstrap.py``, the only place that
reads it.

``FUNDBOOK_DATABASE_URL``: ``sqlite:///./fundbook.db`` (the embedded default, a single file in
WAL mode) or ``postgresql://user:password@host:5432/dbname[?schema=name]`` for several processes.
``FUNDBOOK_FOLLOW_VIEWS``: ``1`` (default) or ``0`` when a separate projection worker runs.
``FUNDBOOK_READ_ONLY``: ``1`` on a read replica (a PostgreSQL hot standby): create no table, follow
no view, refuse every request but GET and HEAD with ``read_only_replica`` (ADR 0012).

``FUNDBOOK_TRUSTED_PROXIES``: the reverse proxies whose forwarded headers are believed (default
none; docs/security.md).
``FUNDBOOK_PUBLIC_BASE_URL``: the address residents reach the board at (``https://…``, no trailing
path needed); the QR code of every sealed notice holds ``{it}/check/{fingerprint}/{period}``.

``FUNDBOOK_TODAY_FILE`` (tests only, ADR 0030): a file holding an ISO date; when set, the
Ledger's business date is read from it at every command, so an end-to-end test can move a real
server's date across an aid case's notice window. Never set it in production: the business
date is then today in Asia/Shanghai.

``FUNDBOOK_PASSWORD_HASHING`` (tests only, ADR 0072): ``owasp`` (the default: scrypt N=2**17,
ADR 0062) or ``weak-for-tests`` (N=2**10, so the test suite does not spend most of a second of
CPU on every password it sets). ``weak-for-tests`` is refused, like any invalid setting, by every
process that is not part of a pytest run (pytest puts ``PYTEST_CURRENT_TEST`` in the
environment of each test and of the processes it starts): ``fundbook serve`` and every other
command then stop before they open the store.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./fundbook.db"
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FUNDBOOK_", extra="ignore")

    database_url: str = Field(default=DEFAULT_DATABASE_URL)
    sqlite_lock_timeout_s: int = Field(default=10, ge=1, le=600)
    postgres_pool_size: int = Field(default=5, ge=1, le=100)
    # Connections the event store may open beyond the pool under load (docs/deploy.md,
    # "Connections"); 10 is the library's own default.
    postgres_max_overflow: int = Field(default=10, ge=0, le=100)
    # FUNDBOOK_FOLLOW_VIEWS=0: API processes leave the views to a separate ``fundbook project
    # --follow`` worker (read-your-writes then waits for that worker).
    follow_views: bool = Field(default=True)
    # Aggregates kept in memory per process (0: load every aggregate from the store each time).
    aggregate_cache_size: int = Field(default=1000, ge=0, le=1_000_000)
    # Seconds a process keeps a token's record, its user and an organisation's ancestors once
    # read (0: none). Changes saved by this process count at once; by another process (another
    # worker, the CLI) within this many seconds (ADR 0190).
    auth_cache_s: float = Field(default=2.0, ge=0, le=60)
    today_file: str | None = Field(default=None)
    # FUNDBOOK_READ_ONLY=1 (``fundbook serve --read-only``): the store is a standby's; see above.
    read_only: bool = Field(default=False)
    # FUNDBOOK_TRUSTED_PROXIES: comma-separated addresses of the reverse proxies whose
    # X-Forwarded-For / X-Forwarded-Proto ``fundbook serve`` believes; empty (the default): none,
    # so the client address is the connection's (the sign-in limits count per address).
    trusted_proxies: str = Field(default="", max_length=2000)
    # FUNDBOOK_PUBLIC_BASE_URL: where residents reach this server (https://gongshi.example.cn):
    # a notice's QR code holds {public_base_url}/check/{fingerprint}/{period}.
    public_base_url: str = Field(default=DEFAULT_PUBLIC_BASE_URL, pattern=r"^https?://[^\s]+$")
    # Bounded memory and work on the noticeboard (ADR 0054, docs/deploy.md "Memory and caches"):
    # files of sealed statements kept, in MiB and in entries; PDFs rendered at once, waiting, and
    # how long one waits for its turn before ``board_busy``.
    board_cache_mib: int = Field(default=32, ge=0, le=4096)
    board_cache_entries: int = Field(default=512, ge=0, le=100_000)
    pdf_renders_max: int = Field(default=1, ge=1, le=16)
    pdf_queue_max: int = Field(default=4, ge=0, le=100)
    pdf_wait_s: float = Field(default=15.0, gt=0, le=300)
    # FUNDBOOK_PDF_PROCESS: render PDFs in child processes (off: in the server, on its render
    # thread), each child replaced after FUNDBOOK_PDF_RENDERS_PER_PROCESS renders.
    pdf_process: bool = Field(default=True)
    pdf_renders_per_process: int = Field(default=10, ge=1, le=100_000)
    # glibc malloc (ledger/application/memory_tuning.py): arenas at most, and the size from which blocks are
    # mapped and given back when freed; 0 keeps glibc's default.
    malloc_arena_max: int = Field(default=2, ge=0, le=64)
    malloc_mmap_threshold_kib: int = Field(default=128, ge=0, le=32768)
    # SQLite's soft heap limit for a serving process, in MiB (0: none): its page caches share it.
    sqlite_heap_mib: int = Field(default=32, ge=0, le=65536)
    # FUNDBOOK_MALLOC_TRIM_S: seconds between two hand-backs of glibc's free pages to the system
    # (ledger/application/heap_trim.py, ADR 0219); 0: never.
    malloc_trim_s: float = Field(default=60.0, ge=0, le=86400)
    # FUNDBOOK_TRACEMALLOC: frames of tracemalloc for /health/process's lines of code (a
    # benchmark's diagnostic, ADR 0219; 0, the default: off).
    tracemalloc: int = Field(default=0, ge=0, le=64)
    # FUNDBOOK_PASSWORD_HASHING: see above; never ``weak-for-tests`` outside the test suite.
    password_hashing: Literal["owasp", "weak-for-tests"] = Field(default="owasp")

    @field_validator("password_hashing")
    @classmethod
    def _weak_hashing_only_in_tests(cls, value: str) -> str:
        if value == "weak-for-tests" and not os.environ.get("PYTEST_CURRENT_TEST"):
            raise ValueError(
                "FUNDBOOK_PASSWORD_HASHING=weak-for-tests is for the test suite only (ADR 0072); "
                "unset it to hash passwords with scrypt N=2**17"
            )
        return value

"""The HTTP API: ``create_app(settings)`` builds the FastAPI application.

One router per resource, joined here; errors mapped in ``errors``; the signed-in user, the
Ledger and the views come from ``deps``. The views follow the event log in a background
thread of the serving process, woken after each write. In read-only mode (a read replica, ADR
0012) nothing follows and ``read_only.ReadOnlyGuard`` refuses every request but GET and HEAD.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute

from ledger.api import docs_pages, errors, process_status, stack_dumps
from ledger.api.alloc_trace import AllocTrace
from ledger.api.no_store import NoStore
from ledger.api.process_status import Tally
from ledger.api.read_only import ReadOnlyGuard
from ledger.api.routers import (
    aid_cases,
    aid_roll,
    assets,
    audit,
    collections,
    dues,
    entries,
    funds,
    organisations,
    people,
    reads,
    stipends,
    users,
)
from ledger.api.security_headers import SecurityHeaders
from ledger.api.snapshots import ReadSnapshots
from ledger.application import Ledger, memory_tuning
from ledger.application.bootstrap import build_ledger, build_views, eventsourcing_env
from ledger.application.heap_trim import HeapTrim
from ledger.application.writer_lock import follower_lock_for
from ledger.config import Settings
from ledger.projections import queries, runner


def _operation_id(route: APIRoute) -> str:
    return route.name


def health(request: Request) -> dict:
    """The store, the mode (``read_only`` on a replica), the views' position (the lowest of
    any view) and how far each view lags behind the event log."""
    # A module-level function that reads its app from the request: FastAPI keeps every endpoint
    # it has seen in caches of 4,096 callables, so an endpoint defined inside create_app() would
    # keep its whole app (Ledger, views, routes) alive after the app is gone.
    state = request.app.state
    follower = state.follower
    views = queries.view_status(state.views)
    return {
        "status": "ok" if follower.error is None else "degraded",
        "store": state.views.backend.name,
        "mode": "read_only" if state.read_only else "read_write",
        "position": min(view["position"] for view in views.values()),
        "views": views,
        "follower_error": None if follower.error is None else type(follower.error).__name__,
    }


def create_app(settings: Settings | None = None, *, ledger: Ledger | None = None) -> FastAPI:
    settings = settings or Settings()
    memory_tuning.tune(  # before the request threads start (ADR 0054)
        arena_max=settings.malloc_arena_max, mmap_threshold_kib=settings.malloc_mmap_threshold_kib
    )
    memory_tuning.limit_sqlite_heap(settings.sqlite_heap_mib)
    stack_dumps.install()  # kill -USR1 <worker pid>: every thread's stack to the log
    alloc_trace = AllocTrace(settings.tracemalloc)
    alloc_trace.start()  # FUNDBOOK_TRACEMALLOC: a benchmark's diagnostic, off by default

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.ledger = ledger or build_ledger(settings)
        following = settings.follow_views and not settings.read_only
        app.state.views = build_views(settings, catch_up=following)
        follower_lock = follower_lock_for(eventsourcing_env(settings))
        app.state.follower = runner.Follower(app.state.views, lock=follower_lock)
        if following:
            app.state.follower.start()
        app.state.heap_trim.start()
        yield
        app.state.heap_trim.stop()
        app.state.board_files.close()  # the PDF render processes, joined
        app.state.follower.stop()
        follower_lock.close()
        app.state.views.close()
        if ledger is None:
            app.state.ledger.close()

    app = FastAPI(
        title="fundbook",
        version="0.1.0",
        description="Ledgers of community Party mutual-aid funds and activity money (党员互助金). "
        'Amounts are decimal strings in yuan ("1680.32") with integer `amount_fen`.',
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        docs_url=None,  # served from the app's own copy of Swagger UI: docs_pages
        redoc_url=None,
    )
    errors.install(app)
    app.add_middleware(ReadSnapshots)  # one read snapshot of the views per request (ADR 0050)
    docs_pages.install(app)
    for module in (organisations, people, funds, entries, reads, users, audit):
        app.include_router(module.router)
    app.include_router(entries.transfers)
    app.include_router(aid_cases.router)
    app.include_router(aid_cases.voucher_objections)
    app.include_router(stipends.router)
    app.include_router(collections.router)
    app.include_router(aid_roll.router)
    app.include_router(assets.router)
    app.include_router(dues.router)

    from ledger import web  # the public noticeboard at / (imported here: web uses api.deps)
    from ledger.web import check, console, error_page  # QR codes' check page; console; refused pages
    from ledger.web.assets_board import router as assets_board  # before web.router's /board/{a}/{b}
    from ledger.web.board_files import BoardFiles
    from ledger.web.console.signin_limits import SignInLimits
    from ledger.web.members_board import router as members_board  # the same, for /board/members/…

    app.include_router(assets_board)
    app.include_router(members_board)
    app.include_router(web.router)
    app.include_router(check.router)
    app.include_router(console.router)
    app.include_router(process_status.router)
    app.state.alloc_trace = alloc_trace
    app.state.heap_trim = HeapTrim(settings.malloc_trim_s)  # glibc's free pages, handed back
    app.state.tally = Tally()  # counts of heavy work (the views waited for), /health/process
    app.state.board_files = BoardFiles(settings)  # sealed statements' files, PDF render slots
    app.state.signin_limits = SignInLimits()  # failed console sign-ins, in this process's memory
    app.state.read_only = settings.read_only
    app.state.public_base_url = settings.public_base_url.rstrip("/")
    app.state.error_page = error_page.for_request  # a browser's refused public page: a page
    if settings.read_only:
        app.add_middleware(ReadOnlyGuard, page=console.refusal_page, page_prefix=console.PREFIX)
    app.add_middleware(SecurityHeaders)  # every answer, refusals and errors included
    app.add_middleware(NoStore, private_prefix=console.PREFIX)  # outermost: its refusals too

    app.add_api_route("/health", health, methods=["GET"], tags=["health"])

    return app

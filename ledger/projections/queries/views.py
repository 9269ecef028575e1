"""What every query shares: one read snapshot of the views per query (ADR 0050), the bound on a
page, and each view's position and lag behind the log.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from ledger.domain import errors
from ledger.projections.schema import VIEW_NAMES
from ledger.projections.store import ViewStore

PAGE_SIZE_MAX = 500
P = ParamSpec("P")
R = TypeVar("R")


def one_snapshot(query: Callable[Concatenate[ViewStore, P], R]) -> Callable[Concatenate[ViewStore, P], R]:
    """Run a query of several statements in one read snapshot of the views (ADR 0050), so that
    its figures belong to one log position; inside a caller's snapshot, in that one."""

    @functools.wraps(query)
    def consistent(store: ViewStore, *args: P.args, **kwargs: P.kwargs) -> R:
        with store.snapshot() as snapshot:
            return query(snapshot, *args, **kwargs)

    return consistent


def check_page(page: int, page_size: int) -> None:
    """A page is 1, 2, … and holds 1 to ``PAGE_SIZE_MAX`` rows."""
    if page < 1:
        raise errors.ValueNotAllowed(field="page", value=str(page), allowed="1, 2, …")
    if not 1 <= page_size <= PAGE_SIZE_MAX:
        raise errors.ValueNotAllowed(field="page_size", value=str(page_size), allowed=f"1..{PAGE_SIZE_MAX}")


@one_snapshot
def view_status(store: ViewStore) -> dict[str, dict[str, int]]:
    """Each view's position and how many events it lags behind the log."""
    head = store.max_event_position()
    positions = store.positions()
    return {view: {"position": positions[view], "lag": head - positions[view]} for view in VIEW_NAMES}

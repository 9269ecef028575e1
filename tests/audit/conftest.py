"""The audit tests share the read-model tests' small street (two communities, three funds) and
its varied three-part history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ledger.application import Ledger
from ledger.projections import runner
from ledger.projections.store import ViewStore
from tests.projections import test_views
from tests.projections.test_views import Books, busy_history

app, books, store = test_views.app, test_views.books, test_views.store  # the fixtures, reused


@pytest.fixture
def audited(books: Books, store: ViewStore) -> Iterator[tuple[Books, ViewStore]]:
    """The busy history (with January of the aid fund closed, so sealed), views caught up."""
    for part in range(3):
        busy_history(books, part)
    runner.catch_up(store)
    yield books, store


ACTOR_CLOSE = "bookkeeper-1"


def decoder(ledger: Ledger):
    return ledger.mapper.to_domain_event

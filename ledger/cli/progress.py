"""A progress bar on standard error that appears only if long work reports progress: opening
the books catches up in silence, unless the views are far behind and a rebuild runs
(``runner.catch_up_at_open``). Standard output stays the command's own (``--json`` and pipes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import typer

from ledger.projections.runner import Progress

LABEL = "catching up the views 视图追赶"


@contextmanager
def progress_if_long(label: str = LABEL) -> Iterator[Progress]:
    """A ``Progress`` callback; the bar is drawn from its first call, and closed on exit."""
    with ExitStack() as stack:
        bars: list = []
        done = [0]

        def progress(n: int, total: int) -> None:
            if not bars:
                bar = typer.progressbar(
                    length=max(total, 1), label=label, file=typer.get_text_stream("stderr")
                )
                bars.append(stack.enter_context(bar))
            bars[0].update(n - done[0])
            done[0] = n

        yield progress

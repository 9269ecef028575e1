"""The noticeboard's statement files, rendered with bounded work and bounded memory (ADR 0054).

- A sealed statement (every month of the period closed, the seal recorded) never changes its
  figures, so each of its files is rendered once and kept in a ``BoundedCache`` (bytes and
  entries). The key is a digest of the whole statement model as shown, not only the seal: a
  name or a consent to public notice that changes after the close changes the page, and must not
  be served stale. Building the model is a few queries; the render (a PDF: seconds of CPU) is
  what the cache saves.
- A provisional statement (an open period) is rendered fresh on every request.
- PDFs, the costly format, render in ``RenderSlots``: on their own thread(s), a few more
  waiting a bounded time, any further request refused at once with 503 ``board_busy``, so
  anonymous visitors cannot pile renders up and take every thread of the server.

The counts (renders by format, refusals, the cache's status) are read at ``/health/process``.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import fields
from typing import Any

from ledger.application.bounded_cache import BoundedCache
from ledger.config import DEFAULT_PUBLIC_BASE_URL, Settings
from ledger.domain import errors
from ledger.exports import formats
from ledger.exports import html as board_html
from ledger.exports.sheets import DEFAULT_SHEET
from ledger.exports.statement import PUBLIC, BoardStatement

Links = list[tuple[str, str]] | None
# Fields of the model that may differ between two answers of the same sealed statement without
# changing what it shows (the log position a read states).
VOLATILE_FIELDS = frozenset({"position"})


class RenderSlots:
    """PDF renders run on ``concurrency`` threads of their own, at most ``queue`` more waiting
    for one; beyond that, and after ``wait_s`` in the queue, ``board_busy`` (503).

    Own threads, not the request's: glibc gives each thread that allocates its own malloc arena,
    and a render touches about 100 MiB (the CJK fonts it subsets). Spread over the server's 40
    request threads, that was up to 16 arenas holding their high-water marks (RSS 84 → 1,241 MiB
    in the issue); on one render thread it is one arena, reused."""

    def __init__(self, *, concurrency: int, queue: int, wait_s: float) -> None:
        self.concurrency, self.queue, self.wait_s = concurrency, queue, wait_s
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="fundbook-pdf")
        self._lock = threading.Lock()
        self._inside = 0  # renders running or queued
        self.refused = 0

    def run(self, render: Callable[[], bytes]) -> bytes:
        with self._lock:
            if self._inside >= self.concurrency + self.queue:
                self.refused += 1
                raise errors.BoardBusy(retry_after_s=self.retry_after_s)
            self._inside += 1
        future = self._pool.submit(render)
        future.add_done_callback(self._left)  # counted until it ran (or was dropped unrun)
        try:
            return future.result(timeout=self.wait_s)
        except FutureTimeout:
            if not future.cancel():  # it is rendering already: it ends on its own
                return future.result()
            with self._lock:
                self.refused += 1
            raise errors.BoardBusy(retry_after_s=self.retry_after_s) from None

    def _left(self, _: Future) -> None:
        with self._lock:
            self._inside -= 1

    @property
    def busy(self) -> int:
        """Renders running or queued."""
        with self._lock:
            return self._inside

    @property
    def retry_after_s(self) -> int:
        return max(1, round(self.wait_s))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class BoardFiles:
    """One per application: the sealed statements' cache, the PDF slots, the render counts."""

    def __init__(self, settings: Settings) -> None:
        self.cache = BoundedCache(
            max_bytes=settings.board_cache_mib * 1024 * 1024, max_entries=settings.board_cache_entries
        )
        self.slots = RenderSlots(
            concurrency=settings.pdf_renders_max, queue=settings.pdf_queue_max, wait_s=settings.pdf_wait_s
        )
        self.renders: Counter[str] = Counter()
        self._lock = threading.Lock()

    def statement(
        self,
        st: BoardStatement,
        fmt: str,
        lang: str,
        links: Links,
        *,
        base_url: str = DEFAULT_PUBLIC_BASE_URL,
        sheet: str = DEFAULT_SHEET,
    ) -> bytes:
        """The statement in one format: from the cache when sealed and public, else rendered.
        ``base_url``: where its QR code sends a resident to check it; ``sheet``: the paper the
        page and the PDF print on (``ledger.exports.sheets``)."""
        if st.provisional or st.seal is None or st.audience != PUBLIC:
            return self._render(st, fmt, lang, links, base_url, sheet)
        key = (fmt, lang, links is not None, base_url, sheet, digest(st))
        body = self.cache.get(key)
        if body is None:
            body = self._render(st, fmt, lang, links, base_url, sheet)
            self.cache.put(key, body)
        return body

    def pdf(self, render: Callable[[], bytes]) -> bytes:
        """Every PDF of the board (statements, aid-proposal notices): in a render slot, counted
        when the renderer really runs."""

        def counted() -> bytes:
            self._count("pdf")
            try:
                return render()
            finally:
                # WeasyPrint and fontTools leave tens of MiB in reference cycles, which the
                # collector's thresholds would free only much later: free them now (tens of
                # ms, against the render's seconds).
                gc.collect()

        return self.slots.run(counted)

    def _render(
        self, st: BoardStatement, fmt: str, lang: str, links: Links, base_url: str, sheet: str
    ) -> bytes:
        if fmt == "pdf":
            return self.pdf(lambda: board_html.render_pdf(st, lang, base_url=base_url, sheet=sheet))
        self._count(fmt)
        if fmt == "html":
            return board_html.render_html(st, lang, links=links, base_url=base_url, sheet=sheet).encode()
        return {"json": formats.to_json, "csv": formats.to_csv, "xlsx": formats.to_xlsx}[fmt](st, lang)

    def _count(self, fmt: str) -> None:
        with self._lock:
            self.renders[fmt] += 1

    def status(self) -> dict[str, Any]:
        with self._lock:
            renders = dict(self.renders)
        return {
            "sealed_statements": self.cache.status(),
            "renders": renders,
            "pdf_slots": {
                "concurrency": self.slots.concurrency,
                "queue": self.slots.queue,
                "refused": self.slots.refused,
            },
        }


def digest(st: BoardStatement) -> str:
    """What the statement shows, as a digest (every field of the model but the volatile)."""
    shown = [(f.name, getattr(st, f.name)) for f in fields(st) if f.name not in VOLATILE_FIELDS]
    return hashlib.sha256(repr(shown).encode()).hexdigest()

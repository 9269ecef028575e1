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
  anonymous visitors cannot pile renders up and take every thread of the server. The slot's
  thread hands the render to a child process (``PdfProcess``), recycled after a bounded number
  of renders, so WeasyPrint's native memory never stays in the server; ``FUNDBOOK_PDF_PROCESS=0``
  renders on the slot's thread itself.

The counts (renders by format, refusals, the cache's status) are read at ``/health/process``.
"""

from __future__ import annotations

import gc
import hashlib
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import fields
from typing import Any

from ledger.application.bounded_cache import BoundedCache
from ledger.config import DEFAULT_PUBLIC_BASE_URL, Settings
from ledger.domain import errors
from ledger.exports import formats
from ledger.exports import html as board_html
from ledger.exports.sheets import DEFAULT_SHEET
from ledger.exports.statement import PUBLIC, BoardStatement, Line
from ledger.web.pdf_process import PdfProcess

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
        self.process = (
            PdfProcess(
                workers=settings.pdf_renders_max,
                renders_per_process=settings.pdf_renders_per_process,
                arena_max=settings.malloc_arena_max,
                mmap_threshold_kib=settings.malloc_mmap_threshold_kib,
            )
            if settings.pdf_process
            else None
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

    def streamed(
        self, head: BoardStatement, lines: Callable[[], Iterator[Line]], fmt: str, lang: str
    ) -> bytes | Iterator[bytes]:
        """A CSV or XLSX of every line (``formats.STREAMED``): chunks written as the lines are
        read, a page of rows at a time (ADR 0185); a sealed public statement's file from the
        cache, or rendered once into it (its key: a digest of the lines, read once more)."""
        if head.provisional or head.seal is None or head.audience != PUBLIC:
            self._count(fmt)
            return _chunks(head, lines(), fmt, lang)
        key = (fmt, lang, False, "", DEFAULT_SHEET, digest(head, lines()))
        body = self.cache.get(key)
        if body is None:
            self._count(fmt)
            body = b"".join(_chunks(head, lines(), fmt, lang))
            self.cache.put(key, body)
        return body

    def pdf(self, render: Callable[..., bytes], *args: Any, **kwargs: Any) -> bytes:
        """Every PDF of the board (statements, aid-proposal notices): ``render(*args, **kwargs)``
        in a render slot, in the child process (``render`` a top-level function, the arguments
        picklable), counted here when it is rendered."""

        def in_slot() -> bytes:
            if self.process is None:
                body = in_process(render, args, kwargs)
            else:
                try:
                    body = self.process.render(render, *args, **kwargs)
                except BrokenProcessPool:  # a fresh child died too: the next request tries anew
                    raise errors.BoardBusy(retry_after_s=self.slots.retry_after_s) from None
            self._count("pdf")
            return body

        return self.slots.run(in_slot)

    def _render(
        self, st: BoardStatement, fmt: str, lang: str, links: Links, base_url: str, sheet: str
    ) -> bytes:
        if fmt == "pdf":
            return self.pdf(board_html.render_pdf, st, lang, base_url=base_url, sheet=sheet)
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
            "pdf_process": {"mode": "in_process"} if self.process is None else self.process.status(),
        }

    def close(self) -> None:
        """Stop the render processes (the app's shutdown); the next PDF starts them again."""
        if self.process is not None:
            self.process.close()


# Bytes of a streamed XLSX kept in memory before its temporary file goes to disk.
XLSX_SPOOL_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024


def _chunks(head: BoardStatement, lines: Iterator[Line], fmt: str, lang: str) -> Iterator[bytes]:
    """The file in chunks: a CSV as its lines are written; an XLSX once its zip is written
    (to a temporary file, spilt to disk past ``XLSX_SPOOL_BYTES``)."""
    if fmt == "csv":
        yield from formats.csv_chunks(head, lines, lang)
        return
    with tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES) as spool:
        formats.write_xlsx(head, lines, lang, spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk


def in_process(render: Callable[..., bytes], args: tuple, kwargs: dict) -> bytes:
    try:
        return render(*args, **kwargs)
    finally:
        # WeasyPrint and fontTools leave tens of MiB in reference cycles, which the collector's
        # thresholds would free only much later: free them now (tens of ms, against seconds).
        gc.collect()


def digest(st: BoardStatement, lines: Iterable[Line] | None = None) -> str:
    """What the statement shows, as a digest (every field of the model but the volatile), its
    lines those of ``st`` or ``lines`` (read one by one: ADR 0185)."""
    sha = hashlib.sha256()
    for f in fields(st):
        if f.name not in VOLATILE_FIELDS and f.name != "lines":
            sha.update(repr((f.name, getattr(st, f.name))).encode())
    for line in st.lines if lines is None else lines:
        sha.update(repr(line).encode())
    return sha.hexdigest()

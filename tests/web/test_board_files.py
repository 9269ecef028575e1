"""The noticeboard's files with bounded work (ADR 0054), in process: a sealed statement's file is
rendered once and then served from the cache until what it shows changes; an open period's is
rendered every time; PDFs render in a bounded number of slots, the rest refused at once."""

from __future__ import annotations

import os
import threading

import pytest

from ledger.config import DEFAULT_PUBLIC_BASE_URL as BASE
from ledger.config import Settings
from ledger.domain import errors
from ledger.exports import statement as board
from ledger.projections import runner
from ledger.web.board_files import BoardFiles, RenderSlots
from ledger.web.pdf_process import PdfProcess
from tests.exports.conftest import ADMIN


def test_a_sealed_statement_file_is_rendered_once_when_asked_for_twice(example, caught_up):
    files = BoardFiles(Settings())
    st = board.build(caught_up, example.fund, "2024-Q3")
    assert st.seal is not None and not st.provisional

    first = files.statement(st, "csv", "zh", None, base_url=BASE)
    again = files.statement(board.build(caught_up, example.fund, "2024-Q3"), "csv", "zh", None, base_url=BASE)

    assert again == first
    assert files.renders["csv"] == 1
    assert files.cache.status()["hits"] == 1


def test_a_sealed_statement_is_rendered_again_when_a_consent_changes_what_it_shows(example, caught_up):
    files = BoardFiles(Settings())
    before = files.statement(
        board.build(caught_up, example.fund, "2024-Q3"), "csv", "zh", None, base_url=BASE
    )
    example.app.change_person(
        example.people["wang"], "change_consent", actor=ADMIN, public_notice=True, internal_notice=True
    )
    runner.catch_up(caught_up)

    after = files.statement(board.build(caught_up, example.fund, "2024-Q3"), "csv", "zh", None, base_url=BASE)

    assert "王小明".encode() not in before and "王小明".encode() in after
    assert files.renders["csv"] == 2


def test_an_open_period_is_rendered_fresh_on_every_request(example, caught_up):
    files = BoardFiles(Settings())
    st = board.build(caught_up, example.fund, "2024-10")
    assert st.provisional

    files.statement(st, "json", "zh", None, base_url=BASE)
    files.statement(st, "json", "zh", None, base_url=BASE)

    assert files.renders["json"] == 2
    assert files.cache.status()["entries"] == 0


def test_the_internal_board_is_never_kept_in_the_public_cache(example, caught_up):
    files = BoardFiles(Settings())
    st = board.build(caught_up, example.fund, "2024-Q3", audience=board.INTERNAL)

    files.statement(st, "json", "zh", None, base_url=BASE)

    assert files.cache.status()["entries"] == 0


def test_the_sealed_cache_stays_at_its_entry_bound_when_more_files_are_asked_for(example, caught_up):
    files = BoardFiles(Settings(board_cache_entries=2))
    st = board.build(caught_up, example.fund, "2024-Q3")

    for fmt in ("csv", "json"):
        for lang in ("zh", "en"):
            files.statement(st, fmt, lang, None, base_url=BASE)

    status = files.cache.status()
    assert (status["entries"], status["evictions"]) == (2, 2)


def test_a_pdf_is_refused_with_board_busy_at_once_when_every_slot_and_queue_place_is_taken():
    slots = RenderSlots(concurrency=1, queue=0, wait_s=60)
    rendering, release = threading.Event(), threading.Event()
    first = Answer(slots, rendering, release)
    assert rendering.wait(30)

    with pytest.raises(errors.BoardBusy):
        slots.run(lambda: b"never rendered")

    release.set()
    assert first.result() == b"%PDF"
    assert slots.run(lambda: b"again") == b"again"  # the slot is free again
    assert slots.refused == 1
    slots.close()


def test_a_waiting_pdf_is_rendered_when_the_render_before_it_ends_and_a_third_is_refused():
    slots = RenderSlots(concurrency=1, queue=1, wait_s=60)
    rendering, release = threading.Event(), threading.Event()
    first = Answer(slots, rendering, release)
    assert rendering.wait(30)
    second = Answer(slots, threading.Event(), threading.Event(), release_at_once=True)
    while slots.busy < 2 and second.thread.is_alive():  # the first renders, the second waits
        threading.Event().wait(0.01)

    with pytest.raises(errors.BoardBusy):
        slots.run(lambda: b"never rendered")

    release.set()
    assert (first.result(), second.result()) == (b"%PDF", b"%PDF")
    assert slots.refused == 1 and slots.busy == 0
    slots.close()


def test_pdfs_render_on_the_render_thread_not_on_the_request_threads():
    slots = RenderSlots(concurrency=1, queue=4, wait_s=60)
    names = [slots.run(lambda: threading.current_thread().name.encode()) for _ in range(3)]
    assert {name.decode().split("_")[0] for name in names} == {"fundbook-pdf"}
    slots.close()


class Answer:
    """A request thread asking ``slots`` for a render that signals ``rendering`` and then waits
    for ``release``."""

    def __init__(self, slots, rendering, release, *, release_at_once: bool = False) -> None:
        self.value: bytes | None = None
        if release_at_once:
            release.set()

        def render() -> bytes:
            rendering.set()
            release.wait(30)
            return b"%PDF"

        def ask() -> None:
            self.value = slots.run(render)

        self.thread = threading.Thread(target=ask)
        self.thread.start()

    def result(self) -> bytes | None:
        self.thread.join(30)
        return self.value


def this_pid() -> bytes:
    """A render for the child: which process ran it."""
    return str(os.getpid()).encode()


def test_a_render_process_is_replaced_after_its_bound_of_renders_and_joined_when_closed():
    process = PdfProcess(workers=1, renders_per_process=2)

    pids = [int(process.render(this_pid)) for _ in range(3)]
    children = process.pids()
    process.close()

    assert os.getpid() not in pids
    assert pids[0] == pids[1] and pids[2] != pids[0]  # the first child left after two renders
    assert children == [pids[2]] and process.pids() == []
    assert process.pools_started == 1


def test_a_pdf_renders_in_the_server_and_is_counted_when_the_render_process_is_turned_off():
    files = BoardFiles(Settings(pdf_process=False))

    body = files.pdf(this_pid)
    files.close()

    assert int(body) == os.getpid()
    assert files.renders["pdf"] == 1 and files.status()["pdf_process"] == {"mode": "in_process"}

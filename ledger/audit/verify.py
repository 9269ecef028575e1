"""``fundbook verify``: recompute the hash chain, check every seal and every invariant.

The input is the stored events themselves (from the database, or from an exported JSONL log)
and the chain as it was recorded (the ``chain`` view, or the ``hash`` of each exported line).
Every event is checked against its own recorded link — ``link(recorded h_{n-1}, event) ==
recorded h_n`` — so an edited, deleted, inserted or moved event is named by its own position,
not only the first. The chain is also recomputed from genesis, and every seal in a
``PeriodClosed`` (and every fingerprint given on the command line) must match it. All
violations are collected; none stops the run.

An exported log leaves out the bytes of the few events that carry a secret (ADR 0060): such
an event's link is taken as recorded, and the next event's link checks that record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent

from ledger.audit.chain import GENESIS, ChainHead, link
from ledger.audit.invariants import Invariants, Violation
from ledger.domain.control_chars import controls_in
from ledger.domain.fund import Fund
from ledger.projections.records import MAYBE_CONTROL

Progress = Callable[[int], None]
Decode = Callable[[StoredEvent], Any]
PROGRESS_EVERY = 5000


@dataclass(frozen=True)
class Row:
    """One stored event as the store holds it."""

    position: int
    originator_id: UUID
    version: int
    topic: str
    state: bytes
    # An export leaves out the stored bytes of an event carrying a secret (ADR 0060): its own
    # link cannot be recomputed, and the chain goes on from its recorded hash.
    redacted: bool = False


@dataclass
class Report:
    events: int = 0
    head: ChainHead = field(default_factory=ChainHead)
    seals_checked: int = 0
    fingerprints: dict[str, int | None] = field(default_factory=dict)  # fingerprint → position
    redacted: int = 0  # events whose bytes an export left out (ADR 0060)
    violations: list[Violation] = field(default_factory=list)
    decoded: list[tuple[int, Any]] = field(default_factory=list)  # for the view checks

    @property
    def ok(self) -> bool:
        return not self.violations

    def add(self, violation: Violation) -> None:
        self.violations.append(violation)


def check_log(
    rows: Iterable[Row],
    recorded: Iterable[tuple[int, str]],
    *,
    decode: Decode,
    fingerprints: Iterable[str] = (),
    progress: Progress | None = None,
) -> Report:
    """Check a log against its recorded chain, its seals and the invariants."""
    report = Report()
    invariants = Invariants(report.add)
    chain = _Recorded(iter(recorded), report)
    recomputed = GENESIS
    hashes: dict[int, bytes] = {}
    seals: list[tuple[int, Any]] = []
    for row in rows:
        chain.missing_before(row.position)
        if row.redacted:
            recomputed = chain.take_redacted(row, recomputed)
            hashes[row.position] = recomputed
            report.events += 1
            report.redacted += 1
            report.head = ChainHead(row.position, recomputed)
            continue
        recomputed = link(recomputed, row.originator_id, row.version, row.topic, row.state)
        hashes[row.position] = recomputed
        chain.check(row)
        report.events += 1
        report.head = ChainHead(row.position, recomputed)
        _check_texts(row, report)
        event = _decode(row, decode, report)
        if event is not None:
            report.decoded.append((row.position, event))
            invariants.apply(row.position, event)
            if isinstance(event, Fund.PeriodClosed) and event.seal_position is not None:
                seals.append((row.position, event))
        if progress and report.events % PROGRESS_EVERY == 0:
            progress(report.events)
    chain.missing_before(2**63)
    invariants.finish()
    _check_seals(seals, hashes, report)
    _check_fingerprints(list(fingerprints), hashes, report)
    return report


class _Recorded:
    """Walks the recorded chain beside the log, comparing each event with its own link."""

    def __init__(self, rows: Iterator[tuple[int, str]], report: Report) -> None:
        self.rows, self.report = rows, report
        self.previous = GENESIS
        self.next = next(self.rows, None)

    def missing_before(self, position: int) -> None:
        while self.next is not None and self.next[0] < position:
            self.report.add(
                Violation("event_missing", self.next[0], "the chain records an event here; the log has none")
            )
            self._advance()

    def check(self, row: Row) -> None:
        if self.next is None:
            return  # beyond the recorded chain's head: nothing recorded to compare with
        if self.next[0] != row.position:
            self.report.add(
                Violation("event_unchained", row.position, "an event the recorded chain does not know")
            )
            return
        expected = link(self.previous, row.originator_id, row.version, row.topic, row.state)
        if expected.hex() != self.next[1]:
            self.report.add(
                Violation(
                    "event_altered",
                    row.position,
                    f"{row.topic} v{row.version} of {row.originator_id} does not match its recorded link",
                )
            )
        self._advance()

    def take_redacted(self, row: Row, recomputed: bytes) -> bytes:
        """A redacted event's link is taken as recorded (the next event's link checks it);
        without a recorded link it is ``event_unchained`` and the chain cannot go on."""
        if self.next is None or self.next[0] != row.position:
            self.report.add(
                Violation("event_unchained", row.position, "a redacted event without its recorded link")
            )
            return recomputed
        taken = bytes.fromhex(self.next[1])
        self._advance()
        return taken

    def _advance(self) -> None:
        assert self.next is not None
        self.previous = bytes.fromhex(self.next[1])
        self.next = next(self.rows, None)


def _decode(row: Row, decode: Decode, report: Report) -> Any:
    try:
        return decode(StoredEvent(row.originator_id, row.version, row.topic, row.state))
    except Exception as error:  # a tampered or foreign record: reported, the run goes on
        report.add(Violation("event_undecodable", row.position, f"{row.topic}: {type(error).__name__}"))
        return None


def _check_texts(row: Row, report: Report) -> None:
    """An event recorded before the domain refused control characters (ADR 0050): named, with
    the field and the character; the views show the text with U+FFFD in its place."""
    if not any(mark in row.state for mark in MAYBE_CONTROL):
        return
    try:
        values = orjson.loads(row.state)
    except orjson.JSONDecodeError:
        return  # reported as event_undecodable
    for name, found in controls_in(values):
        report.add(
            Violation(
                "control_character",
                row.position,
                f"{row.topic}: {name} holds U+{ord(found):04X} (the views show U+FFFD in its place)",
            )
        )


def _check_seals(seals: list[tuple[int, Any]], hashes: dict[int, bytes], report: Report) -> None:
    for position, event in seals:
        report.seals_checked += 1
        actual = hashes.get(event.seal_position)
        if event.seal_position >= position or actual is None or actual.hex() != event.seal_hash:
            found = "no event there" if actual is None else f"the log gives {actual.hex()[:16]}"
            report.add(
                Violation(
                    "seal_broken",
                    position,
                    f"close of {event.period} sealed position "
                    f"{event.seal_position} as {event.seal_hash[:16]}; {found}",
                )
            )


def _check_fingerprints(prints: list[str], hashes: dict[int, bytes], report: Report) -> None:
    """A fingerprint from a printed notice must be the recomputed chain at some position."""
    wanted = {p.strip().lower(): p for p in prints}
    report.fingerprints = {p: None for p in prints}
    if not wanted:
        return
    for position, value in hashes.items():
        text = value.hex()[:16]
        if text in wanted:
            report.fingerprints[wanted[text]] = position
    for printed, position in report.fingerprints.items():
        if position is None:
            report.add(
                Violation(
                    "seal_not_found", None, f"no position of the recomputed chain has fingerprint {printed}"
                )
            )

"""The resident's check of a notice (扫码核对): does the books today still reproduce the seal
printed on it?

A notice's QR code holds ``{public base URL}/check/{fingerprint}/{period}``. For that
fingerprint this finds the period close that carries the seal (the close of the notice's last
month) and answers two questions from the stored events themselves, never from the views
(which a tampered store does not change):

- **chain**: the hash chain recomputed from the first stored event through the sealed position
  (``ledger.audit.chain``) must end in the sealed hash; if not, the first position where the
  recomputed chain leaves the chain as recorded is named;
- **figures**: the fund's opening balance, income, expense and closing balance of the period,
  summed afresh from the fund's stored money events, must equal what its closes recorded (the
  figures the notice printed); each one that differs is named with both amounts.

It shows no more than the public board: the fund, its organisation, the period, its four
totals. Nothing here needs a token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from ledger.audit.chain import FINGERPRINT_LEN, GENESIS, ChainHead
from ledger.audit.log import stored_rows
from ledger.domain import errors
from ledger.domain.fund import Fund, MoneyEvent, column_of
from ledger.domain.periods import statement_range
from ledger.projections import queries
from ledger.projections.store import ViewStore

FIGURES = ("opening_fen", "income_fen", "expense_fen", "closing_fen")
CHECK_PAGE = 2000


@dataclass
class PublicCheck:
    fingerprint: str
    fund_id: str
    fund_name: str
    issuer: str
    period: str
    start: date
    end: date
    closed_on: str
    sealed: dict[str, int]  # the figures as the closes recorded them (what the notice printed)
    today: dict[str, int] = field(default_factory=dict)  # summed afresh from the stored events
    chain_ok: bool = True
    altered_position: int | None = None  # the first position the recomputed chain leaves
    altered_topic: str | None = None

    @property
    def figures_ok(self) -> bool:
        return self.sealed == self.today

    @property
    def ok(self) -> bool:
        return self.chain_ok and self.figures_ok

    def differing(self) -> list[str]:
        return [key for key in FIGURES if self.sealed[key] != self.today.get(key)]


def check(store: ViewStore, fingerprint: str, period: str | None, decode: Any) -> PublicCheck:
    """``check_not_found`` (404) unless ``fingerprint`` is the seal of a close that ends
    ``period`` (a month, quarter or year; the sealed month when None)."""
    fp = fingerprint.strip().lower()
    if len(fp) != FINGERPRINT_LEN or any(c not in "0123456789abcdef" for c in fp):
        raise errors.CheckNotFound(fingerprint=fingerprint)
    closes = store.fetch(
        "SELECT fund_id, period, closed_on, seal_position, seal_hash, position FROM v_period_close "
        "WHERE seal_hash LIKE ? ORDER BY position DESC, period DESC",
        (fp + "%",),
    )
    if period is not None:  # one close may seal several months (closed together): the notice's
        last = statement_range(period)[1].isoformat()[:7]
        closes = [c for c in closes if c[1] == last]
    if not closes:
        raise errors.CheckNotFound(fingerprint=fingerprint)
    fund_id, month, closed_on, seal_position, seal_hash, close_position = closes[0]
    start, end = statement_range(period or month)
    meta = queries.fund_meta(store, fund_id)
    tree = queries.tree_on(store, end)
    result = PublicCheck(
        fingerprint=fp,
        fund_id=fund_id,
        fund_name=meta["name_zh"],
        issuer=tree.get(meta["owner_org_id"], ("",))[0],
        period=period or month,
        start=start,
        end=end,
        closed_on=closed_on,
        sealed={},
    )
    _replay(store, result, UUID(fund_id), int(seal_position), seal_hash, int(close_position), decode)
    return result


def _replay(
    store: ViewStore,
    result: PublicCheck,
    fund_uuid: UUID,
    seal_position: int,
    seal_hash: str,
    close_position: int,
    decode: Any,
) -> None:
    """One pass over the stored events through the sealing close: the chain and the figures."""
    head = ChainHead(0, GENESIS)
    sums = {"before": 0, "income": 0, "expense": 0}
    closes: dict[str, dict[str, int]] = {}
    batch: list[Any] = []
    start, end = result.start.isoformat(), result.end.isoformat()

    def flush() -> None:
        nonlocal head
        if not batch:
            return
        head, links = head.extend((r.position, r.originator_id, r.version, r.topic, r.state) for r in batch)
        if result.altered_position is None:
            recorded = dict(store.chain_rows(batch[0].position - 1, len(batch)))
            for (position, value), row in zip(links, batch, strict=True):
                if recorded.get(position) != value:
                    result.altered_position, result.altered_topic = position, row.topic
                    break
        batch.clear()

    for row in stored_rows(store, through=close_position):
        if row.position <= seal_position:
            batch.append(row)
            if len(batch) >= CHECK_PAGE:
                flush()
            if row.position == seal_position:
                flush()
                result.chain_ok = head.hex == seal_hash
        if row.originator_id != fund_uuid:
            continue
        event = _decoded(decode, row)
        if isinstance(event, Fund.PeriodClosed):
            closes[event.period] = {k: getattr(event, k) for k in FIGURES}
        elif isinstance(event, MoneyEvent):
            _add(sums, event, start, end)
    flush()
    if head.position < seal_position:  # events of the sealed stretch are missing
        result.chain_ok = False
    months = sorted(p for p in closes if start[:7] <= p <= end[:7])
    if not months:
        raise errors.CheckNotFound(fingerprint=result.fingerprint)
    result.sealed = {
        "opening_fen": closes[months[0]]["opening_fen"],
        "income_fen": sum(closes[m]["income_fen"] for m in months),
        "expense_fen": sum(closes[m]["expense_fen"] for m in months),
        "closing_fen": closes[months[-1]]["closing_fen"],
    }
    result.today = {
        "opening_fen": sums["before"],
        "income_fen": sums["income"],
        "expense_fen": sums["expense"],
        "closing_fen": sums["before"] + sums["income"] - sums["expense"],
    }
    if not result.chain_ok and result.altered_position is None:
        result.altered_position = seal_position


def _decoded(decode: Any, row: Any) -> Any:
    try:
        return decode(StoredEvent(row.originator_id, row.version, row.topic, row.state))
    except Exception:  # a record edited beyond reading: the chain names it
        return None


def _add(sums: dict[str, int], event: MoneyEvent, start: str, end: str) -> None:
    day = event.occurred_on.isoformat()
    column, signed = column_of(event)
    if column is None or day > end:
        return
    if day < start:
        sums["before"] += signed if column == 0 else -signed
    else:
        sums["income" if column == 0 else "expense"] += signed

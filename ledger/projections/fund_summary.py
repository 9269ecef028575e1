"""Fund summaries: a pure fold of the event log into one row per fund.

Income, expense, balance, reserved and available per fund, with counts and totals by kind of
entry (donations, grants by grant kind, aid-category expenses, stipends) and the number of
distinct donors. ``fundbook balances`` prints it. It reads every event once, in log order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ledger.domain.fund import Fund, MoneyEvent


@dataclass
class FundSummary:
    fund_id: str
    name_zh: str
    kind: str
    owner_org_id: str
    income_fen: int = 0
    expense_fen: int = 0
    reserved_fen: int = 0
    cash_fen: int = 0
    bank_fen: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    totals_fen: dict[str, int] = field(default_factory=dict)
    donors: set[str] = field(default_factory=set)

    @property
    def balance_fen(self) -> int:
        return self.income_fen - self.expense_fen

    @property
    def available_fen(self) -> int:
        return self.balance_fen - self.reserved_fen

    def add(self, key: str, amount_fen: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1
        self.totals_fen[key] = self.totals_fen.get(key, 0) + amount_fen


def fold(events: Iterable[Any]) -> dict[str, FundSummary]:
    funds: dict[str, FundSummary] = {}
    for event in events:
        if isinstance(event, Fund.Created):
            fund_id = str(event.originator_id)
            funds[fund_id] = FundSummary(fund_id, event.name_zh, event.kind, event.owner_org_id)
        elif isinstance(event, MoneyEvent):
            _apply_money(funds[str(event.originator_id)], event)
    return funds


def _apply_money(summary: FundSummary, event: MoneyEvent) -> None:
    for _, account, delta in event.postings():
        if account == "cash":
            summary.cash_fen += delta
        else:
            summary.bank_fen += delta
    if isinstance(event, Fund.EntryReversed):
        signed = -event.amount_fen
        if event.reverses_direction > 0:
            summary.income_fen += signed
        else:
            summary.expense_fen += signed
        summary.add("reversal", event.amount_fen)
        return
    if event.direction > 0:
        summary.income_fen += event.amount_fen
    elif event.direction < 0:
        summary.expense_fen += event.amount_fen
    summary.add(_entry_key(event), event.amount_fen)
    if isinstance(event, Fund.DonationReceived) and event.donor_person_id:
        summary.donors.add(event.donor_person_id)


def _entry_key(event: MoneyEvent) -> str:
    if isinstance(event, Fund.DonationReceived):
        return f"donation:{event.donor_kind}"
    if isinstance(event, Fund.GrantReceived):
        return f"grant:{event.grant_kind}"
    if isinstance(event, Fund.ExpensePaid):
        return f"expense:{event.category}"
    return type(event).__name__


def read_events(app: Any, page_size: int = 1000) -> Iterator[Any]:
    """Every event in log order, decoded page by page."""
    position = 0
    while True:
        page = app.recorder.select_notifications(
            start=position, limit=page_size, inclusive_of_start=False
        )
        if not page:
            return
        for notification in page:
            yield app.mapper.to_domain_event(notification)
        position = page[-1].id

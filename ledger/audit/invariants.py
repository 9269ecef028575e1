"""The bookkeeping invariants, re-checked from the events alone (an auditor's fold).

Independent of the domain's own guards (which refuse a bad command before it is recorded), this
fold takes every stored event as it is and reports each place where the recorded history breaks
a rule, with the log position of the record that shows it:

- ``balance_negative``: a fund's cash or bank account below zero on some business date, the
  postings run in (business date, recording order) from zero (R3, ADR 0003);
- ``reversal_unknown`` / ``reversal_inexact`` / ``reversal_repeated``: a reversal must name a
  voucher of its fund that is not itself a reversal, with the same amount, account and
  direction, and reverse it once (R5);
- ``voucher_gap`` / ``voucher_repeated``: voucher numbers run 1, 2, 3 … per fund and month;
- ``dated_in_closed_period``: no entry is dated in a month its fund had already closed (R6);
- ``dated_before_handover``: no entry is dated before its fund's latest custody handover
  recorded before it (R22, ADR 0032);
- the asset register's own (``ledger.audit.register_check``, ADR 0140).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ledger.audit.register_check import RegisterInvariants
from ledger.audit.violation import Violation
from ledger.domain.fund import Fund, MoneyEvent


@dataclass
class _Voucher:
    position: int
    amount_fen: int
    account: str
    direction: int
    is_reversal: bool
    net: dict[str, int]  # account -> what the voucher moved (a cash move: both accounts)
    reversed_at: int | None = None


class Invariants:
    def __init__(self, report: Callable[[Violation], None]) -> None:
        self.report = report
        self.vouchers: dict[tuple[str, str], _Voucher] = {}
        self.postings: dict[str, list[tuple[str, int, str, int]]] = {}  # fund → (day, pos, account, Δ)
        self.closed_through: dict[str, str] = {}  # fund → last closed period
        self.numbers: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (fund, month) → (seq, pos)
        self.handed_over_on: dict[str, str] = {}  # fund → latest custody handover date
        self.register = RegisterInvariants(report)  # gifts in kind and assets (ADR 0140)

    def apply(self, position: int, event: Any) -> None:
        fund_id = str(event.originator_id)
        self.register.apply(position, event)
        if isinstance(event, Fund.PeriodClosed):
            self.closed_through[fund_id] = max(self.closed_through.get(fund_id, ""), event.period)
        elif isinstance(event, Fund.CustodyHandedOver):
            day = event.handed_over_on.isoformat()
            self.handed_over_on[fund_id] = max(self.handed_over_on.get(fund_id, ""), day)
        elif isinstance(event, MoneyEvent):
            self._money(position, fund_id, event)

    def _money(self, position: int, fund_id: str, event: Any) -> None:
        day = event.occurred_on.isoformat()
        closed = self.closed_through.get(fund_id)
        if closed is not None and day[:7] <= closed:
            self.report(
                Violation(
                    "dated_in_closed_period",
                    position,
                    f"voucher {event.voucher_no} dated {day}, fund {fund_id} closed through {closed}",
                )
            )
        handed_over = self.handed_over_on.get(fund_id, "")
        if day < handed_over:
            self.report(
                Violation(
                    "dated_before_handover",
                    position,
                    f"voucher {event.voucher_no} dated {day}, fund {fund_id} handed over on {handed_over}",
                )
            )
        month, _, seq = event.voucher_no.partition("-")
        self.numbers.setdefault((fund_id, month), []).append((int(seq), position))
        is_reversal = isinstance(event, Fund.EntryReversed)
        if is_reversal:
            self._reversal(position, fund_id, event)
        self.vouchers[(fund_id, event.voucher_no)] = _Voucher(
            position, event.amount_fen, event.account, event.direction, is_reversal, _net(event)
        )
        mine = self.postings.setdefault(fund_id, [])
        mine.extend((d, position, account, delta) for d, account, delta in event.postings())

    def _reversal(self, position: int, fund_id: str, event: Any) -> None:
        original = self.vouchers.get((fund_id, event.reverses_voucher_no))
        if original is None or original.is_reversal:
            what = "no such voucher" if original is None else "a reversal itself"
            self.report(
                Violation("reversal_unknown", position, f"reverses {event.reverses_voucher_no}: {what}")
            )
            return
        if original.reversed_at is not None:
            self.report(
                Violation(
                    "reversal_repeated",
                    position,
                    f"{event.reverses_voucher_no} already reversed at position {original.reversed_at}",
                )
            )
        original.reversed_at = position
        exact = (event.amount_fen, event.account, event.reverses_direction) == (
            original.amount_fen,
            original.account,
            original.direction,
        ) and _net(event) == {account: -delta for account, delta in original.net.items()}
        if not exact:
            self.report(
                Violation(
                    "reversal_inexact",
                    position,
                    f"reverses {event.reverses_voucher_no} "
                    f"({original.amount_fen} fen {original.account}) with {event.amount_fen} fen "
                    f"{event.account}",
                )
            )

    def finish(self) -> None:
        """The checks that need the whole history: running balances and voucher sequences."""
        for fund_id, postings in self.postings.items():
            balances: dict[str, int] = {}
            reported: set[str] = set()
            for day, position, account, delta in sorted(postings):
                balances[account] = balances.get(account, 0) + delta
                if balances[account] < 0 and account not in reported:
                    reported.add(account)
                    self.report(
                        Violation(
                            "balance_negative",
                            position,
                            f"fund {fund_id} {account} at {balances[account]} fen on {day}",
                        )
                    )
        for (fund_id, month), numbers in sorted(self.numbers.items()):
            numbers.sort()
            expected = 1
            for seq, position in numbers:
                if seq < expected:
                    self.report(
                        Violation("voucher_repeated", position, f"fund {fund_id} voucher {month}-{seq:03d}")
                    )
                    continue
                if seq > expected:
                    missing = f"{month}-{expected:03d}" + (
                        f" … {month}-{seq - 1:03d}" if seq - 1 > expected else ""
                    )
                    self.report(Violation("voucher_gap", position, f"fund {fund_id} lacks voucher {missing}"))
                expected = seq + 1


def _net(event: Any) -> dict[str, int]:
    net: dict[str, int] = {}
    for _, account, delta in event.postings():
        net[account] = net.get(account, 0) + delta
    return net

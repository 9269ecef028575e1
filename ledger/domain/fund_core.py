"""The fund as its concern modules see it (a ``Protocol``).

``Fund`` (``fund.py``) keeps the money: every voucher's event, the balances, the posting of the
vouchers, the money commands, reversals and the checks every voucher passes. The events and
commands of each other concern live beside it as mixins of ``Fund``: custody and its handovers
(``fund_custody.py``, R16, R22), collections (``fund_collections.py``, R32), stipends
(``fund_stipends.py``, R12), aid reservations (``fund_reservations.py``, R3, R19) and closing a
month (``fund_closing.py``, R6). They type ``self`` (and the aggregate an event applies to)
against this protocol instead of importing ``fund.py``, which imports them: the imports point one
way, ``fund.py`` → the mixins → ``fund_core.py`` (as ``ledger/application/core.py`` does for the
Ledger's command groups).

It lists what the mixins use of the fund: its state, its reads, the checks every voucher passes,
the voucher events they raise, and the library's ``trigger_event``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from eventsourcing.domain import Aggregate

from ledger.domain.context import Context
from ledger.domain.day_balances import DayRecord


class FundCore(Protocol):
    kind: str
    policy: dict[str, Any]
    balances_fen: dict[str, int]
    reserved_fen: int
    reservations: dict[str, int]
    stipend_months: dict[str, list[str]]
    closed_through: str | None
    closed_balances_fen: dict[str, int]
    open_days: dict[str, DayRecord]
    period_totals: dict[str, list[int]]
    vouchers: dict[str, list[Any]]
    custodians: dict[str, dict[str, Any]]
    handed_over_on: date | None
    fees: dict[str, dict[str, int]]
    settled: bool
    collection_closed: bool
    receipts_fen: int

    # The events: the vouchers (a collection's fees and refunds, stipends, aid payments) are the
    # fund's, the others the mixins' own, each read through the fund (``self.X``) so that it is
    # the class the fund stores (``Fund.X``).
    FeePaid: type[Aggregate.Event]
    RefundPaid: type[Aggregate.Event]
    StipendPaid: type[Aggregate.Event]
    AidPaid: type[Aggregate.Event]
    CustodianAssigned: type[Aggregate.Event]
    CustodyHandedOver: type[Aggregate.Event]
    FeeAssessed: type[Aggregate.Event]
    CollectionSettled: type[Aggregate.Event]
    CollectionClosed: type[Aggregate.Event]
    AidReserved: type[Aggregate.Event]
    AidReleased: type[Aggregate.Event]
    PeriodClosed: type[Aggregate.Event]

    @property
    def balance_fen(self) -> int: ...

    @property
    def available_fen(self) -> int: ...

    def first_open_period(self) -> str: ...

    def holder(self, role: str) -> str | None: ...

    def last_voucher_no(self) -> str | None: ...

    def _open_day_max(self) -> str: ...

    def _check_business_date(self, ctx: Context, value: object, field: str) -> date: ...

    def _check_poster(self, ctx: Context) -> None: ...

    def _check_amount(self, amount_fen: object) -> int: ...

    def _entry_fields(
        self,
        ctx: Context,
        *,
        occurred_on: object,
        amount_fen: object,
        account: object,
        doc_refs: object,
        memo: object,
        refs_required: bool = True,
        cashier_may_post: bool = False,
    ) -> dict[str, Any]: ...

    def period_income_total(self) -> int: ...

    def _check_handover_date(self, ctx: Context, handed_over_on: object, holder_from: date) -> date: ...

    def _check_collection(self) -> None: ...

    def _check_stipend_months(self, months: object, paid_on: date, person_id: str) -> list[str]: ...

    def close_period(self, ctx: Context, *, period: str, reviewed_by: str | None = None) -> None: ...

    def _close(self, event: Any) -> None: ...

    def _raise_money(
        self, event_class: type[Any], fields: dict[str, Any], *, releasing_fen: int = 0
    ) -> str: ...

    def trigger_event(self, event_class: type[Aggregate.Event], **kwargs: Any) -> None: ...

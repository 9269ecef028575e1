"""The Ledger's dues commands (a mixin of ``Ledger``: the same unit of work): a branch's Party
dues book (``ledger.domain.dues_book``, ADR 0160).

Each command changes the branch's book alone, never a fund. What the book cannot know itself
is checked here from the other aggregates, before the book's own rules: that the organisation is
a branch that collects dues (not a temporary one), that a member held formal membership in it
(on the month's last day, or the day paid), and that a hand-up goes to, and a rebate comes from,
an organisation above the branch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from ledger.application.core import LedgerCore
from ledger.application.recorded import Recorded, Work
from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.dues_book import DuesBook, book_id
from ledger.domain.organisation import Organisation
from ledger.domain.periods import check_period, last_day


class DuesMixin:
    def dues_book(self: LedgerCore, org_id: object) -> DuesBook | None:
        """The branch's dues book, or None before its first command."""
        try:
            return self._get(book_id(str(self.organisation(org_id).id)))
        except AggregateNotFoundError:
            return None

    def _dues_work(
        self: LedgerCore, org_id: str, change: Callable[[Context, DuesBook, Organisation], Any]
    ) -> Work:
        """The branch's book (opened by its first command, kept in the writer's cache meanwhile
        like the asset register), changed by ``change``."""

        def work(ctx: Context) -> tuple[list[Any], dict[str, Any]]:
            branch = self.organisation(org_id)
            if branch.kind != "branch" or branch.branch_kind == "temporary":
                raise errors.DuesNotABranch(org_id=str(branch.id))
            book = self._get_or_open_dues(str(branch.id))
            result = change(ctx, book, branch)
            return [book], {"org_id": book.org_id, **(result or {})}

        return work

    def _get_or_open_dues(self: LedgerCore, org_id: str) -> DuesBook:
        try:
            return self._get(book_id(org_id))
        except AggregateNotFoundError:
            opened = DuesBook.open(org_id)
            if self.repository.cache is not None and self._writing.held_here():
                self.repository.cache.put(opened.id, opened)
            return opened

    def _dues_member(self: LedgerCore, branch: Organisation, person_id: object, day: date) -> str:
        person = self.person(person_id)
        if person.branch_on(day) != str(branch.id):
            raise errors.DuesMemberNotInBranch(person_id=str(person.id), day=day.isoformat())
        return str(person.id)

    def _dues_above(self: LedgerCore, branch: Organisation, org_id: object) -> str:
        other = str(self.organisation(org_id).id)
        if other not in self.ancestors(branch):
            raise errors.DuesHandUpNotUpward(org_id=other)
        return other

    def _dues_command(
        self: LedgerCore,
        command: str,
        org_id: str,
        change: Callable[[Context, DuesBook, Organisation], Any],
        *,
        actor: str,
        request_id: str | None,
        dry_run: bool,
        **arguments: Any,
    ) -> Recorded:
        args = {"org_id": str(org_id), **arguments}
        work = self._dues_work(org_id, change)
        return self.execute(command, args, actor=actor, request_id=request_id, work=work, dry_run=dry_run)

    def configure_dues(
        self: LedgerCore,
        org_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kw: Any,
    ) -> Recorded:
        """From a month: the branch's rate table (None: the dated default) and rebate share."""
        return self._dues_command(
            "dues.configure",
            org_id,
            lambda ctx, book, _: book.configure(ctx, **kw),
            actor=actor,
            request_id=request_id,
            dry_run=dry_run,
            **kw,
        )

    def declare_dues_base(
        self: LedgerCore,
        org_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kw: Any,
    ) -> Recorded:
        def change(ctx: Context, book: DuesBook, branch: Organisation) -> dict[str, Any]:
            month = check_period(kw.get("from_month"), "from_month")
            day = min(ctx.today, last_day(month))
            person_id = self._dues_member(branch, kw.get("person_id"), day)
            book.declare_base(ctx, **{**kw, "person_id": person_id})
            return {"person_id": person_id, "standard_fen": book.standard_of(person_id, month)}

        return self._dues_command(
            "dues.declare", org_id, change, actor=actor, request_id=request_id, dry_run=dry_run, **kw
        )

    def pay_dues(
        self: LedgerCore,
        org_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kw: Any,
    ) -> Recorded:
        def change(ctx: Context, book: DuesBook, branch: Organisation) -> dict[str, Any]:
            paid_on = kw.get("paid_on")
            person_id = (
                self._dues_member(branch, kw.get("person_id"), paid_on) if isinstance(paid_on, date) else None
            )
            return book.pay(ctx, **{**kw, "person_id": person_id or str(kw.get("person_id"))})

        return self._dues_command(
            "dues.pay", org_id, change, actor=actor, request_id=request_id, dry_run=dry_run, **kw
        )

    def reverse_dues_payment(
        self: LedgerCore,
        org_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kw: Any,
    ) -> Recorded:
        """A mistaken payment, while it is still held (before its hand-up)."""
        return self._dues_command(
            "dues.reverse",
            org_id,
            lambda ctx, book, _: {"payment_no": book.reverse_payment(ctx, **kw)},
            actor=actor,
            request_id=request_id,
            dry_run=dry_run,
            **kw,
        )

    def hand_up_dues(
        self: LedgerCore,
        org_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kw: Any,
    ) -> Recorded:
        """Everything held, to an organisation above the branch (its parent unless named)."""

        def change(ctx: Context, book: DuesBook, branch: Organisation) -> dict[str, Any]:
            target = kw.get("to_org_id") or branch.parent_org_id
            return book.hand_up(ctx, **{**kw, "to_org_id": self._dues_above(branch, target)})

        return self._dues_command(
            "dues.hand_up", org_id, change, actor=actor, request_id=request_id, dry_run=dry_run, **kw
        )

    def receive_dues_rebate(
        self: LedgerCore,
        org_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kw: Any,
    ) -> Recorded:
        """The rebate received, checked against the configured share of what was handed up."""

        def change(ctx: Context, book: DuesBook, branch: Organisation) -> dict[str, Any]:
            source = kw.get("from_org_id") or branch.parent_org_id
            return book.receive_rebate(ctx, **{**kw, "from_org_id": self._dues_above(branch, source)})

        return self._dues_command(
            "dues.rebate", org_id, change, actor=actor, request_id=request_id, dry_run=dry_run, **kw
        )

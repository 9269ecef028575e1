"""Bulk import of paper books (a mixin of ``Ledger``; ADR 0007, issue 17).

Every row is checked against its fund in memory, then all accepted entries are saved in one
transaction, or none. A row naming a person (a member's donation, a stipend) is resolved through
the register, never guessed (``ledger.application.import_register``); a transfer writes both funds.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import RecordConflictError

from ledger.application.bulk_import import ImportResult, ImportRow
from ledger.application.core import LedgerCore
from ledger.application.import_commands import ImportCommand, to_command
from ledger.application.import_register import Register
from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.errors import LedgerError
from ledger.domain.fund import Fund, transfer_between
from ledger.domain.organisation import Organisation
from ledger.domain.person import Person
from ledger.projections import snapshots


class ImportMixin:
    def import_rows(
        self: LedgerCore,
        rows: list[ImportRow],
        *,
        actor: str,
        dry_run: bool = False,
        skip_invalid: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportResult:
        """Check every row against its fund (in memory), then save all accepted entries in one
        transaction — or none, if any row fails and ``skip_invalid`` is not set."""
        with self._writing, self.writer_lock, self._forgetting_on_failure():
            result = self._import_rows(rows, actor, dry_run, skip_invalid, progress)
            if not result.written:
                self.forget_cached()  # the funds hold the checked rows' events, unsaved
            return result

    def _import_rows(
        self: LedgerCore,
        rows: list[ImportRow],
        actor: str,
        dry_run: bool,
        skip_invalid: bool,
        progress: Callable[[int, int], None] | None,
    ) -> ImportResult:
        for _attempt in range(self.retries_max):
            funds = self._funds_by_reference()
            result = ImportResult()
            ctx = Context(recorded_by=actor, today=self.today(), acting_person=self._acting_person(actor))
            register = cache(self.import_register)  # made once, only if a row names someone
            for done, row in enumerate(rows, start=1):
                self._import_one(row, funds, ctx, result, register)
                if progress is not None and (done % 500 == 0 or done == len(rows)):
                    progress(done, len(rows))
            touched = {id(f): f for f in funds.values() if f.pending_events}
            if dry_run or not result.accepted or (result.rejected and not skip_invalid):
                return result
            try:
                recordings = self._save_imported(list(touched.values()))
            except RecordConflictError:
                self.forget_cached()
                continue
            result.written = True
            result.position = recordings[-1].notification.id if recordings else None
            return result
        raise errors.ConcurrentUpdateRetryExhausted()

    def _save_imported(self: LedgerCore, funds: list[Fund]) -> list[Any]:
        """``save()`` in one transaction, but snapshot each fund once from memory afterwards:
        the library's own snapshotting would rebuild a fund from the store every 200 events."""
        processing = ProcessingEvent()
        processing.collect_events(*funds)
        recordings = self._record(processing)
        if self.snapshots is not None:
            self.snapshots.put([Fund.Snapshot.take(fund) for fund in funds])
            snapshots.keep_latest(self.snapshots.recorder, [fund.id for fund in funds])
        self._notify(recordings)
        return recordings

    def _funds_by_reference(self) -> dict[str, Fund]:
        """Every fund, reachable by its id and by its name (one object per fund)."""
        funds: dict[str, Fund] = {}
        for fund_id in self.ids_of(Fund.Created.TOPIC):
            fund = self.fund(fund_id)
            funds[str(fund.id)] = fund
            funds.setdefault(fund.name_zh, fund)
        return funds

    def _import_one(
        self: LedgerCore,
        row: ImportRow,
        funds: dict[str, Fund],
        ctx: Context,
        result: ImportResult,
        register: Callable[[], Register],
    ) -> None:
        try:
            if row.error is not None:
                raise row.error
            reference = row.values.get("fund") or ""
            fund = funds.get(reference)
            if fund is None:
                raise errors.FundNotFound(fund_id=reference)
            command = to_command(row, str(fund.id))
            if command.row_key in fund.imported_rows():
                result.already_imported.append(row.line)
                return
            if command.person is not None:  # before the balance: every unknown name is listed
                owner = self.organisation(fund.owner_org_id)
                command.kwargs[command.person.arg] = register().resolve(command.person, owner, self.person)
            if command.balance_fen is not None:  # the paper book's running balance, before the entry
                after = fund.balance_fen + command.signed_fen
                if after != command.balance_fen:
                    raise errors.ImportBalanceMismatch(expected_fen=command.balance_fen, actual_fen=after)
            ctx = Context(ctx.recorded_by, ctx.today, command.row_key, ctx.acting_person)
            voucher = self._apply_imported(fund, command, funds, ctx)
        except LedgerError as error:
            result.rejected.append((row.line, error))
            return
        result.accepted.append((row.line, str(fund.id), voucher))

    def _apply_imported(
        self: LedgerCore,
        fund: Fund,
        command: ImportCommand,
        funds: dict[str, Fund],
        ctx: Context,
    ) -> str:
        """One imported row on its fund (its names already resolved): a stipend checked against
        its owner's offices and terms, a transfer on both funds."""
        kwargs = command.kwargs
        if command.command == "pay_stipend":
            owner = self.organisation(fund.owner_org_id)
            terms = owner.stipend_terms(kwargs["person_id"], kwargs["role"], str(fund.id))
            return fund.pay_stipend(ctx, in_office=owner.holds_office, terms=terms, **kwargs)
        if command.command == "transfer_out":
            target = funds.get(command.to_fund or "")
            if target is None:
                raise errors.FundNotFound(fund_id=command.to_fund)
            return transfer_between(ctx, fund, target, **kwargs)[0]
        return getattr(fund, command.command)(ctx, **kwargs)

    def import_register(self) -> Register:
        """Every person and organisation, for matching a paper book's names (once per import)."""
        people = [self.person(pid) for pid in self.ids_of(Person.Created.TOPIC)]
        orgs = [self.organisation(oid) for oid in self.ids_of(Organisation.Created.TOPIC)]
        return Register(people, orgs)

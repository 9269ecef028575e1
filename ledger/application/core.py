"""The Ledger as its command groups and its group committer see it (a ``Protocol``).

The command groups (``setup.py``, ``workflows.py``, ``dues.py``, ``importing.py``) are mixins of ``Ledger``,
and the group committer (``group_commit.py``) runs the Ledger's units of work. They type ``self``
(or the ledger they are given) against this protocol instead of importing ``ledger.py``, which
imports them: the imports point one way, ``ledger.py`` → groups → ``core.py``.

It lists what they use: the Ledger's public reads and its unit of work, the library's stores and
two of ``eventsourcing.Application``'s own steps (``_record``, ``_notify``, used by the import,
which saves many funds in one transaction), and the groups' own methods they call on one another.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import ProcessingEvent, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder, EventStore, Recording

from ledger.application.bulk_import import ImportResult, ImportRow
from ledger.application.import_commands import ImportCommand
from ledger.application.import_register import Register
from ledger.application.recorded import Recorded, Work
from ledger.application.writer_cache import WriterCache
from ledger.application.writer_lock import WriterLock
from ledger.domain import errors
from ledger.domain.aid_case import AidCase
from ledger.domain.aid_roll import AidRoll
from ledger.domain.context import Context
from ledger.domain.dues_book import DuesBook
from ledger.domain.fund import Fund
from ledger.domain.objection import VoucherObjection
from ledger.domain.organisation import Organisation
from ledger.domain.person import Person
from ledger.domain.public_text import PublicRegister
from ledger.domain.request_record import RequestRecord
from ledger.domain.user import User

A = TypeVar("A", bound=Aggregate)


class LedgerCore(Protocol):
    # --- the library's application (eventsourcing.Application) -------------------------------
    recorder: ApplicationRecorder
    repository: Repository
    events: EventStore
    snapshots: EventStore | None

    def save(self, *objs: Aggregate | None, **kwargs: Any) -> list[Recording]: ...
    def _record(self, processing_event: ProcessingEvent) -> list[Recording]: ...
    def _notify(self, recordings: list[Recording]) -> None: ...

    # --- the Ledger's unit of work (ledger.py) -------------------------------------------------
    retries_max: int
    retry_backoff_s: float
    today: Callable[[], date]
    writer_lock: WriterLock  # across processes
    writer_cache: WriterCache  # current once per group
    _writing: AbstractContextManager[Any]  # within the process (group_commit.WriteLock)

    def execute(
        self,
        command: str,
        arguments: dict[str, Any],
        *,
        actor: str,
        request_id: str | None,
        work: Work,
        dry_run: bool = False,
    ) -> Recorded: ...
    def forget_cached(self) -> None: ...
    def prior_request(self, request_id: str) -> RequestRecord | None: ...
    def _forgetting_on_failure(self) -> AbstractContextManager[None]: ...
    def _acting_person(self, actor: str) -> str: ...

    # --- the Ledger's reads (ledger.py, UsersMixin) -------------------------------------------
    def _get(self, aggregate_id: UUID) -> Any: ...
    def _load(self, cls: type[A], aggregate_id: object, not_found: Callable[[], errors.LedgerError]) -> A: ...
    def fund(self, fund_id: object) -> Fund: ...
    def organisation(self, org_id: object) -> Organisation: ...
    def person(self, person_id: object) -> Person: ...
    def public_register(self) -> PublicRegister: ...
    def ancestors(self, org: Organisation) -> list[str]: ...
    def ids_of(self, topic: str) -> list[UUID]: ...
    def user(self, user_id: object) -> User: ...
    def _acting_user(self, actor: str) -> User | None: ...
    def _lineage(self, org_id: str) -> list[str]: ...
    def _check_administers(self, acting: User, target: User) -> None: ...

    # --- the groups' own methods, called on self (setup.py, workflows.py, importing.py) ---------
    def store_event_count(self) -> int: ...
    def check_store_empty(self) -> None: ...
    def user_of_person(self, person_id: str) -> User | None: ...
    def _login_claim(self, ctx: Context, user: User, login: str, password: str) -> list[Aggregate]: ...
    def aid_case(self, case_id: object) -> AidCase: ...
    def voucher_objection(self, objection_id: object) -> VoucherObjection: ...
    def holds_role_for_fund(self, actor: str, role: str, fund: Fund) -> bool: ...
    def holds_role_for_orgs(self, actor: str, role: str, org_ids: list[str]) -> bool: ...
    def _case_and_fund(self, case_id: str) -> tuple[AidCase, Fund]: ...
    def aid_roll(self, fund_id: object) -> AidRoll | None: ...
    def _roll_work(self, fund_id: str, change: Callable[[Context, AidRoll, Fund], Any]) -> Callable: ...
    def dues_book(self, org_id: object) -> DuesBook | None: ...
    def _dues_work(self, org_id: str, change: Callable[[Context, DuesBook, Organisation], Any]) -> Work: ...
    def _get_or_open_dues(self, org_id: str) -> DuesBook: ...
    def _dues_member(self, branch: Organisation, person_id: object, day: date) -> str: ...
    def _dues_above(self, branch: Organisation, org_id: object) -> str: ...
    def _dues_command(
        self,
        command: str,
        org_id: str,
        change: Callable[[Context, DuesBook, Organisation], Any],
        *,
        actor: str,
        request_id: str | None,
        dry_run: bool,
        **arguments: Any,
    ) -> Recorded: ...
    def import_register(self) -> Register: ...
    def _import_rows(
        self,
        rows: list[ImportRow],
        actor: str,
        dry_run: bool,
        skip_invalid: bool,
        progress: Callable[[int, int], None] | None,
    ) -> ImportResult: ...
    def _import_one(
        self,
        row: ImportRow,
        funds: dict[str, Fund],
        ctx: Context,
        result: ImportResult,
        register: Callable[[], Register],
    ) -> None: ...
    def _apply_imported(
        self, fund: Fund, command: ImportCommand, funds: dict[str, Fund], ctx: Context
    ) -> str: ...
    def _save_imported(self, funds: list[Fund]) -> list[Any]: ...
    def _funds_by_reference(self) -> dict[str, Fund]: ...

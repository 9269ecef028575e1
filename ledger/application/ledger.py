"""Ledger: the only place that changes state.

Each command loads the aggregates it touches, lets them check every rule and raise events, and
saves them together in one transaction (``app.save(a, b)``). A version conflict — another
process saved one of them first — reloads and redoes the command, a bounded number of times.
A client ``request_id`` makes every recording idempotent (see ``RequestRecord``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    LRUCache,
    ProcessingEvent,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Transcoder, Transcoding

from ledger.application.auth_cache import AuthCache
from ledger.application.dues import DuesMixin
from ledger.application.event_json import EventJSONTranscoder
from ledger.application.group_commit import GroupCommitter, Unit, WriteLock
from ledger.application.importing import ImportMixin
from ledger.application.recorded import Recorded, Work
from ledger.application.setup import SetupMixin
from ledger.application.snapshot_pace import SnapshotPace
from ledger.application.workflows import WorkflowsMixin
from ledger.application.writer_cache import WriterCache
from ledger.application.writer_lock import writer_lock_for
from ledger.audit.chain import ChainHead
from ledger.domain import errors
from ledger.domain import reviewer as reviewers
from ledger.domain.administration import administered, check_administers, check_in_subtree, places_of
from ledger.domain.aid_case import reverse_case_payment
from ledger.domain.context import Context
from ledger.domain.fund import Fund, transfer_between
from ledger.domain.login import Login, check_login, password_hash
from ledger.domain.money import format_amount
from ledger.domain.organisation import FundAtDissolution, Organisation
from ledger.domain.person import Person
from ledger.domain.public_text import PublicRegister
from ledger.domain.request_record import RequestRecord, fingerprint
from ledger.domain.user import SESSION_LIFETIME, ApiToken, User, new_token, token_hash
from ledger.projections import snapshots

TIMEZONE = ZoneInfo("Asia/Shanghai")
PERSONS_OF_USERS_MAX = 4096  # user id -> person id, kept for the most recent actors
FUND_OWNERS_MAX = 4096  # fund id -> owner org id (a fund's owner never changes)
AUTH_TYPES = (User, ApiToken, Organisation)  # a save of one empties the AuthCache (ADR 0190)
A = TypeVar("A", bound=Aggregate)


def shanghai_today() -> date:
    return datetime.now(TIMEZONE).date()


class DateAsISO(Transcoding):
    """Business dates as ISO text. The name is stored in every event: never rename it."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class UsersMixin:
    """Users, roles and tokens (a mixin of ``Ledger``: the same unit of work)."""

    def register_user(self: Ledger, *, actor: str, person_id: str, request_id: str | None = None) -> Recorded:
        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            person = self.person(person_id)
            user = User.register(ctx, person_id=str(person.id), name=person.name_zh)
            return [user], {"user_id": str(user.id)}

        return self.execute(
            "register_user", {"person_id": str(person_id)}, actor=actor, request_id=request_id, work=work
        )

    def user(self: Ledger, user_id: object) -> User:
        return self._load(User, user_id, lambda: errors.UserNotFound(user_id=str(user_id)))

    def change_role(
        self: Ledger,
        user_id: str,
        change: str,
        *,
        actor: str,
        role: str,
        org_id: str,
        request_id: str | None = None,
    ) -> Recorded:
        """grant or revoke a role for an organisation (and so its subtree)."""
        assert change in ("grant", "revoke"), change

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            user = self.user(user_id)
            org = self.organisation(org_id)
            acting = self._acting_user(actor)
            if acting is not None:
                check_in_subtree(acting, str(org.id), self._lineage(str(org.id)))
                self._check_administers(acting, user)
            getattr(user, change)(ctx, role=role, org_id=str(org.id))
            return [user], {"user_id": str(user.id), "role": role, "org_id": str(org.id)}

        args = {"user_id": str(user_id), "role": role, "org_id": str(org_id)}
        return self.execute(f"user.{change}", args, actor=actor, request_id=request_id, work=work)

    def issue_token(
        self: Ledger, user_id: str, *, actor: str, expires_at: datetime | None = None
    ) -> tuple[str, Recorded]:
        """A new token for the user: returned once, stored only as its hash. For the user
        themself, or by an administrator of everything the user stands for (ADR 0061)."""
        token = new_token()

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            user = self._administered_user(user_id, actor)
            record = user.issue_token(ctx, token, now=datetime.now(UTC), expires_at=expires_at)
            return [user, record], {"user_id": str(user.id), "token_id": str(record.id)}

        return token, self.execute(
            "issue_token", {"user_id": str(user_id)}, actor=actor, request_id=None, work=work
        )

    def issue_session(self: Ledger, user_id: str) -> str:
        """A console session: a token of the user's own that ends ``SESSION_LIFETIME`` after
        its issue, wherever it is presented (the cookie or an API bearer token)."""
        token, _ = self.issue_token(user_id, actor=user_id, expires_at=datetime.now(UTC) + SESSION_LIFETIME)
        return token

    def revoke_token(self: Ledger, token: str, *, actor: str) -> Recorded:
        """Revoke one token (a console session at sign-out): it no longer authenticates."""

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            record = self._token_record(token)
            record.revoke(ctx)
            return [record], {"user_id": record.user_id, "token_id": str(record.id)}

        return self.execute("revoke_token", {}, actor=actor, request_id=None, work=work)

    def revoke_token_id(self: Ledger, user_id: str, token_id: str, *, actor: str) -> Recorded:
        """Revoke one of a user's tokens by its id (a lost phone, a leaked token): it no longer
        authenticates, here or in any other process."""

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            user = self._administered_user(user_id, actor)
            if token_id not in user.token_ids:
                raise errors.TokenNotFound(token_id=token_id)
            record = self._load(ApiToken, token_id, lambda: errors.TokenNotFound(token_id=token_id))
            record.revoke(ctx, by_id=True)
            return [record], {"user_id": str(user.id), "token_id": str(record.id)}

        args = {"user_id": str(user_id), "token_id": token_id}
        return self.execute("revoke_token", args, actor=actor, request_id=None, work=work)

    def tokens(self: Ledger, user_id: str, *, actor: str) -> list[dict[str, Any]]:
        """A user's tokens, oldest first: id, when and by whom issued, until when, revoked or
        not (never a hash). Console sign-ins issue tokens too, so they are listed with the
        API's. For the user themself or an administrator of them (ADR 0061)."""
        user = self._administered_user(user_id, actor)
        out = []
        for token_id in user.token_ids:
            record = self._load(ApiToken, token_id, partial(errors.TokenNotFound, token_id=token_id))
            out.append(
                {
                    "token_id": token_id,
                    "issued_at": record.created_on.isoformat(),
                    "issued_by": record.issued_by,
                    "expires_at": None if record.expires_at is None else record.expires_at.isoformat(),
                    "revoked": record.revoked,
                }
            )
        return out

    def authenticate(self: Ledger, token: str | None, *, session: bool = False) -> User:
        """The user of a live token: not revoked, not past its expiry (a console session's
        included, however presented). ``session``: presented as the console's cookie, so an
        expired one is ``session_expired`` rather than ``token_expired``."""
        if not token:
            raise errors.AuthenticationRequired()
        key = ("token", token_hash(token))
        known = self._auth_cache.get(key)
        if known is None:  # read now; else as read less than FUNDBOOK_AUTH_CACHE_S ago (ADR 0190)
            generation = self._auth_cache.generation()
            record = self._token_record(token)
            known = (record, self.user(record.user_id))
            self._auth_cache.put(key, known, generation)
        record, user = known
        record.check_live(datetime.now(UTC), session=session)
        return user

    def _acting_user(self: Ledger, actor: str) -> User | None:
        """The user behind ``actor``; None for anything else: the operator at the machine (the
        CLI's "cli", a seed or import actor), who holds the database itself."""
        try:
            aggregate = self._get(UUID(actor))
        except (AggregateNotFoundError, ValueError):
            return None
        return aggregate if isinstance(aggregate, User) else None

    def _lineage(self: Ledger, org_id: str) -> list[str]:
        return [org_id, *self.ancestors(self.organisation(org_id))]

    def _check_administers(self: Ledger, acting: User, target: User) -> None:
        branch = self.person(target.person_id).branch_on(self.today())
        places = places_of(target, branch)
        at_root = any(self.organisation(org).parent_org_id is None for org in administered(acting))
        lineages = {org: self._lineage(org) for org in places}
        check_administers(acting, target, lineages, actor_at_root=at_root)

    def _administered_user(self: Ledger, user_id: str, actor: str) -> User:
        """The user ``user_id``, if ``actor`` is that user, the operator, or an administrator of
        everything the user stands for (``user_outside_subtree`` otherwise)."""
        user = self.user(user_id)
        acting = self._acting_user(actor)
        if acting is not None and acting.id != user.id:
            self._check_administers(acting, user)
        return user

    def set_password(self: Ledger, user_id: str, *, actor: str, login: str, password: str) -> Recorded:
        """An administrator sets a user's login name and password (stored as an scrypt hash)."""

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            user = self.user(user_id)
            try:
                record: Login = self._get(Login.create_id(check_login(login)))
                record.check_held_by(str(user.id), login)
                touched: list[Aggregate] = [user]
            except AggregateNotFoundError:
                record = Login(login=login.strip(), user_id=str(user.id), claimed_by=ctx.recorded_by)
                touched = [user, record]
            user.set_password(ctx, login=login.strip(), password=password)
            return touched, {"user_id": str(user.id), "login": login.strip()}

        args = {"user_id": str(user_id), "login": login}  # never the password
        return self.execute("set_password", args, actor=actor, request_id=None, work=work)

    def authenticate_password(self: Ledger, login: str, password: str) -> User:
        """The user whose login name and password these are, else ``password_invalid``."""
        try:
            record = self._get(Login.create_id(login or "-"))
        except AggregateNotFoundError:
            password_hash(password, b"0" * 16)  # as slow as a real check: no timing hint
            raise errors.PasswordInvalid() from None
        user = self.user(record.user_id)
        if not user.password_matches(login, password):
            raise errors.PasswordInvalid()
        if user.password_needs_rehash():
            self._rehash_password(str(user.id), password)
        return user

    def _rehash_password(self: Ledger, user_id: str, password: str) -> None:
        """The password just checked, hashed again with today's scrypt parameters (ADR 0062)."""

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            user = self.user(user_id)
            if not user.password_needs_rehash():  # another sign-in did it meanwhile
                return [], {"user_id": user_id}
            user.rehash_password(ctx, password=password)
            return [user], {"user_id": user_id}

        self.execute("rehash_password", {"user_id": user_id}, actor=user_id, request_id=None, work=work)

    def _token_record(self: Ledger, token: str) -> ApiToken:
        try:
            record = self._get(ApiToken.create_id(token_hash(token)))
        except AggregateNotFoundError:
            raise errors.TokenInvalid() from None
        if not isinstance(record, ApiToken):
            raise errors.TokenInvalid()
        return record

    def require(self: Ledger, user: User, role: str, org_id: str) -> None:
        """``role_required`` unless the user holds the role for the organisation or one above."""
        lineage = self._lineage_of(org_id)
        if not user.holds(role, lineage):
            raise errors.RoleRequired(role=role, org_id=lineage[0])

    def _lineage_of(self: Ledger, org_id: str) -> list[str]:
        """The organisation's id and its ancestors' ids; outside a unit of work as read less
        than FUNDBOOK_AUTH_CACHE_S ago (ADR 0190)."""
        if self._writing.held_here():
            return self._lineage_read(org_id)
        key = ("lineage", org_id)
        lineage = self._auth_cache.get(key)
        if lineage is None:
            generation = self._auth_cache.generation()
            lineage = self._lineage_read(org_id)
            self._auth_cache.put(key, lineage, generation)
        return lineage

    def _lineage_read(self: Ledger, org_id: str) -> list[str]:
        org = self.organisation(org_id)
        return [str(org.id), *self.ancestors(org)]

    def fund_owner(self: Ledger, fund_id: str) -> str:
        """The organisation that owns the fund (``fund_not_found`` if none): kept once read,
        since a fund's owner never changes."""
        try:
            return self._fund_owners.get(fund_id)
        except KeyError:
            owner = self.fund(fund_id).owner_org_id
            self._fund_owners.put(fund_id, owner)
            return owner


class Ledger(UsersMixin, WorkflowsMixin, DuesMixin, SetupMixin, ImportMixin, Application):
    name = "Ledger"  # frozen: it keys tracking positions and names the PostgreSQL tables
    snapshotting_intervals = {Fund: 200}  # noqa: RUF012 (the library's class attribute)
    retries_max = 10
    retry_backoff_s = 0.002

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        today: Callable[[], date] = shanghai_today,
        auth_cache_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        super().__init__(env)
        self.today = today
        self._auth_cache = AuthCache(auth_cache_s, clock)  # tokens, users, lineages (ADR 0190)
        self._fund_owners: LRUCache[str, str] = LRUCache(maxsize=FUND_OWNERS_MAX)
        self.writer_cache = WriterCache(self)  # current once per group (ADR 0191)
        self._snapshot_pace = SnapshotPace()  # further apart as a snapshot grows (ADR 0192)
        self._persons_of_users: LRUCache[str, str] = LRUCache(maxsize=PERSONS_OF_USERS_MAX)
        self._register_ids: tuple[int, list[UUID]] = (0, [])
        self._writing = WriteLock()
        # Readers (routes checking ownership and roles, pages) share one more cache, apart from
        # the writer's: see ``_get``.
        cache = self.repository.cache
        self._read_repository = Repository(
            self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=cache.maxsize if isinstance(cache, LRUCache) else None,
            fastforward=True,
            deepcopy_from_cache=False,
        )
        self.writer_lock = writer_lock_for(self.env)  # across processes: ledger/application/writer_lock.py
        self._committer = GroupCommitter(self, self._writing)
        self._chain = ChainHead()  # the chain over the log as far as this process has read it
        self._chain_lock = threading.Lock()

    def close(self) -> None:
        self.writer_lock.close()
        super().close()

    def construct_transcoder(self) -> Transcoder:
        transcoder = EventJSONTranscoder()  # the library's JSON, byte for byte, faster (ADR 0195)
        self.register_transcodings(transcoder)
        return transcoder

    def _record(self, processing_event: ProcessingEvent) -> list[Any]:
        """The library's save, then: a saved user, token or organisation empties the
        AuthCache (a revocation or a role change counts from the next request here), and the
        writer's cache knows the head it now reflects.

        A request's record is left out of the writer's cache: it is written once and read only
        by ``prior_request``, which goes to the store; kept, one per write filled the cache's
        1,000 places after a thousand writes and pushed out the funds and people read again
        (ADR 0219)."""
        aggregates = processing_event.aggregates
        records = {key: a for key, a in aggregates.items() if isinstance(a, RequestRecord)}
        for key in records:
            del aggregates[key]
        try:
            recordings = super()._record(processing_event)
        finally:
            aggregates.update(records)
        if any(isinstance(a, AUTH_TYPES) for a in processing_event.aggregates.values()):
            self._auth_cache.clear()
        self.writer_cache.saved(recordings)
        return recordings

    def register_transcodings(self, transcoder: Transcoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # --- the unit of work -------------------------------------------------------------------
    def execute(
        self,
        command: str,
        arguments: dict[str, Any],
        *,
        actor: str,
        request_id: str | None,
        work: Work,
        dry_run: bool = False,
    ) -> Recorded:
        """``dry_run``: check every rule as for real, then save nothing (a form's check step)."""
        ctx = Context(
            recorded_by=actor,
            today=self.today(),
            request_id=request_id,
            acting_person=self._acting_person(actor),
        )
        print_ = fingerprint(command, {**arguments, "actor": actor})
        if dry_run:
            return self._dry_run(command, print_, request_id, work, ctx)
        # One writer per process, and the commands that arrive together share one transaction
        # (ledger/application/group_commit.py); other processes still race, and the loser retries.
        # A close seals the log as it stands: it runs alone, and reads the chain head on every
        # attempt (ADR 0010).
        prepare = self._sealed if command in SEALING_COMMANDS else None
        return self._committer.submit(Unit(command, print_, actor, request_id, work, ctx, prepare=prepare))

    def _dry_run(
        self, command: str, print_: str, request_id: str | None, work: Work, ctx: Context
    ) -> Recorded:
        """Every check of the command, nothing saved (the console's check step). The work ran on
        cached aggregates, so the cache is dropped afterwards."""
        with self._writing:
            try:
                if request_id is not None:
                    prior = self.prior_request(request_id)
                    if prior is not None:
                        result = prior.check_same(command, print_)
                        return Recorded(result, self.recorder.max_notification_id(), replayed=True)
                _, result = work(ctx)
                return Recorded(result)
            finally:
                self.forget_cached()

    def _sealed(self, ctx: Context) -> Context:
        return replace(ctx, chain_head=self.chain_head())

    @contextmanager
    def _forgetting_on_failure(self) -> Iterator[None]:
        """Aggregates come from the cache without a copy: one changed by a unit of work that
        did not save (refused half-way, an unexpected error) must not be served again."""
        try:
            yield
        except BaseException:
            self.forget_cached()
            raise

    def forget_cached(self) -> None:
        # A new cache, not ``LRUCache.clear()``: in eventsourcing 9.5 that resets only the
        # recency list and keeps every entry.
        cache = self.repository.cache
        if isinstance(cache, LRUCache):
            self.repository.cache = LRUCache(maxsize=cache.maxsize)
        elif cache is not None:
            self.repository.cache = type(cache)()

    def chain_head(self) -> tuple[int, str]:
        """The hash chain's head (position, hash hex) over every event committed so far.

        Kept in memory and extended from the last position read, so a close costs the events
        written since the previous one (the first close after a start reads the whole log).
        The log below a committed position never changes (ids are assigned in commit order,
        see postgres_backend), so the head read here seals a prefix that later writers, in
        this or another process, cannot alter without breaking the chain (ADR 0010)."""
        with self._chain_lock:
            head = self._chain
            while page := self.recorder.select_notifications(
                start=head.position, limit=1000, inclusive_of_start=False
            ):
                rows = ((n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in page)
                head, _ = head.extend(rows)
            self._chain = head
            return head.position, head.hex

    def _acting_person(self, actor: str) -> str:
        """The person id behind ``actor``: a user id maps to its person (cached: a user's
        person never changes); anything else (a person id, "system") stands for itself."""
        try:
            person = self._persons_of_users.get(actor)
        except KeyError:
            try:
                aggregate = self._get(UUID(actor))
            except (AggregateNotFoundError, ValueError):
                return actor  # not cached: a user with this id may be registered later
            person = aggregate.person_id if isinstance(aggregate, User) else actor
            self._persons_of_users.put(actor, person)
        return person

    def prior_request(self, request_id: str) -> RequestRecord | None:
        """The first answer given to ``request_id``, read straight from the events table by its
        primary key: never through the snapshot store, whose rows can be large (issue 20: a
        miss there cost 79 ms under the write lock), nor the aggregate caches."""
        record = None
        for event in self.events.get(RequestRecord.create_id(request_id), lte=1):
            record = event.mutate(record)
        return record

    def _take_snapshots(self, processing_event: ProcessingEvent) -> None:
        """Snapshot a saved aggregate when its new events make one due (``SnapshotPace``: every
        interval, further apart as the snapshot grows, ADR 0192), from the object the writer
        just saved (at its new version) instead of the library's reload of the store at that
        version (a decode of the last snapshot and the events after it, under the write lock);
        then keep only that snapshot (ADR 0110)."""
        if self.snapshots is None:
            return
        taken = []
        for aggregate_id, aggregate in processing_event.aggregates.items():
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval is None:
                continue
            mine = (e.originator_version for e in processing_event.events if e.originator_id == aggregate_id)
            if self._snapshot_pace.due(aggregate_id, mine, interval):
                taken.append(type(aggregate).Snapshot.take(aggregate))
        if taken:
            stored = [self.snapshots.mapper.to_stored_event(snapshot) for snapshot in taken]
            self.snapshots.recorder.insert_events(stored)
            for record in stored:
                self._snapshot_pace.taken(record.originator_id, record.originator_version, len(record.state))
            snapshots.keep_latest(self.snapshots.recorder, [s.originator_id for s in taken])

    def take_snapshot(
        self, aggregate_id: UUID, version: int | None = None, projector_func: Any = project_aggregate
    ) -> None:
        """The library's snapshot, then the aggregate's older ones removed (one per aggregate)."""
        super().take_snapshot(aggregate_id, version, projector_func)
        if self.snapshots is not None:
            snapshots.keep_latest(self.snapshots.recorder, [aggregate_id])

    # --- loading ------------------------------------------------------------------------------
    def _get(self, aggregate_id: UUID) -> Any:
        """Every read of an aggregate. The writer's cache hands out the object the writer
        changes in place (no copy, ADR 0008), with its unsaved events on it while a unit of work
        runs; fast-forwarding that object from another thread took its version first and the
        events after it second, so an event saved in between was applied twice
        (``OriginatorVersionError``, seen as a 500 under 16 HTTP clients). So the thread that
        holds the write lock reads the writer's cache, and every other thread reads its own
        cache, which only ever holds saved events and never waits for the writer's commit."""
        if self._writing.held_here():
            return self.repository.get(aggregate_id)
        return self._read_repository.get(aggregate_id)

    def _load(self, cls: type[A], aggregate_id: object, not_found: Callable[[], errors.LedgerError]) -> A:
        try:
            uid = aggregate_id if isinstance(aggregate_id, UUID) else UUID(str(aggregate_id))
            aggregate = self._get(uid)
        except (AggregateNotFoundError, ValueError):
            raise not_found() from None
        if not isinstance(aggregate, cls):
            raise not_found()
        return aggregate

    def fund(self, fund_id: object) -> Fund:
        return self._load(Fund, fund_id, lambda: errors.FundNotFound(fund_id=str(fund_id)))

    def organisation(self, org_id: object) -> Organisation:
        return self._load(Organisation, org_id, lambda: errors.OrganisationNotFound(org_id=str(org_id)))

    def person(self, person_id: object) -> Person:
        return self._load(Person, person_id, lambda: errors.PersonNotFound(person_id=str(person_id)))

    def public_register(self) -> PublicRegister:
        """The full names of registered people who have not consented to public notice: a
        text to be printed on the board may not hold one (R34, ``public_text``)."""

        def names() -> list[str]:  # read only if a public text is given (most entries have none)
            people = [self.person(pid) for pid in self._person_ids()]
            return [p.name_zh for p in people if not p.public_notice]

        return PublicRegister(names)

    def _person_ids(self) -> list[UUID]:
        """Every registered person's id, in log order."""
        position, ids = self._register_ids
        while page := self.recorder.select_notifications(
            start=position, limit=1000, topics=[Person.Created.TOPIC], inclusive_of_start=False
        ):
            ids = ids + [n.originator_id for n in page]
            position = page[-1].id
        self._register_ids = (position, ids)  # people are never unregistered: read only what is new
        return ids

    def reviewers(self, fund: Fund, day: date) -> list[reviewers.Candidate]:
        """Who may sign 审核 on the fund's close on ``day`` (``ledger.domain.reviewer``)."""
        owner = self.organisation(fund.owner_org_id)
        orgs = [owner] + [self.organisation(oid) for oid in self.ancestors(owner)]
        offices = [(org.name_on(day), office) for org in orgs for office in org.offices]
        custodians = {p for p in (fund.holder("bookkeeper"), fund.holder("cashier")) if p}
        held = reviewers.qualified(offices, day, custodians)
        return [reviewers.Candidate(pid, self.person(pid).name_zh, tuple(at)) for pid, at in held.items()]

    def supervision_of(self, org_id: str) -> dict[str, str] | None:
        """The supervision channels a notice of ``org_id`` prints: its own, else the nearest
        organisation above it that has set them (None if none has)."""
        org = self.organisation(org_id)
        for candidate in [org] + [self.organisation(oid) for oid in self.ancestors(org)]:
            if candidate.supervision is not None:
                return candidate.supervision
        return None

    def _known_ids(self) -> set[str]:
        return {str(pid) for pid in self._person_ids()}

    def ancestors(self, org: Organisation) -> list[str]:
        """Ids of the current ancestors of an organisation, nearest first."""
        out: list[str] = []
        parent_id = org.parent_org_id
        while parent_id is not None and parent_id not in out:
            out.append(parent_id)
            parent_id = self.organisation(parent_id).parent_org_id
        return out

    def _funds_owned_by(self, org_id: str) -> list[FundAtDissolution]:
        """The funds an organisation owns, as R29 checks them (a dissolution is rare: every
        fund is looked at)."""
        out = []
        for fund_id in self.ids_of(Fund.Created.TOPIC):
            fund = self.fund(fund_id)
            if fund.owner_org_id == org_id:
                out.append(
                    FundAtDissolution(
                        str(fund.id), fund.first_open_period(), fund.balance_fen, fund.reserved_fen
                    )
                )
        return out

    def ids_of(self, topic: str) -> list[UUID]:
        """Ids of every aggregate created with the given creation topic, in log order."""
        out: list[UUID] = []
        position = 0
        while True:
            page = self.recorder.select_notifications(
                start=position, limit=1000, topics=[topic], inclusive_of_start=False
            )
            if not page:
                return out
            out.extend(n.originator_id for n in page)
            position = page[-1].id

    # --- organisations ------------------------------------------------------------------------
    def register_organisation(
        self,
        *,
        actor: str,
        request_id: str | None = None,
        kind: str,
        name_zh: str,
        parent_org_id: str | None = None,
        established_on: date,
        branch_kind: str | None = None,
        doc_ref: str | None = None,
        dry_run: bool = False,
    ) -> Recorded:
        args = dict(
            kind=kind,
            name_zh=name_zh,
            parent_org_id=parent_org_id,
            established_on=established_on,
            branch_kind=branch_kind,
            doc_ref=doc_ref,
        )

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            parent = self.organisation(parent_org_id) if parent_org_id is not None else None
            org = Organisation.register(
                ctx,
                kind=kind,
                name_zh=name_zh,
                parent=parent,
                established_on=established_on,
                branch_kind=branch_kind,
                doc_ref=doc_ref,
            )
            creator = self._acting_user(actor) if parent is None else None
            if creator is None:
                return [org], {"org_id": str(org.id)}
            # A new root has nobody above it whose admin covers it: whoever registered it
            # administers it, in the same transaction (else nobody could set it up, issue 17).
            creator.grant(ctx, role="admin", org_id=str(org.id))
            return [org, creator], {"org_id": str(org.id), "admin_user_id": str(creator.id)}

        return self.execute(
            "register_organisation", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def _acting_user(self, actor: str) -> User | None:
        """The user behind ``actor`` if it is a user id (the API's and the console's actors),
        else None (the CLI's "cli", an import's name, the demo)."""
        try:
            return self.user(actor)
        except errors.UserNotFound:
            return None

    def change_organisation(
        self,
        org_id: str,
        change: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kwargs: Any,
    ) -> Recorded:
        """rename, reparent, dissolve, appoint, end_office, set_stipend_terms or
        set_supervision_channels, by name."""
        assert change in ORGANISATION_CHANGES, change

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            org = self.organisation(org_id)
            if change == "reparent":
                new_parent_id = kwargs.pop("new_parent_org_id")
                parent = self.organisation(new_parent_id) if new_parent_id is not None else None
                ancestors = self.ancestors(parent) if parent is not None else []
                org.reparent(ctx, new_parent=parent, ancestors_of_new_parent=ancestors, **kwargs)
                kwargs["new_parent_org_id"] = new_parent_id
            elif change == "appoint":
                self.person(kwargs["person_id"])
                org.appoint(ctx, **kwargs)
            elif change == "dissolve":
                org.dissolve(ctx, **kwargs, funds=self._funds_owned_by(str(org.id)))
            elif change == "set_stipend_terms":
                fund = self.fund(kwargs["fund_id"])
                org.set_stipend_terms(
                    ctx,
                    **{**kwargs, "fund_id": str(fund.id)},
                    fund_owner_org_id=fund.owner_org_id,
                    fund_kind=fund.kind,
                    stipends_allowed=fund.policy["stipends_allowed"],
                )
            else:
                getattr(org, change)(ctx, **kwargs)
            return [org], {"org_id": str(org.id)}

        args = {"org_id": str(org_id), **kwargs}
        return self.execute(
            f"organisation.{change}", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    # --- people ---------------------------------------------------------------------------------
    def register_person(
        self,
        *,
        actor: str,
        request_id: str | None = None,
        name_zh: str,
        public_notice: bool = False,
        internal_notice: bool = False,
        consent_doc_ref: str | None = None,
        dry_run: bool = False,
    ) -> Recorded:
        args = dict(
            name_zh=name_zh,
            public_notice=public_notice,
            internal_notice=internal_notice,
            consent_doc_ref=consent_doc_ref,
        )

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            person = Person.register(ctx, **args)
            return [person], {"person_id": str(person.id)}

        return self.execute(
            "register_person", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def change_person(
        self,
        person_id: str,
        change: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kwargs: Any,
    ) -> Recorded:
        """change_consent, join_branch, transfer, leave_party or record_death, by name."""
        assert change in (
            "change_consent",
            "join_branch",
            "transfer",
            "leave_party",
            "record_death",
        )

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            person = self.person(person_id)
            if change == "join_branch":
                org = self.organisation(kwargs["org_id"])
                org.check_active(kwargs["effective_on"])
                person.join_branch(ctx, branch_kind_of_org=org.kind, **kwargs)
            elif change == "transfer":
                org = self.organisation(kwargs["to_org_id"])
                org.check_active(kwargs["effective_on"])
                person.transfer(ctx, to_kind=org.kind, **kwargs)
            else:
                getattr(person, change)(ctx, **kwargs)
            return [person], {"person_id": str(person.id)}

        args = {"person_id": str(person_id), **kwargs}
        return self.execute(
            f"person.{change}", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    # --- funds ----------------------------------------------------------------------------------
    def establish_fund(
        self,
        *,
        actor: str,
        request_id: str | None = None,
        owner_org_id: str,
        kind: str,
        name_zh: str,
        allowed_purposes: list[str],
        custody: dict[str, Any],
        established_on: date,
        policy: dict[str, Any] | None = None,
        charter_doc_ref: str | None = None,
        dry_run: bool = False,
    ) -> Recorded:
        args = dict(
            owner_org_id=owner_org_id,
            kind=kind,
            name_zh=name_zh,
            allowed_purposes=allowed_purposes,
            custody=custody,
            policy=policy,
            established_on=established_on,
            charter_doc_ref=charter_doc_ref,
        )

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            owner = self.organisation(owner_org_id)
            owner.check_active(established_on, "established_on")
            fund = Fund.establish(ctx, owner_kind=owner.kind, **{**args, "owner_org_id": str(owner.id)})
            return [fund], {"fund_id": str(fund.id)}

        return self.execute(
            "establish_fund", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def record(
        self,
        fund_id: str,
        command: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kwargs: Any,
    ) -> Recorded:
        """One command on one fund, by name: receive_donation, receive_grant, credit_interest,
        pay_expense, pay_stipend, move_cash, assign_custodian, hand_over_custody, close_period…"""
        assert command in FUND_COMMANDS, command

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            fund = self.fund(fund_id)
            if command in ("receive_donation", "pay_expense") and kwargs.get(_PERSON_ARG[command]):
                self.person(kwargs[_PERSON_ARG[command]])
            if command == "pay_stipend":
                self.person(kwargs["person_id"])
                owner = self.organisation(fund.owner_org_id)
                terms = owner.stipend_terms(
                    kwargs["person_id"], kwargs.get("role", "secretary"), str(fund.id)
                )
                voucher = fund.pay_stipend(ctx, in_office=owner.holds_office, terms=terms, **kwargs)
            elif command == "assign_custodian":
                self.person(kwargs["person_id"])
                voucher = fund.assign_custodian(ctx, **kwargs)
            elif command == "hand_over_custody":  # R22: both people are known to the ledger
                self.person(kwargs["to_person_id"])
                self.person(kwargs["supervisor_person_id"])
                voucher = fund.hand_over_custody(ctx, **kwargs)
            elif command in ("assess_fees", "pay_fee"):
                for person_id in kwargs.get("participants") or [kwargs.get("person_id")]:
                    self.person(person_id)
                voucher = getattr(fund, command)(ctx, **kwargs)
            elif command in PUBLIC_TEXT_COMMANDS:  # R34: what the board prints is checked
                voucher = getattr(fund, command)(ctx, register=self.public_register(), **kwargs)
            else:
                voucher = getattr(fund, command)(ctx, **kwargs)
            result: dict[str, Any] = {"fund_id": str(fund.id)}
            if voucher is not None:
                result["voucher_no"] = voucher
            if command == "close_period":
                result["period"] = kwargs["period"]
            if command == "hand_over_custody":
                result.update(_handover_result(fund.pending_events[-1]))
            if command == "settle_collection":
                result = {"fund_id": str(fund.id), "refund_vouchers": voucher}
            return [fund], result

        args = {"fund_id": str(fund_id), **kwargs}
        return self.execute(command, args, actor=actor, request_id=request_id, work=work, dry_run=dry_run)

    def transfer_between_funds(
        self,
        *,
        actor: str,
        request_id: str | None = None,
        from_fund_id: str,
        to_fund_id: str,
        occurred_on: date,
        amount_fen: int,
        decision_ref: str,
        doc_refs: list[str] | None = None,
        memo: str | None = None,
        dry_run: bool = False,
    ) -> Recorded:
        args = dict(
            from_fund_id=str(from_fund_id),
            to_fund_id=str(to_fund_id),
            occurred_on=occurred_on,
            amount_fen=amount_fen,
            decision_ref=decision_ref,
            doc_refs=doc_refs,
            memo=memo,
        )

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            source, target = self.fund(from_fund_id), self.fund(to_fund_id)
            out_no, in_no = transfer_between(
                ctx,
                source,
                target,
                occurred_on=occurred_on,
                amount_fen=amount_fen,
                decision_ref=decision_ref,
                doc_refs=doc_refs,
                memo=memo,
            )
            result = {
                "from_fund_id": str(source.id),
                "from_voucher_no": out_no,
                "to_fund_id": str(target.id),
                "to_voucher_no": in_no,
            }
            return [source, target], result

        return self.execute(
            "transfer_between_funds", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def reverse_entry(
        self,
        fund_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        voucher_no: str,
        occurred_on: date,
        reason: str,
        dry_run: bool = False,
    ) -> Recorded:
        """R7; a transfer voucher is reversed on both funds at once, so the pair stays whole; an
        aid payment together with its case, which is approved and unpaid again (ADR 0033)."""
        args = dict(fund_id=str(fund_id), voucher_no=voucher_no, occurred_on=occurred_on, reason=reason)

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            fund = self.fund(fund_id)
            case = self.aid_case_paid_by(fund, voucher_no)
            if case is not None:
                new_no = reverse_case_payment(
                    ctx, case, fund, voucher_no=case.voucher_no, occurred_on=occurred_on, reason=reason
                )
                return [fund, case], {"fund_id": str(fund.id), "voucher_no": new_no, "case_id": str(case.id)}
            new_no = fund.reverse_entry(ctx, voucher_no=voucher_no, occurred_on=occurred_on, reason=reason)
            original = fund.voucher(voucher_no.strip())  # it exists: the reversal was accepted
            result: dict[str, Any] = {"fund_id": str(fund.id), "voucher_no": new_no}
            touched: list[Aggregate] = [fund]
            if "counterpart_fund_id" in original:
                other = self.fund(original["counterpart_fund_id"])
                result["counterpart_voucher_no"] = other.reverse_entry(
                    ctx,
                    voucher_no=original["counterpart_voucher_no"],
                    occurred_on=occurred_on,
                    reason=reason,
                )
                result["counterpart_fund_id"] = str(other.id)
                touched.append(other)
            return touched, result

        return self.execute(
            "reverse_entry", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def close_periods_through(
        self,
        fund_id: str,
        *,
        actor: str,
        period: str,
        reviewed_by: str | None = None,
        request_id: str | None = None,
    ) -> Recorded:
        """Close every open month of a fund up to and including ``period``, in order."""
        args = dict(fund_id=str(fund_id), period=period, reviewed_by=reviewed_by)

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            fund = self.fund(fund_id)
            reviewer = reviewers.resolve(reviewed_by, self.reviewers(fund, ctx.today), self._known_ids())
            closed = fund.close_periods_through(ctx, period=period, reviewed_by=reviewer)
            return [fund], {"fund_id": str(fund.id), "closed": closed}

        return self.execute("close_periods_through", args, actor=actor, request_id=request_id, work=work)


SEALING_COMMANDS = frozenset({"close_period", "close_periods_through"})
ORGANISATION_CHANGES = ("rename", "reparent", "dissolve", "appoint", "end_office", "set_stipend_terms")
ORGANISATION_CHANGES = (
    "rename",
    "reparent",
    "dissolve",
    "appoint",
    "end_office",
    "set_stipend_terms",
    "set_supervision_channels",
)
PUBLIC_TEXT_COMMANDS = frozenset(
    {"receive_donation", "receive_grant", "credit_interest", "pay_expense", "move_cash"}
)
FUND_COMMANDS = (
    "receive_donation",
    "receive_grant",
    "credit_interest",
    "pay_expense",
    "pay_stipend",
    "move_cash",
    "assign_custodian",
    "hand_over_custody",
    "close_period",
    "assess_fees",
    "pay_fee",
    "settle_collection",
    "close_collection",
)


def _handover_result(event: Fund.CustodyHandedOver) -> dict[str, Any]:
    """Who handed over to whom, and the differences recorded (counted − book), as every API
    amount: a decimal string and its fen."""
    return {
        "role": event.role,
        "from_person_id": event.from_person_id,
        "to_person_id": event.to_person_id,
        "handed_over_on": event.handed_over_on.isoformat(),
        "cash_difference": _amount(event.cash_difference_fen),
        "bank_difference": _amount(event.bank_difference_fen),
    }


def _amount(fen: int) -> dict[str, Any]:
    return {"amount": format_amount(fen, thousands=False), "amount_fen": fen}


_PERSON_ARG = {"receive_donation": "donor_person_id", "pay_expense": "payee_person_id"}

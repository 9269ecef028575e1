"""Setting up an empty store (``fundbook init``, issue 17): the first organisation and its first
administrator, in one transaction (a mixin of ``Ledger``: the same unit of work).

The first administrator is a person with a user, the ``admin`` role over the new root, a login
and password for the console and one API token (returned once, only its hash is kept). The
store must hold no event at all: checked inside the unit of work, which holds the writer lock
of every process (``ledger/application/writer_lock.py``), so two inits cannot both find it empty.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from ledger.application.core import LedgerCore
from ledger.application.recorded import Recorded
from ledger.domain import errors
from ledger.domain.administration import check_in_subtree
from ledger.domain.context import Context
from ledger.domain.login import Login, check_login, check_password
from ledger.domain.organisation import Organisation
from ledger.domain.person import Person
from ledger.domain.user import User, new_token


class SetupMixin:
    def store_event_count(self: LedgerCore) -> int:
        return self.recorder.max_notification_id() or 0

    def check_store_empty(self: LedgerCore) -> None:
        """``store_not_empty`` unless the log holds no event."""
        events = self.store_event_count()
        if events:
            raise errors.StoreNotEmpty(events=events)

    def initialise(
        self: LedgerCore,
        *,
        actor: str,
        kind: str,
        name_zh: str,
        established_on: date,
        admin_name_zh: str,
        login: str,
        password: str,
        branch_kind: str | None = None,
    ) -> tuple[str, Recorded]:
        """The first organisation (a root) and its administrator; returns the token (shown once)
        and what was recorded. Refused as a whole, writing nothing, on a store that is not
        empty or on any bad field."""
        token = new_token()

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            self.check_store_empty()
            org = Organisation.register(
                ctx,
                kind=kind,
                name_zh=name_zh,
                parent=None,
                established_on=established_on,
                branch_kind=branch_kind,
            )
            person = Person.register(ctx, name_zh=admin_name_zh)
            user = User.register(ctx, person_id=str(person.id), name=person.name_zh)
            user.grant(ctx, role="admin", org_id=str(org.id))
            name = check_login(login)
            user.set_password(ctx, login=name, password=check_password(password))
            claim = Login(login=name, user_id=str(user.id), claimed_by=ctx.recorded_by)
            token_record = user.issue_token(ctx, token, now=datetime.now(UTC))
            result = {
                "org_id": str(org.id),
                "person_id": str(person.id),
                "user_id": str(user.id),
                "login": name,
                "token_id": str(token_record.id),
            }
            return [org, person, user, claim, token_record], result

        args = {  # never the password
            "kind": kind,
            "name_zh": name_zh,
            "established_on": established_on,
            "branch_kind": branch_kind,
            "admin_name_zh": admin_name_zh,
            "login": login,
        }
        return token, self.execute("initialise", args, actor=actor, request_id=None, work=work)

    def add_user(
        self: LedgerCore,
        *,
        actor: str,
        person_id: str,
        role: str,
        org_id: str,
        login: str | None = None,
        password: str | None = None,
        request_id: str | None = None,
        dry_run: bool = False,
    ) -> Recorded:
        """A person's login (made if the person has none), a role over an organisation and, if
        given, a console login name and password: one transaction (the console's user form)."""

        def work(ctx: Context) -> tuple[list[Aggregate], dict[str, Any]]:
            person = self.person(person_id)
            org = self.organisation(org_id)
            user = self.user_of_person(str(person.id))
            acting = self._acting_user(actor)
            if acting is not None:  # the same rule as change_role and issue_token (ADR 0061)
                check_in_subtree(acting, str(org.id), self._lineage(str(org.id)))
                if user is not None:  # an existing login: its roles and password are not ours to take
                    self._check_administers(acting, user)
            touched: list[Aggregate] = []
            if user is None:
                user = User.register(ctx, person_id=str(person.id), name=person.name_zh)
            user.grant(ctx, role=role, org_id=str(org.id))
            if login or password:
                touched.extend(self._login_claim(ctx, user, login or "", password or ""))
            return [user, *touched], {"user_id": str(user.id), "role": role, "org_id": org_id}

        args = {"person_id": person_id, "role": role, "org_id": org_id, "login": login}  # never the password
        return self.execute("add_user", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run)

    def user_of_person(self: LedgerCore, person_id: str) -> User | None:
        """The user of a person (a person has at most one login), else None."""
        for user_id in self.ids_of(User.Created.TOPIC):
            user = self.user(user_id)
            if user.person_id == person_id:
                return user
        return None

    def _login_claim(
        self: LedgerCore, ctx: Context, user: User, login: str, password: str
    ) -> list[Aggregate]:
        """Set the user's password under ``login``; the name's claim if it is new (a name held
        by another user is ``login_taken``)."""
        name = check_login(login)
        try:
            claim: Login = self._get(Login.create_id(name))
        except AggregateNotFoundError:
            user.set_password(ctx, login=name, password=password)
            return [Login(login=name, user_id=str(user.id), claimed_by=ctx.recorded_by)]
        claim.check_held_by(str(user.id), name)
        user.set_password(ctx, login=name, password=password)
        return []

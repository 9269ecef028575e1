"""Person: a member or resident, named once, shown masked (王*明) unless they consent.

A person's formal membership (组织关系) is a history: joined a branch, transferred to another
(the old membership ends the day before the new one starts), left the Party, or died. Every
amount a person gave or received stays attached to the person, and reports attribute it to the
branch the person belonged to on the business date (R30), so transfers never move history.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.context import Context, without_request_id
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.limits import (
    NAME_LEN_MAX,
    REF_LEN_MAX,
    check_choice,
    check_date,
    check_flag,
    check_not_future,
    check_optional_text,
    check_text,
)
from ledger.domain.periods import check_period

MEMBERSHIP_STATUSES = ("probationary", "full")
CATEGORIES = (
    "employed",
    "retired",
    "farmer",
    "student",
    "unemployed",
    "relief",
    "min_living_allowance",
    "annual_salary",
    "self_employed",
    "resident",
)
LEAVE_REASONS = ("deemed_lapsed", "expelled", "withdrew", "removed")


def mask_name(name: str) -> str:
    """王小明 → 王*明, 赵四 → 赵*, 欧阳明月 → 欧**月: keep the first and (from three
    characters) the last character, mask the rest."""
    name = name.strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


class Person(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:Person"

    class Created(Aggregate.Created):
        """PersonRegistered."""

        TOPIC = "fundbook:Person.Registered"
        name_zh: str
        display_mask: str
        public_notice: bool
        internal_notice: bool
        consent_doc_ref: str | None
        registered_on: date
        recorded_by: str
        request_id: str | None

    def __init__(
        self,
        name_zh: str,
        display_mask: str,
        public_notice: bool,
        internal_notice: bool,
        consent_doc_ref: str | None,
        registered_on: date,
        recorded_by: str,
        request_id: str | None,
    ) -> None:
        self.name_zh = name_zh
        self.display_mask = display_mask
        self.public_notice = public_notice
        self.internal_notice = internal_notice
        self.memberships: list[dict[str, Any]] = []
        self.deceased_on: date | None = None

    @classmethod
    def register(
        cls,
        ctx: Context,
        *,
        name_zh: str,
        public_notice: bool = False,
        internal_notice: bool = False,
        consent_doc_ref: str | None = None,
    ) -> Person:
        name = check_text("name_zh", name_zh, max_len=NAME_LEN_MAX)
        return cls(
            name_zh=name,
            display_mask=mask_name(name),
            public_notice=check_flag("public_notice", public_notice),
            internal_notice=check_flag("internal_notice", internal_notice) or public_notice,
            consent_doc_ref=check_optional_text("consent_doc_ref", consent_doc_ref, max_len=REF_LEN_MAX),
            registered_on=ctx.today,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    # --- reading ----------------------------------------------------------------------------
    @property
    def current_membership(self) -> dict[str, Any] | None:
        last = self.memberships[-1] if self.memberships else None
        return last if last is not None and last["to_date"] is None else None

    def branch_on(self, day: date) -> str | None:
        """The branch holding the person's formal membership on ``day``."""
        for membership in self.memberships:
            if membership["from_date"] <= day and (
                membership["to_date"] is None or day <= membership["to_date"]
            ):
                return membership["org_id"]
        return None

    def public_name(self) -> str:
        return self.name_zh if self.public_notice else self.display_mask

    # --- events ------------------------------------------------------------------------------
    class ConsentChanged(Aggregate.Event):
        TOPIC = "fundbook:Person.ConsentChanged"
        class_version = 2  # v2 adds request_id (v1: None)
        public_notice: bool
        internal_notice: bool
        doc_ref: str | None
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Person) -> None:
            aggregate.public_notice = self.public_notice
            aggregate.internal_notice = self.internal_notice

    class JoinedBranch(Aggregate.Event):
        TOPIC = "fundbook:Person.JoinedBranch"
        class_version = 2  # v2 adds request_id (v1: None)
        org_id: str
        membership_status: str
        category: str
        effective_on: date
        via: str
        letter_no: str | None
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Person) -> None:
            aggregate.memberships.append(
                {
                    "org_id": self.org_id,
                    "from_date": self.effective_on,
                    "to_date": None,
                    "status": self.membership_status,
                    "category": self.category,
                }
            )

    class Transferred(Aggregate.Event):
        TOPIC = "fundbook:Person.Transferred"
        class_version = 2  # v2 adds request_id (v1: None)
        from_org_id: str
        to_org_id: str
        effective_on: date
        letter_no: str | None
        dues_paid_through: str | None
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Person) -> None:
            current = aggregate.memberships[-1]
            current["to_date"] = self.effective_on - timedelta(days=1)
            aggregate.memberships.append(
                {
                    "org_id": self.to_org_id,
                    "from_date": self.effective_on,
                    "to_date": None,
                    "status": current["status"],
                    "category": current["category"],
                }
            )

    class LeftParty(Aggregate.Event):
        TOPIC = "fundbook:Person.LeftParty"
        class_version = 2  # v2 adds request_id (v1: None)
        reason: str
        effective_on: date
        doc_ref: str | None
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Person) -> None:
            aggregate.memberships[-1]["to_date"] = self.effective_on

    class Deceased(Aggregate.Event):
        TOPIC = "fundbook:Person.Deceased"
        class_version = 2  # v2 adds request_id (v1: None)
        died_on: date
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Person) -> None:
            aggregate.deceased_on = self.died_on
            if aggregate.memberships and aggregate.memberships[-1]["to_date"] is None:
                aggregate.memberships[-1]["to_date"] = self.died_on

    # --- commands ----------------------------------------------------------------------------
    def change_consent(
        self,
        ctx: Context,
        *,
        public_notice: bool,
        internal_notice: bool,
        doc_ref: str | None = None,
    ) -> None:
        self.trigger_event(
            Person.ConsentChanged,
            public_notice=check_flag("public_notice", public_notice),
            internal_notice=check_flag("internal_notice", internal_notice) or public_notice,
            doc_ref=check_optional_text("doc_ref", doc_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def join_branch(
        self,
        ctx: Context,
        *,
        branch_kind_of_org: str,
        org_id: str,
        effective_on: date,
        membership_status: str = "full",
        category: str = "retired",
        via: str = "admission",
        letter_no: str | None = None,
    ) -> None:
        self._check_alive()
        if branch_kind_of_org != "branch":
            raise errors.MembershipRequiresBranch()
        if self.current_membership is not None:
            raise errors.AlreadyAMember()
        effective_on = check_date("effective_on", effective_on)
        check_not_future("effective_on", effective_on, ctx.today)
        if self.memberships and effective_on <= self.memberships[-1]["to_date"]:
            raise errors.DatesOutOfOrder(field="effective_on", earlier_field="previous membership end")
        self.trigger_event(
            Person.JoinedBranch,
            org_id=org_id,
            membership_status=check_choice("membership_status", membership_status, MEMBERSHIP_STATUSES),
            category=check_choice("category", category, CATEGORIES),
            effective_on=effective_on,
            via=check_choice("via", via, ("admission", "transfer_in")),
            letter_no=check_optional_text("letter_no", letter_no, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def transfer(
        self,
        ctx: Context,
        *,
        to_kind: str,
        to_org_id: str,
        effective_on: date,
        letter_no: str | None = None,
        dues_paid_through: str | None = None,
    ) -> None:
        """组织关系转接: the old membership ends the day before the new one begins."""
        self._check_alive()
        current = self.current_membership
        if current is None:
            raise errors.NotAMember()
        if to_kind != "branch":
            raise errors.MembershipRequiresBranch()
        if to_org_id == current["org_id"]:
            raise errors.TransferToSameBranch()
        effective_on = check_date("effective_on", effective_on)
        check_not_future("effective_on", effective_on, ctx.today)
        if effective_on <= current["from_date"]:
            raise errors.DateBeforeMembership()
        if dues_paid_through is not None:
            check_period(dues_paid_through, "dues_paid_through")
        self.trigger_event(
            Person.Transferred,
            from_org_id=current["org_id"],
            to_org_id=to_org_id,
            effective_on=effective_on,
            letter_no=check_optional_text("letter_no", letter_no, max_len=REF_LEN_MAX),
            dues_paid_through=dues_paid_through,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def leave_party(
        self, ctx: Context, *, reason: str, effective_on: date, doc_ref: str | None = None
    ) -> None:
        self._check_alive()
        current = self.current_membership
        if current is None:
            raise errors.NotAMember()
        effective_on = check_date("effective_on", effective_on)
        check_not_future("effective_on", effective_on, ctx.today)
        if effective_on < current["from_date"]:
            raise errors.DateBeforeMembership()
        self.trigger_event(
            Person.LeftParty,
            reason=check_choice("reason", reason, LEAVE_REASONS),
            effective_on=effective_on,
            doc_ref=check_optional_text("doc_ref", doc_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def record_death(self, ctx: Context, *, died_on: date) -> None:
        self._check_alive()
        died_on = check_date("died_on", died_on)
        check_not_future("died_on", died_on, ctx.today)
        current = self.current_membership
        if current is not None and died_on < current["from_date"]:
            raise errors.DateBeforeMembership()
        self.trigger_event(
            Person.Deceased, died_on=died_on, recorded_by=ctx.recorded_by, request_id=ctx.request_id
        )

    def _check_alive(self) -> None:
        if self.deceased_on is not None:
            raise errors.PersonDeceased()

"""Organisation: a node of the Party tree or of the residents' (governance) tree.

Party: 区委 district_committee → 街道党工委 street_committee → 社区党委 community_committee →
党总支 general_branch → 党支部 branch → 党小组 party_group. Residents (the seeds' 区-街道-社区-
小组-网格): 区 district → 街道办事处 street_office → 居委会 residents_committee → 居民小组
residents_group → 网格 grid. The trees are never mixed. A node keeps its history — names, parents and
office holders with dates — because reports use the tree as it was on the business date (R30).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.context import Context, without_request_id
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.limits import (
    NAME_LEN_MAX,
    REASON_LEN_MAX,
    REF_LEN_MAX,
    check_choice,
    check_date,
    check_not_future,
    check_optional_text,
    check_text,
)
from ledger.domain.money import check_fen
from ledger.domain.periods import check_period, first_day, last_day, next_period, period_of

PARTY_KINDS = (
    "district_committee",
    "street_committee",
    "community_committee",
    "general_branch",
    "branch",
    "party_group",
)
GOVERNANCE_KINDS = ("district", "street_office", "residents_committee", "residents_group", "grid")
KINDS = PARTY_KINDS + GOVERNANCE_KINDS
# Each kind's name on paper and on screen (zh, en): the seeds' words for the levels.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "district_committee": ("区委", "District Party committee"),
    "street_committee": ("街道党工委", "Street Party working committee"),
    "community_committee": ("社区党委", "Community Party committee"),
    "general_branch": ("党总支", "General branch"),
    "branch": ("党支部", "Party branch"),
    "party_group": ("党小组（楼栋）", "Party group (building)"),
    "district": ("区", "District"),
    "street_office": ("街道办事处", "Street office"),
    "residents_committee": ("居委会（社区）", "Residents' committee (community)"),
    "residents_group": ("居民小组", "Residents' group"),
    "grid": ("网格", "Grid cell"),
}
# Nodes that are not accounting entities and so own no fund: a building's Party group, and a
# grid cell (a location tag only, docs/concepts/funds-model.md).
NOT_ACCOUNTING_ENTITIES = ("party_group", "grid")
BRANCH_KINDS = ("ordinary", "retiree", "joint", "temporary")
PHONE_LEN_MAX = 40
_PHONE = re.compile(r"[0-9０-９][0-9０-９\s\-()（）转]*")
OFFICE_ROLES = (
    "secretary",
    "deputy_secretary",
    "organising_member",
    "propaganda_member",
    "discipline_member",
    "bookkeeper",
    "cashier",
    "fund_committee_member",
    "oversight_member",
)
# Which kinds a node may sit under; None means it may be a root.
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    "district_committee": (None,),
    "street_committee": (None, "district_committee"),
    "community_committee": (None, "street_committee"),
    "general_branch": (None, "street_committee", "community_committee"),
    "branch": (None, "street_committee", "community_committee", "general_branch"),
    "party_group": ("branch",),
    "district": (None,),
    "street_office": (None, "district"),
    "residents_committee": (None, "street_office"),
    "residents_group": ("residents_committee",),
    "grid": ("residents_committee", "residents_group"),
}


def tree_of(kind: str) -> str:
    return "party" if kind in PARTY_KINDS else "governance"


def check_parent(kind: str, parent: Organisation | None, on: date) -> None:
    parent_kind = parent.kind if parent is not None else None
    if parent is not None and tree_of(parent.kind) != tree_of(kind):
        raise errors.ParentInOtherTree()
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise errors.ParentKindNotAllowed(kind=kind, parent_kind=parent_kind or "root")
    if parent is not None:
        parent.check_active(on, "established_on")


@dataclass(frozen=True)
class FundAtDissolution:
    """What R29 needs of each fund an organisation owns when it is dissolved."""

    fund_id: str
    first_open_period: str  # the first month whose books are not closed
    balance_fen: int
    reserved_fen: int


class Organisation(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:Organisation"

    class Created(Aggregate.Created):
        """OrganisationRegistered."""

        TOPIC = "fundbook:Organisation.Registered"
        kind: str
        branch_kind: str | None
        name_zh: str
        parent_org_id: str | None
        established_on: date
        doc_ref: str | None
        recorded_by: str
        request_id: str | None

    def __init__(
        self,
        kind: str,
        branch_kind: str | None,
        name_zh: str,
        parent_org_id: str | None,
        established_on: date,
        doc_ref: str | None,
        recorded_by: str,
        request_id: str | None,
    ) -> None:
        self.kind = kind
        self.tree = tree_of(kind)
        self.branch_kind = branch_kind
        self.established_on = established_on
        self.names: list[list[Any]] = [[established_on, name_zh]]
        self.parents: list[list[Any]] = [[established_on, parent_org_id]]
        self.dissolved_on: date | None = None
        self.offices: list[dict[str, Any]] = []

    @classmethod
    def register(
        cls,
        ctx: Context,
        *,
        kind: str,
        name_zh: str,
        parent: Organisation | None,
        established_on: date,
        branch_kind: str | None = None,
        doc_ref: str | None = None,
    ) -> Organisation:
        kind = check_choice("kind", kind, KINDS)
        established_on = check_date("established_on", established_on)
        check_not_future("established_on", established_on, ctx.today)
        if kind == "branch":
            branch_kind = check_choice("branch_kind", branch_kind or "ordinary", BRANCH_KINDS)
        elif branch_kind is not None:
            raise errors.ValueNotAllowed(
                field="branch_kind", value=branch_kind, allowed="(only for branches)"
            )
        check_parent(kind, parent, established_on)
        return cls(
            kind=kind,
            branch_kind=branch_kind,
            name_zh=check_text("name_zh", name_zh, max_len=NAME_LEN_MAX),
            parent_org_id=str(parent.id) if parent is not None else None,
            established_on=established_on,
            doc_ref=check_optional_text("doc_ref", doc_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    # --- reading ----------------------------------------------------------------------------
    @property
    def name_zh(self) -> str:
        return self.names[-1][1]

    @property
    def parent_org_id(self) -> str | None:
        return self.parents[-1][1]

    def name_on(self, day: date) -> str:
        return _as_of(self.names, day) or self.names[0][1]

    def parent_on(self, day: date) -> str | None:
        return _as_of(self.parents, day)

    def is_active(self, day: date) -> bool:
        return day >= self.established_on and (self.dissolved_on is None or day < self.dissolved_on)

    def check_active(self, day: object, field: str = "effective_on") -> None:
        day = check_date(field, day)
        if self.dissolved_on is not None and day >= self.dissolved_on:
            raise errors.OrganisationDissolved(org_id=str(self.id))
        if day < self.established_on:
            raise errors.DateBeforeEstablished(
                date=day.isoformat(), established_on=self.established_on.isoformat()
            )

    def holds_office(self, person_id: str, month: str, role: str | None = None) -> bool:
        """True if the person held the office (any, or ``role``) on any day of the month."""
        start, end = first_day(month), last_day(month)
        for office in self.offices:
            if office["person_id"] != person_id or (role and office["role"] != role):
                continue
            if office["from_date"] <= end and (office["to_date"] is None or office["to_date"] >= start):
                return True
        return False

    def current_office(self, person_id: str, role: str) -> dict[str, Any] | None:
        for office in self.offices:
            if office["person_id"] == person_id and office["role"] == role and office["to_date"] is None:
                return office
        return None

    # --- events ------------------------------------------------------------------------------
    class Renamed(Aggregate.Event):
        TOPIC = "fundbook:Organisation.Renamed"
        class_version = 2  # v2 adds request_id (v1: None)
        name_zh: str
        effective_on: date
        doc_ref: str | None
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Organisation) -> None:
            aggregate.names.append([self.effective_on, self.name_zh])

    class Reparented(Aggregate.Event):
        TOPIC = "fundbook:Organisation.Reparented"
        class_version = 2  # v2 adds request_id (v1: None)
        new_parent_org_id: str | None
        effective_on: date
        doc_ref: str | None
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Organisation) -> None:
            aggregate.parents.append([self.effective_on, self.new_parent_org_id])

    class Dissolved(Aggregate.Event):
        TOPIC = "fundbook:Organisation.Dissolved"
        class_version = 2  # v2 adds request_id (v1: None)
        effective_on: date
        doc_ref: str | None
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Organisation) -> None:
            aggregate.dissolved_on = self.effective_on

    class OfficeHolderAppointed(Aggregate.Event):
        TOPIC = "fundbook:Organisation.OfficeHolderAppointed"
        class_version = 2  # v2 adds request_id (v1: None)
        person_id: str
        role: str
        from_date: date
        term_end: date | None
        doc_ref: str | None
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Organisation) -> None:
            aggregate.offices.append(
                {
                    "person_id": self.person_id,
                    "role": self.role,
                    "from_date": self.from_date,
                    "to_date": None,
                    "term_end": self.term_end,
                    "stipend": None,
                }
            )

    class OfficeHolderLeft(Aggregate.Event):
        TOPIC = "fundbook:Organisation.OfficeHolderLeft"
        class_version = 2  # v2 adds request_id (v1: None)
        person_id: str
        role: str
        to_date: date
        reason: str | None
        recorded_by: str
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: Organisation) -> None:
            office = aggregate.current_office(self.person_id, self.role)
            assert office is not None
            office["to_date"] = self.to_date

    class SupervisionChannelsSet(Aggregate.Event):
        """Where residents object to a notice (issue 16): printed on every notice it issues."""

        TOPIC = "fundbook:Organisation.SupervisionChannelsSet"
        phone: str
        opinion_box: str
        discipline_title: str
        recorded_by: str
        request_id: str | None

        def apply(self, aggregate: Organisation) -> None:
            aggregate.__dict__["supervision"] = {
                "phone": self.phone,
                "opinion_box": self.opinion_box,
                "discipline_title": self.discipline_title,
            }

    @property
    def supervision(self) -> dict[str, str] | None:
        """The supervision channels (监督电话, 意见箱, 纪检委员), if set (snapshots before: None)."""
        return self.__dict__.get("supervision")

    def set_supervision_channels(
        self, ctx: Context, *, phone: str, opinion_box: str, discipline_title: str
    ) -> None:
        """监督电话 (digits, spaces, hyphens, parentheses, an extension), where the 意见箱 is, and
        the title of whom to tell (纪检委员): all three, since a notice prints all three."""
        phone = check_text("phone", phone, max_len=PHONE_LEN_MAX)
        if not _PHONE.fullmatch(phone):
            raise errors.ValueNotAllowed(field="phone", value=phone, allowed="digits, spaces, - ( ) 转")
        self.trigger_event(
            Organisation.SupervisionChannelsSet,
            phone=phone,
            opinion_box=check_text("opinion_box", opinion_box, max_len=NAME_LEN_MAX),
            discipline_title=check_text("discipline_title", discipline_title, max_len=NAME_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    class StipendTermsSet(Aggregate.Event):
        """工作补贴: what an office holder is paid a month, from which month, by which fund."""

        TOPIC = "fundbook:Organisation.StipendTermsSet"
        person_id: str
        role: str
        monthly_fen: int
        from_month: str
        fund_id: str
        doc_ref: str | None
        recorded_by: str

        def apply(self, aggregate: Organisation) -> None:
            office = aggregate.current_office(self.person_id, self.role)
            assert office is not None
            office["stipend"] = {
                "monthly_fen": self.monthly_fen,
                "from_month": self.from_month,
                "fund_id": self.fund_id,
            }

    # --- stipend schedules (issue 5) ---------------------------------------------------------
    def set_stipend_terms(
        self,
        ctx: Context,
        *,
        person_id: str,
        role: str,
        monthly_fen: int,
        from_month: str,
        fund_id: str,
        fund_owner_org_id: str,
        fund_kind: str,
        stipends_allowed: bool,
        doc_ref: str | None = None,
    ) -> None:
        """Terms of the person's current office: paid by a fund of this organisation that may
        pay stipends (R12), from a month within the office."""
        role = check_choice("role", role, OFFICE_ROLES)
        office = self.current_office(person_id, role)
        if office is None:
            raise errors.OfficeNotHeld()
        if office.get("stipend") is not None:
            raise errors.StipendTermsAlreadySet()
        monthly_fen = check_fen(monthly_fen)
        from_month = check_period(from_month, "from_month")
        if from_month < period_of(office["from_date"]):
            raise errors.DatesOutOfOrder(field="from_month", earlier_field="from_date")
        if fund_owner_org_id != str(self.id):
            raise errors.StipendFundNotOfOrganisation()
        if fund_kind == "mutual_aid":
            raise errors.StipendNotAllowedFromMutualAid()
        if not stipends_allowed:
            raise errors.StipendNotAllowedByPolicy()
        self.trigger_event(
            Organisation.StipendTermsSet,
            person_id=person_id,
            role=role,
            monthly_fen=monthly_fen,
            from_month=from_month,
            fund_id=fund_id,
            doc_ref=check_optional_text("doc_ref", doc_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
        )

    def stipend_terms(self, person_id: str, role: str, fund_id: str) -> dict[str, Any] | None:
        """The terms (with the office's dates) under which ``fund_id`` pays this person."""
        for office in reversed(self.offices):
            terms = office.get("stipend")
            mine = office["person_id"] == person_id and office["role"] == role
            if mine and terms is not None and terms["fund_id"] == fund_id:
                return {**terms, "office": office}
        return None

    @staticmethod
    def months_due(terms: dict[str, Any], through: str) -> list[str]:
        """Every month from the terms' first through ``through``, stopping at the end of the term
        (``term_end``) or the day the office was left, whichever is first."""
        office = terms["office"]
        last = through
        for end in (office["to_date"], office["term_end"]):
            if end is not None:
                last = min(last, period_of(end))
        months: list[str] = []
        month = terms["from_month"]
        while month <= last:
            months.append(month)
            month = next_period(month)
        return months

    # --- commands ----------------------------------------------------------------------------
    def rename(self, ctx: Context, *, name_zh: str, effective_on: date, doc_ref: str | None = None) -> None:
        effective_on = self._check_change_date(ctx, effective_on)
        self.trigger_event(
            Organisation.Renamed,
            name_zh=check_text("name_zh", name_zh, max_len=NAME_LEN_MAX),
            effective_on=effective_on,
            doc_ref=check_optional_text("doc_ref", doc_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def reparent(
        self,
        ctx: Context,
        *,
        new_parent: Organisation | None,
        ancestors_of_new_parent: list[str],
        effective_on: date,
        doc_ref: str | None = None,
    ) -> None:
        effective_on = self._check_change_date(ctx, effective_on)
        check_parent(self.kind, new_parent, effective_on)
        if new_parent is not None and str(self.id) in [
            str(new_parent.id),
            *ancestors_of_new_parent,
        ]:
            raise errors.OrganisationCycle()
        self.trigger_event(
            Organisation.Reparented,
            new_parent_org_id=str(new_parent.id) if new_parent is not None else None,
            effective_on=effective_on,
            doc_ref=check_optional_text("doc_ref", doc_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def dissolve(
        self, ctx: Context, *, effective_on: date, doc_ref: str, funds: Sequence[FundAtDissolution]
    ) -> None:
        """R29: every fund the organisation owns must have its books closed for every month
        before the effective date, and hold nothing (its balance transferred or closed by a
        recorded decision) before the organisation is dissolved."""
        if self.dissolved_on is not None:
            raise errors.OrganisationDissolved(org_id=str(self.id))
        effective_on = self._check_change_date(ctx, effective_on)
        for fund in funds:
            if fund.first_open_period < period_of(effective_on):
                raise errors.OrganisationFundNotClosed(fund_id=fund.fund_id, period=fund.first_open_period)
            if fund.balance_fen or fund.reserved_fen:
                amount = fund.balance_fen or fund.reserved_fen
                raise errors.OrganisationFundHoldsMoney(fund_id=fund.fund_id, amount_fen=amount)
        self.trigger_event(
            Organisation.Dissolved,
            effective_on=effective_on,
            doc_ref=check_text("doc_ref", doc_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def appoint(
        self,
        ctx: Context,
        *,
        person_id: str,
        role: str,
        from_date: date,
        term_end: date | None = None,
        doc_ref: str | None = None,
    ) -> None:
        role = check_choice("role", role, OFFICE_ROLES)
        from_date = check_date("from_date", from_date)
        check_not_future("from_date", from_date, ctx.today)
        self.check_active(from_date, "from_date")
        if term_end is not None and check_date("term_end", term_end) < from_date:
            raise errors.DatesOutOfOrder(field="term_end", earlier_field="from_date")
        if self.current_office(person_id, role) is not None:
            raise errors.OfficeAlreadyHeld()
        self.trigger_event(
            Organisation.OfficeHolderAppointed,
            person_id=person_id,
            role=role,
            from_date=from_date,
            term_end=term_end,
            doc_ref=check_optional_text("doc_ref", doc_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def end_office(
        self, ctx: Context, *, person_id: str, role: str, to_date: date, reason: str | None = None
    ) -> None:
        office = self.current_office(person_id, role)
        if office is None:
            raise errors.OfficeNotHeld()
        to_date = check_date("to_date", to_date)
        check_not_future("to_date", to_date, ctx.today)
        if to_date < office["from_date"]:
            raise errors.DatesOutOfOrder(field="to_date", earlier_field="from_date")
        self.trigger_event(
            Organisation.OfficeHolderLeft,
            person_id=person_id,
            role=role,
            to_date=to_date,
            reason=check_optional_text("reason", reason, max_len=REASON_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def _check_change_date(self, ctx: Context, effective_on: object) -> date:
        day = check_date("effective_on", effective_on)
        check_not_future("effective_on", day, ctx.today)
        self.check_active(day)
        return day


def _as_of(history: list[list[Any]], day: date) -> Any:
    """The value in force on ``day`` in a list of [effective date, value], oldest first."""
    value = None
    for effective_on, item in sorted(history, key=lambda h: h[0]):
        if effective_on <= day:
            value = item
    return value

"""AidRoll: the roll of a mutual-aid association (互助会会员名册), one per mutual-aid fund.

"基金会共有会员128名" counts the people who joined the association, not whoever happened to give:
a member enrols on a day and may leave on a later one (and enrol again after). The
association's charter sets each year's contribution (年度会费: an amount and a due date). A
member owes a year's contribution when on the roll on that year's due date; it is **paid** by
donations to the fund linked to it (the voucher that paid it is named), or **waived** for
hardship by an approver of the fund's organisation (who approved is recorded; never for their
own). What was paid is counted by the views from the linked vouchers that stand (a reversed
donation pays nothing), so the roll itself never needs to hear of a reversal.

Contributions are donations like any other in the books (R: donations are voluntary; the ledger
never refuses a gift for being below the contribution): the roll only says who owes what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.fund import Fund
from ledger.domain.limits import REASON_LEN_MAX, REF_LEN_MAX, check_date, check_not_future, check_text
from ledger.domain.money import check_fen

_NAMESPACE = uuid5(NAMESPACE_URL, "https://fundbook.invalid/aid-roll")
YEAR_MIN, YEAR_MAX = 1949, 2999


@dataclass(frozen=True)
class Stint:
    """One time on the roll: from the day enrolled to the day left (inclusive), or open."""

    enrolled_on: date
    left_on: date | None = None

    def covers(self, day: date) -> bool:
        return self.enrolled_on <= day and (self.left_on is None or day <= self.left_on)


class AidRoll(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:AidRoll"

    class Created(Aggregate.Created):
        """RollOpened: the roll of the fund's association, opened by its first command."""

        TOPIC = "fundbook:AidRoll.Opened"
        fund_id: str
        owner_org_id: str
        fund_established_on: date
        opened_on: date
        opened_by: str

    def __init__(
        self, fund_id: str, owner_org_id: str, fund_established_on: date, opened_on: date, opened_by: str
    ) -> None:
        self.fund_id = fund_id
        self.owner_org_id = owner_org_id
        self.fund_established_on = fund_established_on
        self.charges: dict[int, tuple[int, date]] = {}  # year → (amount fen, due date)
        self.stints: dict[str, list[Stint]] = {}
        self.waived: set[tuple[str, int]] = set()

    @staticmethod
    def create_id(fund_id: str) -> UUID:
        return roll_id(fund_id)

    @classmethod
    def open(cls, ctx: Context, fund: Fund) -> AidRoll:
        if fund.kind != "mutual_aid":
            raise errors.RollNeedsMutualAidFund(fund_id=str(fund.id), kind=fund.kind)
        return cls(
            fund_id=str(fund.id),
            owner_org_id=fund.owner_org_id,
            fund_established_on=fund.established_on,
            opened_on=ctx.today,
            opened_by=ctx.recorded_by,
        )

    # --- the charter's yearly contribution --------------------------------------------------
    class ContributionSet(Aggregate.Event):
        TOPIC = "fundbook:AidRoll.ContributionSet"
        fund_id: str
        year: int
        amount_fen: int
        due_on: date
        charter_ref: str
        set_by: str
        request_id: str | None

        def apply(self, roll: AidRoll) -> None:
            roll.charges[self.year] = (self.amount_fen, self.due_on)

    def set_contribution(
        self, ctx: Context, *, year: int, amount_fen: int, due_on: date, charter_ref: str
    ) -> None:
        year = check_year(year)
        due_on = check_date("due_on", due_on)
        if due_on.year != year:
            raise errors.RollDueDateOutsideYear(year=year, due_on=due_on.isoformat())
        if year in self.charges:
            raise errors.RollContributionAlreadySet(year=year)
        self.trigger_event(
            AidRoll.ContributionSet,
            fund_id=self.fund_id,
            year=year,
            amount_fen=check_fen(amount_fen),
            due_on=due_on,
            charter_ref=check_text("charter_ref", charter_ref, max_len=REF_LEN_MAX),
            set_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    # --- enrol and leave -----------------------------------------------------------------------
    class MemberEnrolled(Aggregate.Event):
        TOPIC = "fundbook:AidRoll.MemberEnrolled"
        fund_id: str
        person_id: str
        enrolled_on: date
        recorded_by: str
        request_id: str | None

        def apply(self, roll: AidRoll) -> None:
            roll.stints.setdefault(self.person_id, []).append(Stint(self.enrolled_on))

    def enrol(self, ctx: Context, *, person_id: str, enrolled_on: date) -> None:
        enrolled_on = check_date("enrolled_on", enrolled_on)
        check_not_future("enrolled_on", enrolled_on, ctx.today)
        if enrolled_on < self.fund_established_on:
            raise errors.DatesOutOfOrder(field="enrolled_on", earlier_field="fund.established_on")
        stints = self.stints.get(person_id, [])
        if stints and stints[-1].left_on is None:
            raise errors.RollMemberAlreadyEnrolled(
                person_id=person_id, enrolled_on=stints[-1].enrolled_on.isoformat()
            )
        if stints and enrolled_on <= stints[-1].left_on:  # type: ignore[operator]
            raise errors.DatesOutOfOrder(field="enrolled_on", earlier_field="left_on")
        self.trigger_event(
            AidRoll.MemberEnrolled,
            fund_id=self.fund_id,
            person_id=person_id,
            enrolled_on=enrolled_on,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    class MemberLeft(Aggregate.Event):
        TOPIC = "fundbook:AidRoll.MemberLeft"
        fund_id: str
        person_id: str
        left_on: date
        reason: str
        recorded_by: str
        request_id: str | None

        def apply(self, roll: AidRoll) -> None:
            last = roll.stints[self.person_id][-1]
            roll.stints[self.person_id][-1] = Stint(last.enrolled_on, self.left_on)

    def leave(self, ctx: Context, *, person_id: str, left_on: date, reason: str) -> None:
        left_on = check_date("left_on", left_on)
        check_not_future("left_on", left_on, ctx.today)
        stints = self.stints.get(person_id, [])
        if not stints or stints[-1].left_on is not None:
            raise errors.RollMemberNotEnrolled(person_id=person_id)
        if left_on < stints[-1].enrolled_on:
            raise errors.DatesOutOfOrder(field="left_on", earlier_field="enrolled_on")
        self.trigger_event(
            AidRoll.MemberLeft,
            fund_id=self.fund_id,
            person_id=person_id,
            left_on=left_on,
            reason=check_text("reason", reason, max_len=REASON_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def on_roll(self, person_id: str, day: date) -> bool:
        return any(stint.covers(day) for stint in self.stints.get(person_id, []))

    def check_owes(self, person_id: str, year: int) -> None:
        """The year's contribution is set and the person was on the roll on its due date."""
        year = check_year(year)
        if year not in self.charges:
            raise errors.RollContributionNotSet(year=year)
        if not self.on_roll(person_id, self.charges[year][1]):
            raise errors.RollMemberOwesNothing(person_id=person_id, year=year)
        if (person_id, year) in self.waived:
            raise errors.RollContributionWaived(person_id=person_id, year=year)

    # --- waivers and payments -----------------------------------------------------------------
    class ContributionWaived(Aggregate.Event):
        """A hardship waiver (困难减免): who approved it, when, and why (internal)."""

        TOPIC = "fundbook:AidRoll.ContributionWaived"
        fund_id: str
        person_id: str
        year: int
        reason_private: str
        approved_by: str
        approved_on: date
        request_id: str | None

        def apply(self, roll: AidRoll) -> None:
            roll.waived.add((self.person_id, self.year))

    def waive(
        self, ctx: Context, *, person_id: str, year: int, reason: str, holds_approver_role: bool
    ) -> None:
        self.check_owes(person_id, year)
        if not holds_approver_role:
            raise errors.RollWaiverNeedsApprover()
        if ctx.person == person_id:
            raise errors.RollWaiverOfOwnContribution()
        self.trigger_event(
            AidRoll.ContributionWaived,
            fund_id=self.fund_id,
            person_id=person_id,
            year=year,
            reason_private=check_text("reason", reason, max_len=REASON_LEN_MAX),
            approved_by=ctx.person,
            approved_on=ctx.today,
            request_id=ctx.request_id,
        )

    class ContributionPaid(Aggregate.Event):
        """A donation voucher of the fund counted towards a member's contribution for a year."""

        TOPIC = "fundbook:AidRoll.ContributionPaid"
        fund_id: str
        person_id: str
        year: int
        voucher_no: str
        amount_fen: int
        paid_on: date
        recorded_by: str
        request_id: str | None

    def record_payment(
        self, ctx: Context, *, person_id: str, year: int, voucher_no: str, amount_fen: int, paid_on: date
    ) -> None:
        """``voucher_no``: the donation just recorded in the same unit of work (the caller
        saves the fund and the roll together), so it is the member's, of this fund, standing."""
        self.check_owes(person_id, year)
        if paid_on.year != year:
            raise errors.RollPaymentOutsideYear(year=year, paid_on=paid_on.isoformat())
        self.trigger_event(
            AidRoll.ContributionPaid,
            fund_id=self.fund_id,
            person_id=person_id,
            year=year,
            voucher_no=voucher_no,
            amount_fen=amount_fen,
            paid_on=paid_on,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )


def roll_id(fund_id: str) -> UUID:
    """The roll's id, from its fund's: the roll is found without a lookup."""
    return uuid5(_NAMESPACE, str(fund_id))


def check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise errors.ValueNotAllowed(field="year", value=str(year), allowed=f"{YEAR_MIN}..{YEAR_MAX}")
    return year

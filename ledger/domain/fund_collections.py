"""Collections (活动费, AA制, 集资: participants' money held for a purpose; R32), a mixin of ``Fund``.

A fund of kind ``collection`` assesses what each participant owes (an equal split of a target or
a fee per head), takes their payments, and is settled (多退少补: the surplus refunded by the
recorded rule, each refund a voucher) before it is closed. The payments and refunds are the
fund's vouchers (``Fund.FeePaid``, ``Fund.RefundPaid`` in ``fund.py``, posted like every other);
the assessment, the settlement and the closing are here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.fund_core import FundCore
from ledger.domain.limits import REF_LEN_MAX, check_choice, check_optional_text, check_text

FEE_BASES = ("equal_split", "per_head")
REFUND_RULES = ("pro_rata", "equal")
PARTICIPANTS_MAX = 500


class Collection:
    """The events and commands of a collection; ``Fund`` inherits them (its events are ``Fund.X``)."""

    # --- collections (活动费, AA制, 集资: participants' money held for a purpose; R32) --------
    class FeeAssessed(Aggregate.Event):
        """What each participant owes: an equal split of a target, or a fixed fee per head."""

        TOPIC = "fundbook:Fund.FeeAssessed"
        basis: str
        target_fen: int | None
        fee_fen: int | None
        participants: list[dict[str, Any]]  # {"person_id", "owed_fen"}
        assessed_on: date
        recorded_by: str
        request_id: str | None

        def apply(self, aggregate: FundCore) -> None:
            for row in self.participants:
                aggregate.fees[row["person_id"]] = {"owed": row["owed_fen"], "paid": 0, "refunded": 0}

    class CollectionSettled(Aggregate.Event):
        TOPIC = "fundbook:Fund.CollectionSettled"
        rule: str
        receipts_fen: int
        expenses_fen: int
        surplus_fen: int
        shortfall_fen: int
        refunds: list[dict[str, Any]]  # {"person_id", "amount_fen", "voucher_no"}
        settled_on: date
        recorded_by: str
        request_id: str | None

        def apply(self, aggregate: FundCore) -> None:
            aggregate.settled = True

    class CollectionClosed(Aggregate.Event):
        TOPIC = "fundbook:Fund.CollectionClosed"
        closed_on: date
        recorded_by: str
        request_id: str | None

        def apply(self, aggregate: FundCore) -> None:
            aggregate.collection_closed = True

    # --- commands: collections ------------------------------------------------------------------
    def _check_collection(self: FundCore) -> None:
        if self.kind != "collection":
            raise errors.FundNotACollection()
        if self.settled:
            raise errors.CollectionAlreadySettled()

    def assess_fees(
        self: FundCore,
        ctx: Context,
        *,
        basis: str,
        participants: list[str],
        target_fen: int | None = None,
        fee_fen: int | None = None,
    ) -> None:
        """``equal_split`` of ``target_fen`` (the first ``target % n`` participants owe one fen
        more) or ``per_head`` at ``fee_fen``; once per collection."""
        self._check_collection()
        if self.fees:
            raise errors.CollectionAlreadyAssessed()
        basis = check_choice("basis", basis, FEE_BASES)
        if not isinstance(participants, list | tuple) or not participants:
            raise errors.TextRequired(field="participants")
        if len(participants) > PARTICIPANTS_MAX:
            raise errors.TooManyItems(field="participants", max_items=PARTICIPANTS_MAX)
        people = [check_text("participants", p, max_len=REF_LEN_MAX) for p in participants]
        if len(set(people)) != len(people):
            raise errors.ValueNotAllowed(field="participants", value="duplicates", allowed="distinct people")
        if basis == "equal_split":
            target = self._check_amount(target_fen)
            owed = equal_shares(target, len(people))
            if owed[-1] == 0:
                raise errors.AmountMustBePositive()
            fee = None
        else:
            fee = self._check_amount(fee_fen)
            owed, target = [fee] * len(people), None
        self.trigger_event(
            self.FeeAssessed,
            basis=basis,
            target_fen=target,
            fee_fen=fee,
            participants=[{"person_id": p, "owed_fen": o} for p, o in zip(people, owed, strict=True)],
            assessed_on=ctx.today,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def pay_fee(
        self: FundCore,
        ctx: Context,
        *,
        occurred_on: date,
        amount_fen: int,
        person_id: str,
        receipt_no: str | None = None,
        account: str | None = None,
        doc_refs: list[str] | None = None,
        memo: str | None = None,
    ) -> str:
        """A participant's payment (more than owed is a top-up: 少补)."""
        self._check_collection()
        if person_id not in self.fees:
            raise errors.FeePayerNotParticipant()
        fields = self._entry_fields(
            ctx, occurred_on=occurred_on, amount_fen=amount_fen, account=account, doc_refs=doc_refs, memo=memo
        )
        fields.update(
            person_id=person_id,
            receipt_no=check_optional_text("receipt_no", receipt_no, max_len=REF_LEN_MAX),
        )
        return self._raise_money(self.FeePaid, fields)

    def settle_collection(
        self: FundCore,
        ctx: Context,
        *,
        occurred_on: date,
        rule: str = "pro_rata",
        account: str | None = None,
        doc_refs: list[str] | None = None,
    ) -> list[str]:
        """多退少补: the whole balance goes back to the participants who paid, pro rata to what
        each paid (the default) or equally (largest remainders first, in assessment order),
        each refund a voucher; then the collection is settled and takes no more entries."""
        self._check_collection()
        rule = check_choice("rule", rule, REFUND_RULES)
        surplus = self.balance_fen
        payers = [(p, f["paid"]) for p, f in self.fees.items() if f["paid"] > 0]
        if surplus > 0 and not payers:
            raise errors.CollectionSurplusHasNoPayers()
        shares = refund_shares(surplus, payers, rule)
        refunds: list[dict[str, Any]] = []
        for person_id, amount in shares:
            if amount == 0:
                continue
            fields = self._entry_fields(
                ctx, occurred_on=occurred_on, amount_fen=amount, account=account, doc_refs=doc_refs, memo=None
            )
            fields.update(person_id=person_id, rule=rule)
            refunds.append(
                {
                    "person_id": person_id,
                    "amount_fen": amount,
                    "voucher_no": self._raise_money(self.RefundPaid, fields),
                }
            )
        receipts = self.period_income_total()
        owed = sum(f["owed"] for f in self.fees.values())
        expenses = receipts - surplus
        self.trigger_event(
            self.CollectionSettled,
            rule=rule,
            receipts_fen=receipts,
            expenses_fen=expenses,
            surplus_fen=surplus,
            shortfall_fen=max(0, expenses - owed),
            refunds=refunds,
            settled_on=ctx.today,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )
        return [r["voucher_no"] for r in refunds]

    def close_collection(self: FundCore, ctx: Context) -> None:
        """R32: only once settled."""
        if self.kind != "collection":
            raise errors.FundNotACollection()
        if self.collection_closed:
            raise errors.CollectionAlreadyClosed()
        if not self.settled:
            raise errors.CollectionNotSettled()
        self.trigger_event(
            self.CollectionClosed, closed_on=ctx.today, recorded_by=ctx.recorded_by, request_id=ctx.request_id
        )

    def period_income_total(self: FundCore) -> int:
        """Every receipt of the fund since it was established (money in, net of reversals)."""
        return self.receipts_fen


def equal_shares(total: int, count: int) -> list[int]:
    """``total`` fen split over ``count`` people: the first ``total % count`` owe one fen more.
    Public: the console reads an assessment back, owed per head, before anything is saved."""
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def refund_shares(total: int, weights: list[tuple[str, int]], rule: str) -> list[tuple[str, int]]:
    """``total`` fen over people, pro rata to their weights or equally; the fen left by the
    floor division go one each to the largest remainders (ties: the earlier person). Public:
    the console's settlement preview splits by this same rule before anything is saved."""
    if not weights or total == 0:
        return []
    if rule == "equal":
        weights = [(person, 1) for person, _ in weights]
    whole = sum(w for _, w in weights)
    floors = [(person, total * w // whole, total * w % whole) for person, w in weights]
    left = total - sum(f for _, f, _ in floors)
    order = sorted(range(len(floors)), key=lambda i: (-floors[i][2], i))[:left]
    return [(person, share + (1 if i in order else 0)) for i, (person, share, _) in enumerate(floors)]

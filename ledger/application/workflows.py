"""The Ledger's workflow commands (a mixin of ``Ledger``: the same unit of work): aid cases
from application to payment, and objections on them; gifts in kind and the asset register
(``ledger.domain.asset_register``, ADR 0140).

A command that touches a case and its fund (approval reserves, payment pays, cancellation
releases) saves both in one ``execute``, exactly as a transfer saves two funds. Whether a
signer or an answerer holds the approver role is read from their ``User`` here, for the fund's
organisation or one above it, on the business date of the command (R21); the rule itself is
checked in ``ledger.domain.aid_case``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from ledger.application.core import LedgerCore
from ledger.application.recorded import Recorded
from ledger.domain import errors
from ledger.domain.aid_case import AidCase, answer_objection, cancel_case, pay_case, sign_case
from ledger.domain.aid_roll import AidRoll, roll_id
from ledger.domain.asset_register import AssetRegister, register_id
from ledger.domain.context import Context
from ledger.domain.fund import Fund
from ledger.domain.fund_policy import objection_answer_days
from ledger.domain.objection import VoucherObjection
from ledger.domain.user import User

ANONYMOUS = "anonymous"
Work = tuple[list[Aggregate], dict[str, Any]]


class WorkflowsMixin:
    def aid_case(self: LedgerCore, case_id: object) -> AidCase:
        return self._load(AidCase, case_id, lambda: errors.AidCaseNotFound(case_id=str(case_id)))

    def holds_role_for_fund(self: LedgerCore, actor: str, role: str, fund: Fund) -> bool:
        """True if ``actor`` is a user holding ``role`` (or admin) for the fund's organisation
        or one above it, now (the business date of the command)."""
        return self.holds_role_for_orgs(actor, role, [fund.owner_org_id])

    def holds_role_for_orgs(self: LedgerCore, actor: str, role: str, org_ids: list[str]) -> bool:
        """True if ``actor`` holds ``role`` (or admin) for any of ``org_ids`` or one above it."""
        try:
            user = self._load(User, actor, lambda: errors.UserNotFound(user_id=actor))
        except errors.LedgerError:
            return False
        for org_id in org_ids:
            org = self.organisation(org_id)
            if user.holds(role, [str(org.id), *self.ancestors(org)]):
                return True
        return False

    def aid_case_paid_by(self: LedgerCore, fund: Fund, voucher_no: object) -> AidCase | None:
        """The case an unreversed ``AidPaid`` voucher of the fund paid, else None (the fund's
        own checks then answer). A fund snapshot from before reversals of aid payments has no
        case on the voucher's record: the payment event names it."""
        original = fund.voucher_record(voucher_no.strip()) if isinstance(voucher_no, str) else None
        if original is None or original["topic"] != Fund.AidPaid.TOPIC or original["reversed_by"]:
            return None
        case_id = original.get("case_id")
        if case_id is None:
            paid = (e for e in self.events.get(fund.id) if isinstance(e, Fund.AidPaid))
            case_id = next(e.case_id for e in paid if e.voucher_no == voucher_no.strip())
        return self.aid_case(case_id)

    def _case_and_fund(self: LedgerCore, case_id: str) -> tuple[AidCase, Fund]:
        case = self.aid_case(case_id)
        return case, self.fund(case.fund_id)

    def apply_for_aid(
        self: LedgerCore,
        *,
        actor: str,
        request_id: str | None = None,
        fund_id: str,
        beneficiary_person_id: str,
        applicant_person_id: str,
        aid_kind: str,
        requested_fen: int,
        reason_private: str,
        reason_public_category: str,
        publicity_consent: bool = False,
        evidence_refs: list[str] | None = None,
        dry_run: bool = False,
    ) -> Recorded:
        args = dict(
            fund_id=str(fund_id),
            beneficiary_person_id=beneficiary_person_id,
            applicant_person_id=applicant_person_id,
            aid_kind=aid_kind,
            requested_fen=requested_fen,
            reason_private=reason_private,
            reason_public_category=reason_public_category,
            publicity_consent=publicity_consent,
            evidence_refs=evidence_refs,
        )

        def work(ctx: Context) -> Work:
            fund = self.fund(fund_id)
            beneficiary = self.person(beneficiary_person_id)
            applicant = self.person(applicant_person_id)
            fields = {k: v for k, v in args.items() if k != "fund_id"}
            fields.update(beneficiary_person_id=str(beneficiary.id), applicant_person_id=str(applicant.id))
            case = AidCase.apply_for(ctx, fund=fund, register=self.public_register(), **fields)
            result = {
                "case_id": str(case.id),
                "signatures_required": case.signatures_required,
                "decision_required": case.decision_required,
            }
            return [case], result

        return self.execute(
            "apply_for_aid", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def sign_aid_case(
        self: LedgerCore,
        case_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        decision_ref: str | None = None,
        dry_run: bool = False,
    ) -> Recorded:
        """One approver's signature; the last one approves and reserves in the fund.
        ``dry_run``: every check, nothing saved (the console's check step)."""

        def work(ctx: Context) -> Work:
            case, fund = self._case_and_fund(case_id)
            holds = self.holds_role_for_fund(actor, "approver", fund)
            sign_case(ctx, case, fund, holds_approver_role=holds, decision_ref=decision_ref)
            return [case, fund], _case_result(case)

        args = {"case_id": str(case_id), "decision_ref": decision_ref}
        return self.execute(
            "sign_aid_case", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def reject_aid_case(
        self: LedgerCore, case_id: str, *, actor: str, reason: str, request_id: str | None = None
    ) -> Recorded:
        def work(ctx: Context) -> Work:
            case, fund = self._case_and_fund(case_id)
            case.reject(
                ctx, holds_approver_role=self.holds_role_for_fund(actor, "approver", fund), reason=reason
            )
            return [case], _case_result(case)

        args = {"case_id": str(case_id), "reason": reason}
        return self.execute("reject_aid_case", args, actor=actor, request_id=request_id, work=work)

    def cancel_aid_case(
        self: LedgerCore, case_id: str, *, actor: str, reason: str, request_id: str | None = None
    ) -> Recorded:
        def work(ctx: Context) -> Work:
            case, fund = self._case_and_fund(case_id)
            cancel_case(ctx, case, fund, reason=reason)
            return [case, fund], _case_result(case)

        args = {"case_id": str(case_id), "reason": reason}
        return self.execute("cancel_aid_case", args, actor=actor, request_id=request_id, work=work)

    def pay_aid_case(
        self: LedgerCore,
        case_id: str,
        *,
        actor: str,
        paid_on: date,
        request_id: str | None = None,
        account: str | None = None,
        doc_refs: list[str] | None = None,
        witnessed_by: str | None = None,
        memo: str | None = None,
        dry_run: bool = False,
    ) -> Recorded:
        """Fund ``AidPaid`` and case ``Paid``, saved together (``dry_run``: checked, not saved)."""
        args = dict(
            case_id=str(case_id),
            paid_on=paid_on,
            account=account,
            doc_refs=doc_refs,
            witnessed_by=witnessed_by,
            memo=memo,
        )

        def work(ctx: Context) -> Work:
            case, fund = self._case_and_fund(case_id)
            voucher = pay_case(
                ctx,
                case,
                fund,
                paid_on=paid_on,
                account=account,
                doc_refs=doc_refs,
                witnessed_by=witnessed_by,
                memo=memo,
            )
            return [case, fund], {**_case_result(case), "fund_id": str(fund.id), "voucher_no": voucher}

        return self.execute(
            "pay_aid_case", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def raise_aid_objection(
        self: LedgerCore,
        case_id: str,
        *,
        actor: str,
        text: str,
        anonymous: bool = False,
        request_id: str | None = None,
    ) -> Recorded:
        """An anonymous objection is recorded under the actor ``anonymous``: neither the case
        nor the request record keeps who raised it (R36)."""

        def work(ctx: Context) -> Work:
            case = self.aid_case(case_id)
            number = case.raise_objection(ctx, text=text, anonymous=anonymous)
            return [case], {"case_id": str(case.id), "objection_no": number}

        args = {"case_id": str(case_id), "text": text, "anonymous": anonymous}
        who = ANONYMOUS if anonymous is True else actor
        return self.execute("raise_aid_objection", args, actor=who, request_id=request_id, work=work)

    def answer_aid_objection(
        self: LedgerCore,
        case_id: str,
        *,
        actor: str,
        objection_no: str,
        outcome: str,
        answer: str,
        request_id: str | None = None,
    ) -> Recorded:
        def work(ctx: Context) -> Work:
            case, fund = self._case_and_fund(case_id)
            orgs = case.answering_org_ids(objection_no)  # escalated: the upper one's approvers too
            answer_objection(
                ctx,
                case,
                fund,
                holds_approver_role=self.holds_role_for_orgs(actor, "approver", orgs),
                objection_no=objection_no,
                outcome=outcome,
                answer=answer,
            )
            return [case, fund], _case_result(case)

        args = {"case_id": str(case_id), "objection_no": objection_no, "outcome": outcome, "answer": answer}
        return self.execute("answer_aid_objection", args, actor=actor, request_id=request_id, work=work)

    # --- objections on a voucher -----------------------------------------------------------
    def voucher_objection(self: LedgerCore, objection_id: object) -> VoucherObjection:
        return self._load(
            VoucherObjection, objection_id, lambda: errors.ObjectionNotFound(objection_no=str(objection_id))
        )

    def raise_voucher_objection(
        self: LedgerCore,
        fund_id: str,
        *,
        actor: str,
        voucher_no: str,
        text: str,
        anonymous: bool = False,
        request_id: str | None = None,
    ) -> Recorded:
        """Anonymous: recorded under the actor ``anonymous``, no identity kept (R36)."""

        def work(ctx: Context) -> Work:
            fund = self.fund(fund_id)
            objection = VoucherObjection.raise_on(
                ctx, fund=fund, voucher_no=voucher_no, text=text, anonymous=anonymous
            )
            return [objection], {
                "objection_id": str(objection.id),
                "fund_id": str(fund.id),
                "voucher_no": voucher_no,
            }

        args = {"fund_id": str(fund_id), "voucher_no": voucher_no, "text": text, "anonymous": anonymous}
        who = ANONYMOUS if anonymous is True else actor
        return self.execute("raise_voucher_objection", args, actor=who, request_id=request_id, work=work)

    def answer_voucher_objection(
        self: LedgerCore,
        objection_id: str,
        *,
        actor: str,
        outcome: str,
        answer: str,
        request_id: str | None = None,
    ) -> Recorded:
        def work(ctx: Context) -> Work:
            objection = self.voucher_objection(objection_id)
            holds = self.holds_role_for_orgs(actor, "approver", objection.answering_org_ids())
            objection.answer(ctx, holds_approver_role=holds, outcome=outcome, answer=answer)
            return [objection], {"objection_id": str(objection.id), "outcome": objection.outcome}

        args = {"objection_id": str(objection_id), "outcome": outcome, "answer": answer}
        return self.execute("answer_voucher_objection", args, actor=actor, request_id=request_id, work=work)

    # --- the service level of objections (R36, ADR 0031) -------------------------------------
    def escalate_overdue_objections(
        self: LedgerCore, *, actor: str, request_id: str | None = None
    ) -> Recorded:
        """Escalate every objection (on an aid case or a voucher) still unanswered past its
        fund's service level on the business date, once, to the organisation one level up.
        Run daily (cron); a second run the same day records nothing. An organisation at the
        top of the tree has nowhere to escalate: its overdue objections are listed as
        ``not_escalated`` on every run until answered."""

        def work(ctx: Context) -> Work:
            touched: list[Aggregate] = []
            escalated: list[dict[str, Any]] = []
            stuck: list[dict[str, Any]] = []
            for case_id in dict.fromkeys(self.ids_of(AidCase.ObjectionRaised.TOPIC)):
                case = self.aid_case(case_id)
                days = objection_answer_days(self.fund(case.fund_id).policy)
                overdue = case.overdue_objections(ctx.today, days)
                if not overdue:
                    continue
                found = {"case_id": str(case.id), "fund_id": case.fund_id}
                up = self.organisation(case.owner_org_id).parent_org_id
                if up is None:
                    stuck.extend({**found, "objection_no": n} for n in overdue)
                    continue
                for number in case.escalate_overdue(ctx, answer_days=days, to_org_id=up):
                    escalated.append({**found, "objection_no": number, "escalated_to_org_id": up})
                touched.append(case)
            for objection_id in self.ids_of(VoucherObjection.Created.TOPIC):
                objection = self.voucher_objection(objection_id)
                days = objection_answer_days(self.fund(objection.fund_id).policy)
                if not objection.is_overdue(ctx.today, days):
                    continue
                found = {"objection_id": str(objection.id), "fund_id": objection.fund_id}
                found["voucher_no"] = objection.voucher_no
                up = self.organisation(objection.owner_org_id).parent_org_id
                if up is None:
                    stuck.append(found)
                    continue
                objection.escalate_if_overdue(ctx, answer_days=days, to_org_id=up)
                escalated.append({**found, "escalated_to_org_id": up})
                touched.append(objection)
            return touched, {
                "escalated_on": ctx.today.isoformat(),
                "escalated": escalated,
                "not_escalated": stuck,
            }

        return self.execute("escalate_overdue_objections", {}, actor=actor, request_id=request_id, work=work)

    # --- the mutual-aid association's roll (issue 21 item 1) ------------------------------------
    def aid_roll(self: LedgerCore, fund_id: object) -> AidRoll | None:
        """The roll of a mutual-aid fund, or None before its first command."""
        fund = self.fund(fund_id)
        try:
            roll = self._get(roll_id(str(fund.id)))
        except AggregateNotFoundError:
            return None
        assert isinstance(roll, AidRoll)
        return roll

    def _roll_work(
        self: LedgerCore, fund_id: str, change: Callable[[Context, AidRoll, Fund], Any]
    ) -> Callable:
        """A unit of work on a fund's roll (opened on its first command); ``change`` may also
        record on the fund (a contribution's donation), and both are saved together."""

        def work(ctx: Context) -> Work:
            fund = self.fund(fund_id)
            roll = self.aid_roll(fund.id) or AidRoll.open(ctx, fund)
            result = change(ctx, roll, fund) or {}
            touched: list[Aggregate] = [roll] + ([fund] if fund.pending_events else [])
            return touched, {"fund_id": str(fund.id), **result}

        return work

    def set_roll_contribution(
        self: LedgerCore,
        fund_id: str,
        *,
        actor: str,
        year: int,
        amount_fen: int,
        due_on: date,
        charter_ref: str,
        request_id: str | None = None,
    ) -> Recorded:
        """The charter's yearly contribution (amount and due date), once per year."""
        args = {"fund_id": str(fund_id), "year": year, "amount_fen": amount_fen, "due_on": due_on}
        args["charter_ref"] = charter_ref

        def change(ctx: Context, roll: AidRoll, _: Fund) -> None:
            roll.set_contribution(
                ctx, year=year, amount_fen=amount_fen, due_on=due_on, charter_ref=charter_ref
            )

        work = self._roll_work(fund_id, change)
        return self.execute("roll.set_contribution", args, actor=actor, request_id=request_id, work=work)

    def enrol_in_roll(
        self: LedgerCore,
        fund_id: str,
        *,
        actor: str,
        person_id: str,
        enrolled_on: date,
        request_id: str | None = None,
    ) -> Recorded:
        def change(ctx: Context, roll: AidRoll, _: Fund) -> dict[str, Any]:
            person = str(self.person(person_id).id)
            roll.enrol(ctx, person_id=person, enrolled_on=enrolled_on)
            return {"person_id": person}

        args = {"fund_id": str(fund_id), "person_id": str(person_id), "enrolled_on": enrolled_on}
        work = self._roll_work(fund_id, change)
        return self.execute("roll.enrol", args, actor=actor, request_id=request_id, work=work)

    def leave_roll(
        self: LedgerCore,
        fund_id: str,
        *,
        actor: str,
        person_id: str,
        left_on: date,
        reason: str,
        request_id: str | None = None,
    ) -> Recorded:
        def change(ctx: Context, roll: AidRoll, _: Fund) -> dict[str, Any]:
            person = str(self.person(person_id).id)
            roll.leave(ctx, person_id=person, left_on=left_on, reason=reason)
            return {"person_id": person}

        args = {"fund_id": str(fund_id), "person_id": str(person_id), "left_on": left_on, "reason": reason}
        work = self._roll_work(fund_id, change)
        return self.execute("roll.leave", args, actor=actor, request_id=request_id, work=work)

    def waive_roll_contribution(
        self: LedgerCore,
        fund_id: str,
        *,
        actor: str,
        person_id: str,
        year: int,
        reason: str,
        request_id: str | None = None,
    ) -> Recorded:
        """A hardship waiver, approved by the actor: an approver of the fund's organisation."""

        def change(ctx: Context, roll: AidRoll, fund: Fund) -> dict[str, Any]:
            person = str(self.person(person_id).id)
            holds = self.holds_role_for_fund(actor, "approver", fund)
            roll.waive(ctx, person_id=person, year=year, reason=reason, holds_approver_role=holds)
            return {"person_id": person, "year": year}

        args = {"fund_id": str(fund_id), "person_id": str(person_id), "year": year, "reason": reason}
        work = self._roll_work(fund_id, change)
        return self.execute("roll.waive", args, actor=actor, request_id=request_id, work=work)

    def pay_roll_contribution(
        self: LedgerCore,
        fund_id: str,
        *,
        actor: str,
        person_id: str,
        year: int,
        request_id: str | None = None,
        **donation: Any,
    ) -> Recorded:
        """A member's donation to the fund (``receive_donation``'s fields: occurred_on,
        amount_fen, account, receipt_no, campaign, doc_refs …), counted towards the year's
        contribution: the voucher and the roll's link are saved in one transaction."""

        def change(ctx: Context, roll: AidRoll, fund: Fund) -> dict[str, Any]:
            person = str(self.person(person_id).id)
            roll.check_owes(person, year)  # before the donation is raised on the fund
            fields = {**donation, "donor_kind": "member", "donor_person_id": person}
            voucher = fund.receive_donation(ctx, register=self.public_register(), **fields)
            roll.record_payment(
                ctx,
                person_id=person,
                year=year,
                voucher_no=voucher,
                amount_fen=donation["amount_fen"],
                paid_on=donation["occurred_on"],
            )
            return {"person_id": person, "year": year, "voucher_no": voucher}

        args = {"fund_id": str(fund_id), "person_id": str(person_id), "year": year, **donation}
        work = self._roll_work(fund_id, change)
        return self.execute("roll.pay", args, actor=actor, request_id=request_id, work=work)

    # --- gifts in kind and the asset register (ADR 0140) -------------------------------------------
    def asset_register(self: LedgerCore, org_id: object) -> AssetRegister | None:
        """The organisation's register, or None before its first gift or asset."""
        try:
            return self._get(register_id(str(self.organisation(org_id).id)))
        except AggregateNotFoundError:
            return None

    def _register_for(self: LedgerCore, org_id: str) -> AssetRegister:
        """The register to change, opened by the first command. A register opened and not yet
        saved is kept in the writer's cache, so that a second command of the same group commit
        adds to it instead of opening another (dropped with the cache if the group fails)."""
        found = self.asset_register(org_id)
        if found is not None:
            return found
        opened = AssetRegister.open(str(self.organisation(org_id).id))
        if self.repository.cache is not None and self._writing.held_here():
            self.repository.cache.put(opened.id, opened)
        return opened

    def _owned_fund(self: LedgerCore, org_id: str, fund_id: object) -> Fund:
        fund = self.fund(fund_id)
        if fund.owner_org_id != str(self.organisation(org_id).id):
            raise errors.AssetFundNotOwned(fund_id=str(fund.id))
        return fund

    def receive_in_kind(
        self: LedgerCore,
        org_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kwargs: Any,
    ) -> Recorded:
        """A gift in kind (goods, or a service paid directly by the donor); see AssetRegister."""

        def work(ctx: Context) -> Work:
            register = self._register_for(org_id)
            fund_id = kwargs.get("fund_id")
            if fund_id is not None:
                kwargs["fund_id"] = str(self._owned_fund(org_id, fund_id).id)
            gift_no = register.receive_in_kind(ctx, register=self.public_register(), **kwargs)
            return [register], {"org_id": register.org_id, "gift_no": gift_no}

        args = {"org_id": str(org_id), **kwargs}
        return self.execute(
            "receive_in_kind", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def register_asset(
        self: LedgerCore,
        org_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kwargs: Any,
    ) -> Recorded:
        """An asset bought on a fund's expense voucher or received as a gift of goods."""

        def work(ctx: Context) -> Work:
            register = self._register_for(org_id)
            fields = dict(kwargs)
            fields["keeper_person_id"] = str(self.person(fields["keeper_person_id"]).id)
            if fields.get("source") == "purchase" and fields.get("fund_id") is not None:
                fund = self._owned_fund(org_id, fields["fund_id"])
                fields["fund_id"] = str(fund.id)
                number = fields.get("voucher_no")
                if isinstance(number, str):
                    fields["voucher_no"] = number.strip()
                    fields["voucher"] = fund.voucher(fields["voucher_no"])
            asset_no = register.register_asset(ctx, register=self.public_register(), **fields)
            return [register], {"org_id": register.org_id, "asset_no": asset_no}

        args = {"org_id": str(org_id), **kwargs}
        return self.execute(
            "register_asset", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )

    def write_off_asset(
        self: LedgerCore,
        org_id: str,
        *,
        actor: str,
        request_id: str | None = None,
        dry_run: bool = False,
        **kwargs: Any,
    ) -> Recorded:
        def work(ctx: Context) -> Work:
            register = self.asset_register(org_id)
            if register is None:
                raise errors.AssetNotFound(asset_no=str(kwargs.get("asset_no")))
            fields = {**kwargs, "approved_by": str(self.person(kwargs["approved_by"]).id)}
            asset_no = register.write_off(ctx, **fields)
            return [register], {"org_id": register.org_id, "asset_no": asset_no}

        args = {"org_id": str(org_id), **kwargs}
        return self.execute(
            "write_off_asset", args, actor=actor, request_id=request_id, work=work, dry_run=dry_run
        )


def _case_result(case: AidCase) -> dict[str, Any]:
    return {
        "case_id": str(case.id),
        "status": case.status,
        "signatures": len(case.signers),
        "signatures_required": case.signatures_required,
        "window_end": case.window_end.isoformat() if case.window_end else None,
    }

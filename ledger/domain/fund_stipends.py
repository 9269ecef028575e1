"""Stipends (工作补贴, R12) for the officers of the fund's organisation, a mixin of ``Fund``.

A stipend is never paid from a mutual-aid fund, only where the fund's policy allows it, for
months the person held the office, each month once; where the office has stipend terms paid by
this fund (``Organisation.stipend_terms``), only months due under them and at the monthly
amount. The payment is a voucher of the fund (``Fund.StipendPaid`` in ``fund.py``, posted like
every other, which also keeps the months paid and frees them when the voucher is reversed); the
command and its checks are here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.fund_core import FundCore
from ledger.domain.limits import REF_LEN_MAX, check_choice, check_text
from ledger.domain.organisation import OFFICE_ROLES, Organisation
from ledger.domain.periods import check_period, period_of
from ledger.domain.public_text import check_public_text


class Stipends:
    """The stipend command; ``Fund`` inherits it (the voucher it raises is ``Fund.StipendPaid``)."""

    # --- commands: stipends (R12) ------------------------------------------------------------
    def pay_stipend(
        self: FundCore,
        ctx: Context,
        *,
        occurred_on: date,
        amount_fen: int,
        person_id: str,
        months: list[str],
        in_office: Callable[[str, str, str], bool],
        handled_by: str,
        role: str = "secretary",
        account: str | None = None,
        doc_refs: list[str] | None = None,
        memo: str | None = None,
        terms: dict[str, Any] | None = None,
    ) -> str:
        """R12: never from mutual aid, only where the policy allows; each month paid once,
        and only for months the person held that office in the owning organisation. Where
        the office has stipend terms paid by this fund (``Organisation.stipend_terms``), only
        months due under them (never after the end of the term), at the monthly amount."""
        self._check_poster(ctx)
        role = check_choice("role", role, OFFICE_ROLES)
        if self.kind == "mutual_aid":
            raise errors.StipendNotAllowedFromMutualAid()
        if not self.policy["stipends_allowed"]:
            raise errors.StipendNotAllowedByPolicy()
        fields = self._entry_fields(
            ctx,
            occurred_on=occurred_on,
            amount_fen=amount_fen,
            account=account,
            doc_refs=doc_refs,
            memo=memo,
        )
        months = self._check_stipend_months(months, fields["occurred_on"], person_id)
        for month in months:
            if not in_office(person_id, month, role):
                raise errors.StipendRecipientNotInOffice(month=month)
        if terms is not None:
            due = Organisation.months_due(terms, period_of(fields["occurred_on"]))
            for month in months:
                if month not in due:
                    raise errors.StipendMonthNotDue(month=month)
            if fields["amount_fen"] != terms["monthly_fen"] * len(months):
                raise errors.StipendAmountNotTerms(expected_fen=terms["monthly_fen"] * len(months))
        fields.update(
            person_id=person_id,
            role=role,
            months=months,
            handled_by=check_public_text(
                "handled_by", check_text("handled_by", handled_by, max_len=REF_LEN_MAX)
            ),
        )
        return self._raise_money(self.StipendPaid, fields)

    def _check_stipend_months(self: FundCore, months: object, paid_on: date, person_id: str) -> list[str]:
        if not isinstance(months, list | tuple) or not months:
            raise errors.StipendMonthsInvalid()
        checked = [check_period(m, "months") for m in months]
        if len(set(checked)) != len(checked) or max(checked) > period_of(paid_on):
            raise errors.StipendMonthsInvalid()
        paid = self.stipend_months.get(person_id, [])
        for month in checked:
            if month in paid:
                raise errors.StipendAlreadyPaid(month=month)
        return sorted(checked)

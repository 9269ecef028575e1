"""A paper book's row turned into a ledger command (纸质账本录入, issue 17): which method of the
fund, with which arguments, whom it names and its identity. The fund's own rules run later, in
``Ledger.import_rows``; names are resolved there through the register
(``ledger.application.import_register``).

Kinds (类别): 捐款 donation (with 支部: a member's, by name and branch), 拨款 grant, 利息 interest,
支出 expense, 补贴 stipend (an office holder, 所属月份), 转出 transfer out (转入基金, 决议), 存现 and
取现 cash moves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ledger.application.bulk_import import ImportRow, parse_day, required, row_key
from ledger.application.import_register import PersonRef
from ledger.domain import errors
from ledger.domain.money import parse_amount
from ledger.domain.periods import check_period, next_period

KINDS: dict[str, str] = {
    "donation": "receive_donation",
    "捐款": "receive_donation",
    "grant": "receive_grant",
    "拨款": "receive_grant",
    "interest": "credit_interest",
    "利息": "credit_interest",
    "expense": "pay_expense",
    "支出": "pay_expense",
    "stipend": "pay_stipend",
    "补贴": "pay_stipend",
    "transfer_out": "transfer_out",
    "转出": "transfer_out",
    "cash_to_bank": "cash_to_bank",
    "存现": "cash_to_bank",
    "bank_to_cash": "bank_to_cash",
    "取现": "bank_to_cash",
}
ACCOUNTS = {"cash": "cash", "现金": "cash", "bank": "bank", "银行": "bank"}
OFFICES = {"书记": "secretary", "副书记": "deputy_secretary", "组织委员": "organising_member",
           "宣传委员": "propaganda_member", "纪检委员": "discipline_member", "会计": "bookkeeper",
           "出纳": "cashier"}  # fmt: skip
OUTGOING = ("pay_expense", "pay_stipend", "transfer_out")
CASH_MOVES = {"cash_to_bank": ("cash", "bank"), "bank_to_cash": ("bank", "cash")}


@dataclass
class ImportCommand:
    """A row turned into a command: which fund, which method, its arguments, its identity."""

    line: int
    fund: str
    command: str
    kwargs: dict[str, Any]
    row_key: str
    balance_fen: int | None = None
    person: PersonRef | None = None  # a name the register must resolve to an id
    to_fund: str | None = None  # a transfer's receiving fund (name or id)

    @property
    def signed_fen(self) -> int:
        if self.command == "move_cash":
            return 0
        amount = self.kwargs["amount_fen"]
        return -amount if self.command in OUTGOING else amount


def to_command(row: ImportRow, fund_id: str) -> ImportCommand:
    """The command a row asks for, before any fund rule is checked (those run in the Ledger)."""
    values = row.values
    kind = required(values, "kind")
    command = KINDS.get(kind)
    if command is None:
        raise errors.ValueNotAllowed(field="kind", value=kind, allowed=", ".join(KINDS))
    amount_fen = _amount(values, kind, command)
    voucher = values.get("voucher")
    common: dict[str, Any] = {"occurred_on": parse_day(required(values, "date")), "amount_fen": amount_fen}
    account = values.get("account")
    if account is not None and command not in ("credit_interest", *CASH_MOVES, "transfer_out"):
        if account not in ACCOUNTS:
            raise errors.ValueNotAllowed(field="account", value=account, allowed=", ".join(ACCOUNTS))
        common["account"] = ACCOUNTS[account]
    memo = " · ".join(v for v in (values.get("summary"), values.get("note")) if v) or None
    refs = [f"paper:{voucher}"] if voucher else None
    out = ImportCommand(row.line, fund_id, command, {}, row_key(values, fund_id))
    _BUILDERS[command](out, values, common, refs, memo)
    balance = values.get("balance")
    out.balance_fen = None if balance is None else parse_amount(balance, allow_zero=True)
    return out


def _amount(values: dict[str, str | None], kind: str, command: str) -> int:
    """The row's amount from its one amount column: 收入 for money in, 支出 for money out; a
    cash move (neither) from whichever the book used."""
    income, expense = values.get("income"), values.get("expense")
    if command in CASH_MOVES:
        if (income is None) == (expense is None):
            raise errors.ImportAmountColumnWrong(kind=kind, column="income or expense")
        return parse_amount(income or expense or "")
    wanted = "expense" if command in OUTGOING else "income"
    if (income if wanted == "expense" else expense) is not None:
        raise errors.ImportAmountColumnWrong(kind=kind, column=wanted)
    return parse_amount(required(values, wanted))


def _donation(out: ImportCommand, values: dict[str, str | None], common: dict, refs, memo) -> None:
    """A donation; with a 支部 (branch) it is a member's, matched to the register by name."""
    out.command = "receive_donation"
    branch, person_id = values.get("branch"), values.get("person_id")
    out.kwargs = dict(common, receipt_no=values.get("voucher"), doc_refs=refs, memo=memo)
    if branch is None and person_id is None:
        out.kwargs.update(donor_kind="other", donor_name=values.get("party"))
        return
    name = values.get("party") or ""
    if person_id is None and not name:
        raise errors.TextRequired(field="party")
    out.kwargs["donor_kind"] = "member"
    out.person = PersonRef("donor_person_id", name, branch or "", person_id)


def _grant(out: ImportCommand, values: dict[str, str | None], common: dict, refs, memo) -> None:
    out.kwargs = dict(common, grant_kind=values.get("category"), grantor_name=values.get("party"))
    out.kwargs.update(purpose=values.get("summary"), doc_refs=refs, memo=values.get("note"))


def _interest(out: ImportCommand, values: dict[str, str | None], common: dict, refs, memo) -> None:
    out.kwargs = dict(common, bank_ref=values.get("voucher") or values.get("party"), memo=memo)


def _expense(out: ImportCommand, values: dict[str, str | None], common: dict, refs, memo) -> None:
    out.kwargs = dict(common, category=values.get("category"), payee=values.get("party"))
    out.kwargs.update(handled_by=values.get("handled_by"), approved_by=values.get("approved_by"))
    out.kwargs.update(doc_refs=refs, memo=memo)


def _stipend(out: ImportCommand, values: dict[str, str | None], common: dict, refs, memo) -> None:
    """A stipend to an office holder of the fund's owner, named in 对方, for 所属月份."""
    role = values.get("role") or "secretary"
    out.kwargs = dict(common, months=parse_months(required(values, "months")), role=OFFICES.get(role, role))
    out.kwargs.update(handled_by=values.get("handled_by"), doc_refs=refs, memo=memo)
    name = values.get("party") or ""
    if values.get("person_id") is None and not name:
        raise errors.TextRequired(field="party")
    out.person = PersonRef("person_id", name, None, values.get("person_id"))


def _transfer(out: ImportCommand, values: dict[str, str | None], common: dict, refs, memo) -> None:
    """A transfer out of this fund into 转入基金, by a recorded decision (R11); it writes the
    receiving fund's 转入 voucher too, so that book's own 转入 row is not imported."""
    out.to_fund = required(values, "to_fund")
    out.kwargs = dict(common, decision_ref=values.get("decision_ref"), doc_refs=refs, memo=memo)


def _cash_move(out: ImportCommand, values: dict[str, str | None], common: dict, refs, memo) -> None:
    from_account, to_account = CASH_MOVES[out.command]
    out.command = "move_cash"
    out.kwargs = dict(common, from_account=from_account, to_account=to_account, doc_refs=refs, memo=memo)


_BUILDERS = {
    "receive_donation": _donation,
    "receive_grant": _grant,
    "credit_interest": _interest,
    "pay_expense": _expense,
    "pay_stipend": _stipend,
    "transfer_out": _transfer,
    "cash_to_bank": _cash_move,
    "bank_to_cash": _cash_move,
}


def parse_months(text: str) -> list[str]:
    """2024-01, 2024-01;2024-02 (also , 、 or spaces) or a range 2024-01~2024-03 (at most 120)."""
    first, sep, last = text.strip().replace("至", "~").partition("~")
    if not sep:
        return [check_period(m, "months") for m in re.split(r"[;,、\s]+", text.strip()) if m]
    month, end = check_period(first.strip(), "months"), check_period(last.strip(), "months")
    months: list[str] = []
    while month <= end and len(months) < 120:
        months.append(month)
        month = next_period(month)
    if not months:
        raise errors.PeriodInvalid(field="months", value=text)
    return months

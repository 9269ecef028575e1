"""The books of every fund as plain double-entry transactions, for hledger and Beancount.

Accounts (ASCII only: both tools restrict account names, Beancount to capitalised components of
letters, digits and dashes; the Chinese names go into each account's declaration instead):

- ``Assets:<org path>:<FundKind>-<id>:Cash`` and ``…:Bank`` — one account per fund (its two
  custody accounts) under the owning organisation's path from the root of the tree, each
  organisation a component ``<Kind>-<id>`` (``Community-3F2A9C1B``); ids are the first 8 hex
  digits of the UUID, upper case (more when two would clash);
- ``Income:Donation:<DonorKind>`` (``…:<DonorKind>:Person-<id>`` when a member is named),
  ``Income:Grant:<GrantKind>``, ``Income:Interest``;
- ``Expenses:<Category>`` (``…:Person-<id>`` when a payee is named), ``Expenses:Stipend:Person-<id>``;
- ``Equity:Transfers`` — the clearing account of transfers between funds (out, then in);
- a reversal posts the exact opposite of its original, to the same two accounts;
- a cash move is a transfer between the fund's Cash and Bank;
- gifts in kind and assets: off-balance accounts that no fund's money touches
  (``ledger.exports.register_lines``, ADR 0140).

Snake-case codes become CamelCase (``hardship_aid`` → ``HardshipAid``); any other purpose
(``费用``, ``a  b``) becomes ``Purpose-<8 hex digits of its SHA-256>`` (``plain_names``, ADR 0063),
the text itself kept as the account's note, like a fund's name and a person's name. A
transaction's narration is its voucher, its kind, the payee or donor named as recorded, and the
memo; the renderers write every text on one escaped line. Every transaction is
one voucher, dated by its business date, in (date, log position) order. At every month end
from a fund's establishment to the last month with an entry or a new fund, its Cash and Bank balances as the
read models give them are asserted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ledger.domain.fund import Fund, MoneyEvent
from ledger.exports import register_lines
from ledger.exports.plain_names import camel, components
from ledger.projections import queries
from ledger.projections.store import ViewStore

CURRENCY = "CNY"
ORG_KINDS = {
    "street_committee": "Street",
    "community_committee": "Community",
    "general_branch": "GeneralBranch",
    "branch": "Branch",
    "party_group": "Group",
    "residents_committee": "Residents",
    "residents_group": "ResidentsGroup",
    "district_committee": "District",
    "district": "DistrictGov",
    "street_office": "StreetOffice",
    "grid": "Grid",
}


@dataclass(frozen=True)
class Transaction:
    day: date
    position: int
    narration: str
    postings: tuple[tuple[str, int], ...]  # (account, fen), summing to zero


@dataclass(frozen=True)
class Assertion:
    day: date  # the last day of the month asserted (end of day)
    account: str
    fen: int


@dataclass
class Books:
    accounts: dict[str, tuple[date, str]] = field(default_factory=dict)  # account → (opened, note)
    transactions: list[Transaction] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)


# Accounts of their own that a purpose's CamelCase must not fall into.
RESERVED_EXPENSES = ("Aid", "Stipend", "FeeRefund")


@dataclass(frozen=True)
class Names:
    """Short ids, account components of purposes and kinds, and people's names by id."""

    ids: dict[str, str]
    purposes: dict[str, str]
    kinds: dict[str, str]
    people: dict[str, str]

    def kind(self, code: str) -> str:
        return self.kinds.get(code) or camel(code)


def short_ids(ids: Iterable[str]) -> dict[str, str]:
    """8 upper-case hex digits per UUID, or all 32 if two of them share their first 8."""
    unique = sorted(set(ids))
    width = 8 if len({i.replace("-", "")[:8] for i in unique}) == len(unique) else 32
    return {i: i.replace("-", "")[:width].upper() for i in unique}


def build(views: ViewStore, events: Iterable[tuple[int, Any]]) -> Books:
    """The books from the decoded events in log order and the views (tree, balances)."""
    events = list(events)
    books = Books()
    funds = {str(e.originator_id): e for _, e in events if isinstance(e, Fund.Created)}
    if not funds:
        return books
    people = {p for _, e in events if isinstance(e, MoneyEvent) for p in [_person(e)] if p}
    days = [e.occurred_on for _, e in events if isinstance(e, MoneyEvent)]
    last_day = max([*days, *(f.established_on for f in funds.values())])
    tree = queries.tree_on(views, last_day)
    names = Names(
        short_ids([*tree, *funds, *people]),
        components(
            {e.category for _, e in events if isinstance(e, Fund.ExpensePaid)}, "Purpose", RESERVED_EXPENSES
        ),
        components(_kind_codes(events, tree), "Kind"),
        {pid: name for pid, name in views.fetch("SELECT person_id, name_zh FROM v_person") if pid in people},
    )
    first_day = min(f.established_on for f in funds.values())
    fund_accounts = {fid: _fund_account(fid, f, tree, names) for fid, f in funds.items()}
    for fid, account in fund_accounts.items():
        note = f"{funds[fid].name_zh} ({fid})"
        for custody in ("Cash", "Bank"):
            books.accounts[f"{account}:{custody}"] = (funds[fid].established_on, note)
    counter: dict[tuple[str, str], str] = {}  # (fund, voucher) → the other account
    for position, event in events:
        if isinstance(event, MoneyEvent):
            fund = fund_accounts[str(event.originator_id)]
            books.transactions.append(_transaction(position, event, fund, counter, names, books, first_day))
    accounts, off_balance = register_lines.transactions(events, names.ids, first_day)  # ADR 0140
    books.accounts.update(accounts)
    books.transactions.extend(Transaction(*t) for t in off_balance)
    books.transactions.sort(key=lambda t: (t.day, t.position))
    _assert_month_ends(views, books, funds, fund_accounts, last_day)
    return books


def _kind_codes(events: list[tuple[int, Any]], tree: dict[str, tuple]) -> set[str]:
    """Every code that becomes part of an account name (choices the domain checks; mapped
    like purposes all the same, so that no stored text can break an account name)."""
    codes = {kind for _, kind, _ in tree.values() if kind not in ORG_KINDS}
    for _, e in events:
        codes.update(
            getattr(e, key) for key in ("kind", "donor_kind", "grant_kind", "aid_kind") if hasattr(e, key)
        )
    return {c for c in codes if isinstance(c, str)}


def _fund_account(fund_id: str, fund: Any, tree: dict[str, tuple], names: Names) -> str:
    path: list[str] = []
    node: str | None = fund.owner_org_id
    while node is not None and node in tree and len(path) <= len(tree):
        _, kind, parent = tree[node]
        path.append(f"{ORG_KINDS.get(kind) or names.kind(kind)}-{names.ids[node]}")
        node = parent
    return ":".join(["Assets", *reversed(path), f"{names.kind(fund.kind)}-{names.ids[fund_id]}"])


def _person(event: Any) -> str | None:
    if isinstance(event, Fund.DonationReceived):
        return event.donor_person_id
    if isinstance(event, Fund.ExpensePaid):
        return event.payee_person_id
    if isinstance(event, Fund.StipendPaid | Fund.FeePaid | Fund.RefundPaid):
        return event.person_id
    if isinstance(event, Fund.AidPaid):
        return event.beneficiary_person_id
    return None


def _other_account(event: Any, names: Names) -> str:
    person = _person(event)
    suffix = f":Person-{names.ids[person]}" if person else ""
    if isinstance(event, Fund.DonationReceived):
        return f"Income:Donation:{names.kind(event.donor_kind)}{suffix}"
    if isinstance(event, Fund.GrantReceived):
        return f"Income:Grant:{names.kind(event.grant_kind)}"
    if isinstance(event, Fund.InterestCredited):
        return "Income:Interest"
    if isinstance(event, Fund.TransferredIn | Fund.TransferredOut):
        return "Equity:Transfers"
    if isinstance(event, Fund.StipendPaid):
        return f"Expenses:Stipend{suffix}"
    if isinstance(event, Fund.ExpensePaid):
        return f"Expenses:{names.purposes[event.category]}{suffix}"
    if isinstance(event, Fund.AidPaid):
        return f"Expenses:Aid:{names.kind(event.aid_kind)}{suffix}"
    if isinstance(event, Fund.FeePaid):
        return f"Income:Fee{suffix}"
    if isinstance(event, Fund.RefundPaid):
        return f"Expenses:FeeRefund{suffix}"
    raise ValueError(f"no counter account for {type(event).__name__}")


def _note(event: Any, names: Names) -> str:
    """The other account's note: the purpose as typed, and the person's name."""
    texts = [event.category] if isinstance(event, Fund.ExpensePaid) else []
    person = _person(event)
    texts += [names.people[person]] if person in names.people else []
    return " · ".join(texts)


def _narration(voucher: str, kind: str, event: Any) -> str:
    """Voucher and kind, then the counterparty named as recorded and the memo."""
    named = next(
        (getattr(event, k) for k in ("payee", "donor_name", "grantor_name") if getattr(event, k, None)), None
    )
    return " · ".join(t for t in (f"{voucher} {kind}", named, event.memo) if t)


def _transaction(
    position: int, event: Any, fund: str, counter: dict, names: Names, books: Books, first_day: date
) -> Transaction:
    fund_id, voucher = str(event.originator_id), event.voucher_no
    if isinstance(event, Fund.CashMoved):
        other = f"{fund}:{event.to_account.capitalize()}"
        kind = "存取现 cash move"
    elif isinstance(event, Fund.EntryReversed) and event.reverses_to_account is not None:
        other = f"{fund}:{event.reverses_to_account.capitalize()}"  # a cash move moved back
        kind = f"冲销 reverses {event.reverses_voucher_no}"
    else:
        if isinstance(event, Fund.EntryReversed):
            other = counter[(fund_id, event.reverses_voucher_no)]
            kind = f"冲销 reverses {event.reverses_voucher_no}"
        else:
            other = _other_account(event, names)
            kind = camel(type(event).__name__)
        books.accounts.setdefault(other, (first_day, _note(event, names)))
        counter[(fund_id, voucher)] = other
    own = f"{fund}:{event.account.capitalize()}"
    delta = sum(d for _, account, d in event.postings() if account == event.account)
    narration = _narration(voucher, kind, event)
    return Transaction(event.occurred_on, position, narration, ((own, delta), (other, -delta)))


def _assert_month_ends(
    views: ViewStore, books: Books, funds: dict[str, Any], accounts: dict[str, str], last_day: date
) -> None:
    month = min(f.established_on for f in funds.values()).replace(day=1)
    while month <= last_day:
        end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        for balance in queries.fund_balances(views, as_of=end):
            account = accounts.get(balance.fund_id)
            if account is None:
                continue
            books.assertions.append(Assertion(end, f"{account}:Cash", balance.cash_fen))
            books.assertions.append(Assertion(end, f"{account}:Bank", balance.bank_fen))
        month = end + timedelta(days=1)


def amount(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d} {CURRENCY}"


TEXT_CHUNK_LINES = 1000  # lines of a journal export sent at a time


def chunks(lines: Iterable[str]) -> Iterator[bytes]:
    """``"\\n".join(lines)`` as UTF-8, ``TEXT_CHUNK_LINES`` lines at a time (ADR 0185)."""
    batch: list[str] = []
    first = True
    for line in lines:
        batch.append(line)
        if len(batch) == TEXT_CHUNK_LINES:
            yield (("" if first else "\n") + "\n".join(batch)).encode("utf-8")
            batch, first = [], False
    if batch or first:
        yield (("" if first else "\n") + "\n".join(batch)).encode("utf-8")

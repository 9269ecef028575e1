"""The books as an hledger journal (``hledger -f FILE check``; ``hledger -f FILE bal``).

Accounts and the commodity are declared (so ``hledger check accounts commodities`` passes), with
each fund's Chinese name as a comment. A month end's assertions are a transaction of zero
postings with ``= balance`` (single-commodity, this account only), dated that day and written
after every voucher of the day: hledger checks assertions in date order, then file order.
Every text (names in comments, narrations) is one escaped line without ``:`` or ``;``
(``plain_names.hledger_text``), so it can neither add a line nor a tag.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator

from ledger.exports.books import CURRENCY, Books, amount
from ledger.exports.plain_names import hledger_text


def render(books: Books) -> str:
    return "\n".join(lines(books))


def lines(books: Books) -> Iterator[str]:
    """The file's lines in order, given out one by one (ADR 0185)."""
    yield from [f"; fundbook export: {len(books.transactions)} vouchers", f"commodity 1000.00 {CURRENCY}", ""]
    for account, (_, note) in sorted(books.accounts.items()):
        yield f"account {account}" + (f"  ; {hledger_text(note)}" if note else "")
    yield ""
    by_day: dict = {}
    for a in books.assertions:
        by_day.setdefault(a.day, []).append(a)
    # The vouchers are in (date, position) order already: the month ends merge in, no copy.
    vouchers = ((t.day, 0, t.position, t) for t in books.transactions)
    month_ends = ((day, 1, 0, group) for day, group in sorted(by_day.items()))
    for day, is_assertion, _, item in heapq.merge(vouchers, month_ends, key=lambda i: i[:3]):
        if is_assertion:
            yield f"{day.isoformat()} * month-end balances (月末余额)"
            yield from (f"    {a.account}    0 {CURRENCY} = {amount(a.fen)}" for a in item)
        else:
            yield f"{day.isoformat()} * {hledger_text(item.narration)}  ; position:{item.position}"
            yield from (f"    {account}    {amount(fen)}" for account, fen in item.postings)
        yield ""

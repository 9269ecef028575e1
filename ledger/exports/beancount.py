"""The books as a Beancount file (``bean-check FILE``).

Every account is opened (on its fund's establishment date, or the first day of the books) with
its Chinese name as metadata. Beancount checks a ``balance`` at the start of its day, so a month
end's balances are asserted on the first day of the next month, with a tolerance of ``~ 0.00``:
by default Beancount tolerates half of the last digit shown, a whole fen off on some inputs.
Every text is a string on one escaped line (``plain_names.beancount_string``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ledger.exports.books import CURRENCY, Books, amount
from ledger.exports.plain_names import beancount_string


def render(books: Books) -> str:
    return "\n".join(lines(books))


def lines(books: Books) -> Iterator[str]:
    """The file's lines in order, given out one by one (ADR 0185)."""
    yield from [
        f"; fundbook export: {len(books.transactions)} vouchers",
        f'option "operating_currency" "{CURRENCY}"',
        "",
    ]
    for account, (opened, note) in sorted(books.accounts.items(), key=lambda a: (a[1][0], a[0])):
        yield f"{opened.isoformat()} open {account} {CURRENCY}"
        if note:
            yield f"  name: {beancount_string(note)}"
    yield ""
    for t in books.transactions:
        yield f"{t.day.isoformat()} * {beancount_string(t.narration)}"
        yield f"  position: {t.position}"
        yield from (f"  {account}  {amount(fen)}" for account, fen in t.postings)
        yield ""
    for a in books.assertions:
        number, currency = amount(a.fen).split()
        yield f"{(a.day + timedelta(days=1)).isoformat()} balance {a.account}  {number} ~ 0.00 {currency}"
    yield ""

"""The books as a Beancount file (``bean-check FILE``).

Every account is opened (on its fund's establishment date, or the first day of the books) with
its Chinese name as metadata. Beancount checks a ``balance`` at the start of its day, so a month
end's balances are asserted on the first day of the next month, with a tolerance of ``~ 0.00``:
by default Beancount tolerates half of the last digit shown, a whole fen off on some inputs.
Every text is a string on one escaped line (``plain_names.beancount_string``).
"""

from __future__ import annotations

from datetime import timedelta

from ledger.exports.books import CURRENCY, Books, amount
from ledger.exports.plain_names import beancount_string


def render(books: Books) -> str:
    lines = [
        f"; fundbook export: {len(books.transactions)} vouchers",
        f'option "operating_currency" "{CURRENCY}"',
        "",
    ]
    for account, (opened, note) in sorted(books.accounts.items(), key=lambda a: (a[1][0], a[0])):
        lines.append(f"{opened.isoformat()} open {account} {CURRENCY}")
        if note:
            lines.append(f"  name: {beancount_string(note)}")
    lines.append("")
    for t in books.transactions:
        lines.append(f"{t.day.isoformat()} * {beancount_string(t.narration)}")
        lines.append(f"  position: {t.position}")
        lines.extend(f"  {account}  {amount(fen)}" for account, fen in t.postings)
        lines.append("")
    for a in books.assertions:
        number, currency = amount(a.fen).split()
        lines.append(
            f"{(a.day + timedelta(days=1)).isoformat()} balance {a.account}  {number} ~ 0.00 {currency}"
        )
    lines.append("")
    return "\n".join(lines)

"""Random histories exported, then re-checked by tools we did not write: ``hledger check`` with
its balance assertions and ``hledger bal``; ``bean-check`` and Beancount's own realization of
the balances. Both must give every fund's cash and bank balance exactly as our views do; and
``verify`` finds nothing wrong in any history the Ledger accepted."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import realization
from hypothesis import given, settings

from ledger.audit.fresh_fold import verify_store
from ledger.audit.log import stored_rows
from ledger.exports import beancount, hledger
from ledger.exports.books import CURRENCY, build
from ledger.projections import queries
from tests.properties.test_views_properties import QUICK, histories, world

EXPORT_SETTINGS = settings(max_examples=15, **QUICK)
BEAN_CHECK = str(Path(shutil.which("bean-check") or Path(__file__).parents[2] / ".venv/bin/bean-check"))


def decoded(w):
    from eventsourcing.persistence import StoredEvent

    decode = w.app.mapper.to_domain_event
    rows = stored_rows(w.store)
    return [(r.position, decode(StoredEvent(r.originator_id, r.version, r.topic, r.state))) for r in rows]


def our_balances(w, books) -> dict[str, int]:
    """Every fund's Cash and Bank account in the export → our balance in fen."""
    funds = {
        account.rsplit(":", 1)[0]: note
        for account, (_, note) in books.accounts.items()
        if account.startswith("Assets:")
    }
    out: dict[str, int] = {}
    for balance in queries.fund_balances(w.store):
        account = next(a for a, note in funds.items() if note.endswith(f"({balance.fund_id})"))
        out[f"{account}:Cash"], out[f"{account}:Bank"] = balance.cash_fen, balance.bank_fen
    return out


def fen(text: str) -> int:
    number = Decimal(text.replace(CURRENCY, "").strip() or "0")
    assert number == number.quantize(Decimal("0.01"))
    return int(number * 100)


def hledger_balances(path: Path) -> dict[str, int]:
    done = subprocess.run(
        ["hledger", "-f", str(path), "bal", "^Assets:", "--flat", "-E", "--no-total", "-O", "csv"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(done.stdout)))[1:]
    return {account: fen(amount) for account, amount in rows}


def beancount_balances(path: Path) -> dict[str, int]:
    entries, problems, _ = loader.load_file(str(path))
    assert problems == []
    real = realization.realize(entries)
    out = {}
    for account in realization.iter_children(real):
        if account.account.startswith("Assets:") and not account:  # leaves only
            units = account.balance.get_currency_units(CURRENCY)
            out[account.account] = int(units.number * 100)
    return out


@EXPORT_SETTINGS
@given(history=histories)
def test_hledger_and_beancount_recheck_every_fund_balance_exactly_for_random_histories(
    store_templates, history
):
    recheck_exports(store_templates, history)


def test_hledger_and_beancount_recheck_a_reversed_cash_move_moved_back(store_templates):
    """ADR 0033: the reversal posts between the fund's Cash and Bank, the opposite of the move."""
    day = date(2025, 2, 3)
    history = [
        ("donate", 0, day, 10_000, "cash", -1),
        ("move_cash", 0, day, 6_000, "cash"),
        ("reverse", -1, 1),  # the last voucher so far: the move
        ("move_cash", 0, day, 2_500, "cash"),
    ]
    w = recheck_exports(store_templates, history)
    assert w.refused == []


def recheck_exports(templates, history):
    with world(templates, history) as w, tempfile.TemporaryDirectory(prefix="fundbook-export-") as folder:
        events = decoded(w)
        report = verify_store(w.store, w.app.mapper.to_domain_event, fingerprints=[])
        assert report.violations == []

        books = build(w.store, events)
        ours = our_balances(w, books)
        journal, bean = Path(folder) / "books.journal", Path(folder) / "books.beancount"
        journal.write_text(hledger.render(books), encoding="utf-8")
        bean.write_text(beancount.render(books), encoding="utf-8")

        checked = subprocess.run(["hledger", "-f", str(journal), "check"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        assert hledger_balances(journal) == ours
        checked = subprocess.run([BEAN_CHECK, str(bean)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert beancount_balances(bean) == ours
        assert {a.account for a in books.assertions} == set(ours)  # every fund, every month end
    return w

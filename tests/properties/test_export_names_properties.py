"""Issue 15 point 7: whatever text the domain accepts as a fund's name, a purpose, a memo, a
payee or a person's name, the hledger journal and the Beancount file pass ``hledger check``
(with ``accounts commodities``) and ``bean-check``, hold exactly the transactions we wrote (no
name adds one), and give every fund's cash and bank balance exactly as our views do (ADR 0063).

Each example records one history holding many hostile texts at once (the tools take about a
second per call): the texts found by the reviewer (a fund name holding a whole transaction,
``费用``, ``a  b``, an hledger ``type:`` tag), then texts drawn by hypothesis. A text the domain
refuses is replaced by a plain one: the property is about what the domain accepts.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from hypothesis import example, given, settings

from ledger.application import Ledger
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.domain import errors
from ledger.exports import beancount, hledger
from ledger.exports.books import build
from ledger.projections import runner
from tests.properties.test_exports_properties import (
    BEAN_CHECK,
    beancount_balances,
    decoded,
    hledger_balances,
    our_balances,
)
from tests.properties.test_views_properties import QUICK, fresh_store_url

TODAY = date(2025, 7, 10)
ACTOR = "keeper"
FORGED = "互助金\n2025-07-01 * forged\n    Assets:Forged:Cash    999.00 CNY\n    Income:Forged\n"
HOSTILE = [
    FORGED,
    "费用",
    "a  b",
    "基金 type: Zzz, date:2020-01-01",
    'q"uote\\ "x" \\n',
    "; comment | pipe ; more",
    '=HYPERLINK("http://evil.example/","x")',
    "a\tb\rc\u2028d\u2029e\u202e\ufeff",
    "Assets:Forged",
    "stipend",
    "aid",
    "hardship_aid",
    "}{ %s %(x)s ${x} \\u0041",
    "   前后空格   ",
]
EXAMPLES = int(os.environ.get("FUNDBOOK_EXPORT_NAME_EXAMPLES", "8"))
# NUL and lone surrogates cannot be stored as text by PostgreSQL (nor sent as UTF-8 JSON).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
)


def _first(command: Callable[..., Any], *tries: dict[str, Any]) -> Any:
    """The command with the first arguments the domain accepts (the last must be plain)."""
    for arguments in tries[:-1]:
        with contextlib.suppress(errors.LedgerError):
            return command(**arguments)
    return command(**tries[-1])


def record_names(app: Ledger, names: list[str]) -> None:
    """Per text: a fund named by it with it as its purpose, a person named by it, a donation
    from a donor named by it with it as memo, an expense for it as purpose to a payee named by
    it (the person) with it as memo."""
    org = app.register_organisation(
        actor=ACTOR, kind="branch", name_zh="第一支部", established_on=date(2010, 1, 1)
    )["org_id"]
    day = date(2025, 7, 1)
    for n, text in enumerate(names):
        fund = {"owner_org_id": org, "kind": "activity", "custody": {"kind": "cash_box"}}
        fund.update(actor=ACTOR, established_on=date(2025, 1, 1))
        fund_id = _first(
            app.establish_fund,
            {**fund, "name_zh": text, "allowed_purposes": [text, "activities"]},
            {**fund, "name_zh": text, "allowed_purposes": ["activities"]},
            {**fund, "name_zh": f"基金{n}", "allowed_purposes": [text, "activities"]},
            {**fund, "name_zh": f"基金{n}", "allowed_purposes": ["activities"]},
        )["fund_id"]
        person = _first(
            app.register_person, {"actor": ACTOR, "name_zh": text}, {"actor": ACTOR, "name_zh": f"成员{n}"}
        )["person_id"]
        entry = {"fund_id": fund_id, "actor": ACTOR, "occurred_on": day}
        donation = {**entry, "command": "receive_donation", "amount_fen": 10_000 + n, "doc_refs": ["收据"]}
        donation.update(donor_kind="resident", donor_name=text, memo=text)
        _first(
            app.record, donation, {**donation, "memo": None}, {**donation, "donor_name": "居民", "memo": None}
        )
        expense = {**entry, "command": "pay_expense", "amount_fen": 1_000 + n, "doc_refs": ["发票"]}
        expense.update(category=text, payee=text, payee_person_id=person, memo=text)
        expense.update(handled_by="经手人", approved_by="审批人")
        plain = {"category": "activities", "payee": "收款人", "memo": None}
        _first(app.record, expense, {**expense, "memo": None}, {**expense, **plain})


@contextlib.contextmanager
def recorded(names: list[str]) -> Iterator[tuple[Ledger, Any]]:
    with fresh_store_url() as url:
        app = build_ledger(Settings(database_url=url), today=lambda: TODAY)
        try:
            store = build_views(Settings(database_url=url))
            try:
                record_names(app, names)
                runner.catch_up(store)
                yield app, store
            finally:
                store.close()
        finally:
            app.close()


def _transactions_counted_by_hledger(path: Path) -> int:
    done = subprocess.run(["hledger", "-f", str(path), "stats"], capture_output=True, text=True, check=True)
    found = re.search(r"^Transactions\s*:\s*(\d+)", done.stdout, re.MULTILINE)
    assert found, done.stdout
    return int(found[1])


def check_exports(names: list[str]) -> None:
    with recorded(names) as (app, store), tempfile.TemporaryDirectory(prefix="fundbook-names-") as folder:
        w = type("W", (), {"app": app, "store": store})()
        books = build(store, decoded(w))
        ours = our_balances(w, books)
        journal, bean = Path(folder) / "books.journal", Path(folder) / "books.beancount"
        journal.write_text(hledger.render(books), encoding="utf-8")
        bean.write_text(beancount.render(books), encoding="utf-8")

        checked = subprocess.run(
            ["hledger", "-f", str(journal), "check", "accounts", "commodities"],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stderr
        month_ends = len({a.day for a in books.assertions})
        assert _transactions_counted_by_hledger(journal) == len(books.transactions) + month_ends
        assert hledger_balances(journal) == ours
        checked = subprocess.run([BEAN_CHECK, str(bean)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert beancount_balances(bean) == ours
        assert len(ours) == 2 * len(names)  # every fund was established, cash and bank


@settings(max_examples=EXAMPLES, **QUICK)
@example(drawn=[])
@given(drawn=st.lists(texts, min_size=1, max_size=6))
def test_hledger_and_beancount_accept_every_name_the_domain_accepts_with_unchanged_balances(drawn):
    check_exports([*HOSTILE, *drawn])

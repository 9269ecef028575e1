"""Gifts in kind and assets in the hledger and Beancount books (ADR 0140), re-checked by the real
tools: off-balance accounts of their own, balanced per transaction, every fund's Cash and Bank
unchanged and still asserted; texts that try to be syntax stay text."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

from ledger.exports import beancount, hledger
from ledger.exports.books import build
from tests.api.conftest import World, views_reach
from tests.api.conftest import world as world  # the fixtures, used by name
from tests.api.conftest import world_store as world_store
from tests.api.test_assets import asset, bought, gift
from tests.properties.test_exports_properties import (
    BEAN_CHECK,
    beancount_balances,
    decoded,
    hledger_balances,
    our_balances,
)

SNEAKY = 'x"\n2025-01-01 * evil ; type:Expense\\ 共建:单位'  # refused: a newline (control byte)
HOSTILE = '共建单位 ; type:Expense " 2025-01-01 open Assets:Evil'


def test_books_carry_gifts_and_assets_off_balance_and_the_tools_accept_them(world: World, tmp_path: Path):
    url = f"/organisations/{world.orgs['a']}"
    assert world.post(f"{url}/gifts-in-kind", gift(donor_name=SNEAKY[:100])).status_code == 422
    assert world.post(f"{url}/gifts-in-kind", gift(donor_name=HOSTILE)).status_code == 201
    voucher = bought(world)
    assert (
        world.post(f"{url}/assets", asset(world, voucher, public_name="=cmd|'/C calc'!A0")).status_code == 201
    )
    off = {"written_off_on": "2025-07-09", "approved_by": world.people["auditor"], "reason": "损坏"}
    assert world.post(f"{url}/assets/A2025-001/write-off", off).status_code == 201
    views = world.client.app.state.views
    views_reach(world.client, world.position())
    w = SimpleNamespace(store=views, app=world.ledger)

    books = build(views, decoded(w))
    journal, bean = tmp_path / "books.journal", tmp_path / "books.beancount"
    journal.write_text(hledger.render(books), encoding="utf-8")
    bean.write_text(beancount.render(books), encoding="utf-8")

    checked = subprocess.run(["hledger", "-f", str(journal), "check"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    checked = subprocess.run([BEAN_CHECK, str(bean)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ours = our_balances(w, books)
    for tool_balances in (hledger_balances(journal), beancount_balances(bean)):
        funds = {a: fen for a, fen in tool_balances.items() if ":OffBalance:" not in a}
        off_balance = {a.rsplit(":", 1)[1]: fen for a, fen in tool_balances.items() if ":OffBalance:" in a}
        assert funds == ours
        assert off_balance == {"InKind": 800_000, "Register": 0}  # bought 300.00, written off
    assert "Assets:Evil" not in {a for a in books.accounts}
    for text in (bean.read_text(), journal.read_text()):  # only ever inside a narration's line
        assert all(" * " in line for line in text.splitlines() if "Assets:Evil" in line)

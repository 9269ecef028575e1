"""No stored code in the Chinese console (issue 19 item 4): every value of every domain enum has
its words, no template prints a code-bearing value bare, and no page a custodian can reach shows
a code where words belong (the journal's 类别 read ``aid``; 我的角色 read ``bookkeeper``)."""

from __future__ import annotations

import html
import re
from collections import deque
from datetime import date
from importlib import resources

import pytest

from ledger.projections import fold, runner
from ledger.web.console import code_words
from tests.web.console_helpers import Browser

CJK = re.compile(r"[\u4e00-\u9fff]")
# Codes the domain writes as literals rather than listing in a tuple.
LITERAL_CODES = {
    "entry": (*{money.kind for money in fold._MONEY.values()}, "transfer"),
    "aid_status": ("applied", "approved", "rejected", "cancelled", "paid"),
    "collection_status": ("open", "settled", "closed"),
}
ALL_CODES = {code for words in code_words.GROUPS.values() for code in words}
# A value read off a stored row whose attribute holds a code: shown bare, it is a code on screen.
CODE_ATTRIBUTES = (
    "role",
    "entry_kind",
    "kind",
    "status",
    "category",
    "aid_kind",
    "donor_kind",
    "grant_kind",
    "basis",
    "rule",
    "outcome",
    "account",
    "custody_kind",
    "branch_kind",
    "membership_status",
)
# ``{{ row.entry_kind }}`` as text (not ``data-kind="{{ row.entry_kind }}"``, not a label ``t.kind``)
BARE = re.compile(
    r'(?<!=")\{\{\s*(?!t\.|st\.|error\.)[\w.]+\.('
    + "|".join(CODE_ATTRIBUTES)
    + r")\s*(\}\}|\|\s*(e|escape)\s*\}\})"
)


@pytest.mark.parametrize("group", sorted({*code_words.ENUMS, *LITERAL_CODES}))
def test_every_code_of_a_domain_enum_has_chinese_and_english_words(group):
    codes = code_words.ENUMS.get(group) or LITERAL_CODES[group]
    for code in codes:
        zh, en = code_words.word(group, code, "zh"), code_words.word(group, code, "en")
        assert CJK.search(zh) and zh != code, (group, code, zh)
        assert en != code and not CJK.search(en), (group, code, en)


def test_no_template_prints_a_code_bearing_value_without_its_words():
    templates = resources.files("ledger.web.console") / "templates"
    bare = {
        page.name: [m.group(0) for m in BARE.finditer(page.read_text(encoding="utf-8"))]
        for page in templates.iterdir()
        if page.name.endswith(".html")
    }
    assert {name: found for name, found in bare.items() if found} == {}


def _visible_text(page: str) -> str:
    """What a reader sees: no tags, styles or attributes, and not the small support line that
    names a refusal's code (issue 19 keeps it there on purpose)."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.DOTALL)
    page = re.sub(r'<small class="details">.*?</small>', " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _crawl(browser: Browser, start: str, limit: int = 120) -> dict[str, str]:
    """GET every console page reachable by links from ``start`` (at most two per address shape,
    ids and periods counted as one), as the signed-in user would click through them."""
    seen: dict[str, str] = {}
    shapes: dict[str, int] = {}
    todo = deque([start])
    while todo and len(seen) < limit:
        url = todo.popleft()
        shape = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d{4}-\d{2}(-\d{2})?|\d{6}-\d{3}", "*", url)
        if url in seen or shapes.get(shape, 0) >= 2:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        answer = browser.get(url)
        if answer.status_code != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        seen[url] = answer.text
        for link in re.findall(r'href="(/console[^"#]*)"', answer.text):
            if "/export" not in link and "sign-out" not in link and "lang=" not in link:
                todo.append(html.unescape(link))
    return seen


def test_no_page_of_the_chinese_console_shows_a_stored_code_untranslated(world):
    fund = world.funds["activity_a"]
    moved = world.ledger.record(
        fund,
        "move_cash",
        actor="test",
        occurred_on=date(2025, 7, 2),
        amount_fen=1_000,
        from_account="cash",
        to_account="bank",
        doc_refs=["存款单"],
    )
    world.ledger.reverse_entry(
        fund, actor="test", voucher_no=moved["voucher_no"], occurred_on=date(2025, 7, 3), reason="存错"
    )
    views = world.client.app.state.views
    world.client.app.state.follower.poke()
    assert runner.wait_for(views, world.position(), timeout_s=5)
    names = [row[0] for row in views.fetch("SELECT name_zh FROM v_person")]  # typed by people

    shown: dict[str, list[str]] = {}
    for role in ("admin", "bookkeeper"):
        pages = _crawl(Browser(world, role), "/console")
        assert len(pages) > 10, sorted(pages)  # the crawl reached the books, not just home
        for url, page in pages.items():
            text = _visible_text(page)
            for name in names:
                text = text.replace(name, " ")
            words = set(re.findall(r"(?<![A-Za-z0-9_./-])[a-z][a-z_]{2,}(?![A-Za-z0-9_])", text))
            if words & ALL_CODES:
                shown[f"{role} {url}"] = sorted(words & ALL_CODES)
    assert shown == {}

"""Day one in a real browser (issue 17): from an empty store to a posted notice with only the
CLI and the console. ``fundbook init`` makes the street and its administrator; the
administrator, signed in with the password init set, registers the community, two branches,
six people with their memberships, the branch secretary, two funds, a bookkeeper and a cashier
in the setup pages (each read back before it is recorded); ``fundbook import`` enters the
sample paper register (a member donor, a stipend, a transfer, a cash move); the bookkeeper
signs in with the password the administrator gave, records January's first donation, closes
the month, and the public noticeboard shows the statement. Checked against the read models;
screenshots go to the test's tmp_path."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import queries, runner
from tests.e2e.server import env_for, fundbook_command, running_server

REGISTER = Path(__file__).resolve().parents[2] / "docs" / "samples" / "register-2024.xlsx"
TODAY = "2025-02-10"


@pytest.fixture
def today_env(tmp_path) -> dict[str, str]:
    today = tmp_path / "today"
    today.write_text(TODAY, encoding="utf-8")
    return {"FUNDBOOK_TODAY_FILE": str(today)}


def fundbook(database_url: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*fundbook_command(), *args],
        env={**env_for(database_url), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def sign_in(tab: Page, base_url: str, login: str, password: str) -> None:
    tab.goto(f"{base_url}/console/sign-in")
    tab.fill("#login", login)
    tab.fill("#password", password)
    tab.click("#sign-in-password")
    tab.wait_for_url(re.compile(r"/console$"))


def setup(tab: Page, base_url: str, key: str, **fields: str) -> None:
    """Fill a setup form (``name=value``; a select by its label, ``on`` ticks a box), check the
    read-back, confirm, and land on the setup page."""
    tab.goto(f"{base_url}/console/setup/{key}")
    for name, value in fields.items():
        element = tab.locator(f"#{name}")
        tag = element.evaluate("e => e.tagName + (e.type || '')")
        if tag.startswith("SELECT") and re.fullmatch(r"[0-9a-f-]{36}", value):
            element.select_option(value)  # an id: two people may share a name
        elif tag.startswith("SELECT"):
            element.select_option(label=value)
        elif tag == "INPUTcheckbox":
            element.check()
        else:
            element.fill(value)
    tab.click("#check")
    expect(tab.locator("#read-back")).to_be_visible()
    tab.click("#confirm")
    tab.wait_for_url(re.compile(r"/console/setup\?position="))
    expect(tab.locator("#setup-done")).to_be_visible()


def person_ids(tab: Page, name: str) -> set[str]:
    return {
        li.get_attribute("data-person") or ""
        for li in tab.locator("#setup-people li").all()
        if li.inner_text() == name
    }


def member(tab: Page, base_url: str, name: str, branch: str) -> str:
    """Register a person, then their membership of ``branch`` from 2020-01-01; their id."""
    before = person_ids(tab, name)
    setup(tab, base_url, "person", name_zh=name)
    [person] = person_ids(tab, name) - before
    setup(
        tab,
        base_url,
        "membership",
        person_id=person,
        org_id=f"{branch}（党支部）",
        effective_on="2020-01-01",
        membership_status="正式党员",
        category="离退休人员",
    )
    return person


# day one starts on a database never opened, as a new street's does (ADR 0213)
@pytest.mark.bare_store
def test_a_street_goes_from_an_empty_store_to_a_posted_notice_with_the_cli_and_the_console(
    database_url, today_env, page, tmp_path
):
    started = fundbook(
        database_url,
        {**today_env, "FUNDBOOK_INIT_PASSWORD": "zhou-jianguo-2025"},
        "init",
        "--org-name",
        "红星街道党工委",
        "--org-kind",
        "街道党工委",
        "--established-on",
        "2020-01-01",
        "--admin-name",
        "周建国",
        "--login",
        "zhou",
    )
    assert "token (shown once" in started
    with running_server(database_url, today_env) as base_url:
        sign_in(page, base_url, "zhou", "zhou-jianguo-2025")
        page.click("#nav-setup")
        setup(page, base_url, "organisation", kind="社区党委", name_zh="阳光社区党委",
              parent_org_id="红星街道党工委（街道党工委）", established_on="2020-01-01")  # fmt: skip
        for branch in ("第一离退休党支部", "第二离退休党支部"):
            setup(page, base_url, "organisation", kind="党支部", name_zh=branch, branch_kind="离退休党支部",
                  parent_org_id="阳光社区党委（社区党委）", established_on="2020-01-01")  # fmt: skip
        page.screenshot(path=tmp_path / "01-tree.png", full_page=True)
        zhang = member(page, base_url, "张建华", "第一离退休党支部")
        member(page, base_url, "王秀英", "第一离退休党支部")
        member(page, base_url, "王秀英", "第二离退休党支部")
        member(page, base_url, "李桂兰", "第二离退休党支部")
        setup(page, base_url, "person", name_zh="刘会计")
        setup(page, base_url, "person", name_zh="赵出纳")
        setup(page, base_url, "office", org_id="第一离退休党支部（党支部）", person_id=zhang,
              role="书记", from_date="2020-01-01")  # fmt: skip
        setup(page, base_url, "fund", owner_org_id="阳光社区党委（社区党委）", kind="党员互助金",
              name_zh="阳光社区党员互助金", allowed_purposes="hardship_aid", custody_kind="银行账户",
              custody_ref="居委会账户", established_on="2023-01-01")  # fmt: skip
        setup(page, base_url, "fund", owner_org_id="第一离退休党支部（党支部）", kind="活动经费",
              name_zh="第一支部活动经费", allowed_purposes="activities", custody_kind="现金（保险柜）",
              established_on="2023-01-01", stipends_allowed="on")  # fmt: skip
        setup(page, base_url, "user", person_id="刘会计", role="会计", org_id="阳光社区党委（社区党委）",
              login="liu", password="liu-kuaiji-2025")  # fmt: skip
        setup(page, base_url, "user", person_id="赵出纳", role="出纳", org_id="阳光社区党委（社区党委）",
              login="zhao", password="zhao-chuna-2025")  # fmt: skip
        page.screenshot(path=tmp_path / "02-set-up.png", full_page=True)

        dry = fundbook(database_url, today_env, "import", str(REGISTER), "--dry-run")
        assert "would import 10 entries; 0 rejected" in dry
        fundbook(database_url, today_env, "import", str(REGISTER), "--actor", "刘会计")

        page.context.clear_cookies()
        sign_in(page, base_url, "liu", "liu-kuaiji-2025")
        fund = page.locator("tr[data-fund]", has_text="阳光社区党员互助金").get_attribute("data-fund")
        page.goto(f"{base_url}/console/funds/{fund}/record/donation")
        page.fill("#occurred_on", "2025-01-06")
        page.fill("#amount", "100")
        page.select_option("#donor_kind", "member")
        page.select_option("#donor_person_id", label="李桂兰（第二离退休党支部）")  # names the branch
        page.fill("#doc_refs", "收-2501-01")
        page.click("#check")
        expect(page.locator("#confirm-capital")).to_have_text("人民币壹佰元整")
        page.click("#confirm")
        page.wait_for_url(re.compile(r"/vouchers/"))

        page.goto(f"{base_url}/console/funds/{fund}/close?period=2025-01")
        expect(page.locator("#st-closing")).to_have_text("880.00")  # 780.00 imported + 100.00
        page.check("#confirm_irreversible")  # "cannot be undone" (issue 19)
        page.click("#close")
        page.wait_for_url(re.compile(r"/closed/2025-01"))
        page.click("#notice-link")
        page.wait_for_url(re.compile(f"/board/{fund}/2025-01$"))
        expect(page.locator("h1, h2").first).to_contain_text("阳光社区党员互助金")
        page.screenshot(path=tmp_path / "03-notice.png", full_page=True)

    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        statement = queries.statement(views, fund, "2025-01")
        assert (statement.closed, statement.closing_fen) == (True, 88_000)
        donated = {t.person_id: t.donated_fen for t in queries.member_totals(views) if t.donated_fen}
        assert donated[zhang] == 30_000  # the paper register's 200.00 + 100.00
    finally:
        views.close()

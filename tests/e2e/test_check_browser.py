"""A resident checks a posted notice in a real browser (issue 16): the test downloads the sealed
statement's PDF from a real ``fundbook serve``, renders its page with poppler's ``pdftoppm``,
decodes the QR code with zxing-cpp, opens the URL it holds in chromium and reads "一致"; then it
edits a stored event in the database behind the server's back (as tests/audit/test_tamper.py
does), opens the same URL again and reads the mismatch named in plain words. The public base URL
is configured as a reverse proxy's would be: the QR code holds it, the test maps it onto the
server's own address."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import httpx
import zxingcpp
from PIL import Image

from ledger.application.bootstrap import build_ledger, build_views
from ledger.audit.log import stored_rows
from ledger.config import Settings
from tests.audit.test_tamper import tamper
from tests.e2e.server import SEED_ACTOR, running_server, seed

PUBLIC_BASE = "https://gongshi.example.cn"


def _record_and_seal(database_url: str) -> str:
    world = seed(database_url)
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        ledger.record(
            world.fund,
            "receive_grant",
            actor=SEED_ACTOR,
            occurred_on=date(2024, 1, 8),
            amount_fen=30_000,
            grant_kind="dues_rebate",
            grantor_name="街道党工委",
            doc_refs=["拨款通知"],
        )
        ledger.close_periods_through(world.fund, actor=SEED_ACTOR, period="2024-01")
    finally:
        ledger.close()
    return world.fund


def _qr_url(pdf: bytes, tmp_path: Path) -> str:
    (tmp_path / "notice.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "notice.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=120,
    )
    (png,) = tmp_path.glob("page*.png")
    codes = zxingcpp.read_barcodes(Image.open(png))
    assert len(codes) == 1, [c.text for c in codes]
    return codes[0].text


def test_a_resident_scans_the_qr_of_a_posted_pdf_and_reads_consistent_then_the_mismatch(
    database_url, page, tmp_path
):
    fund = _record_and_seal(database_url)
    with running_server(database_url, {"FUNDBOOK_PUBLIC_BASE_URL": PUBLIC_BASE}) as base_url:
        pdf = httpx.get(f"{base_url}/board/{fund}/2024-01.pdf", timeout=60)
        assert pdf.status_code == 200
        url = _qr_url(pdf.content, tmp_path)
        assert url.startswith(f"{PUBLIC_BASE}/check/") and url.endswith("/2024-01")

        page.goto(url.replace(PUBLIC_BASE, base_url))  # the proxy's public address → this server
        page.screenshot(path=tmp_path / "check-ok.png", full_page=True)
        assert page.locator("#verdict").inner_text() == "一致"
        assert "党员互助金" in page.locator("#seals").inner_text()
        assert "人民币叁佰元整" in page.locator("#figures").inner_text()

        views = build_views(Settings(database_url=database_url))
        try:
            grant = next(r for r in stored_rows(views) if r.topic == "fundbook:Fund.GrantReceived")
            edited = grant.state.replace(b'"amount_fen":30000', b'"amount_fen":3000')
            tamper(views, "UPDATE {table} SET state = ? WHERE {position} = ?", edited, grant.position)
        finally:
            views.close()

        page.goto(url.replace(PUBLIC_BASE, base_url))
        page.screenshot(path=tmp_path / "check-mismatch.png", full_page=True)
        assert page.locator("#verdict").inner_text() == "不一致"
        problems = page.locator("#problems").inner_text()
        assert f"第 {grant.position} 条记录（一笔拨款收入）与封存时的记录不同" in problems
        assert "本期收入：公示（封存）为 300.00 元，账簿今天为 30.00 元" in problems

"""The public noticeboard served in process: the index without a token, statement pages and
their files, English labels, refusals with error codes, and the internal board behind a token."""

from __future__ import annotations

import csv
import io

import orjson
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from ledger.api import create_app
from ledger.config import Settings
from ledger.exports import formats
from ledger.exports import statement as board
from ledger.projections import queries
from tests.api.conftest import auth, error_of, views_reach


@pytest.fixture
def client(example, database_url):
    app = create_app(Settings(database_url=database_url), ledger=example.app)
    with TestClient(app) as client:
        position = example.app.recorder.max_notification_id()
        assert client.get("/health").status_code == 200
        views_reach(client, position)  # the views reached every write
        yield client


def test_the_index_lists_the_tree_its_funds_and_their_periods_without_a_token(client, example):
    page = client.get("/")

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "中共××街道××社区委员会" in text and "第三党支部" in text and "党员互助基金" in text
    for period in ("2024", "2024-Q3", "2024-09", "2024-10"):
        assert f'href="/board/{example.fund}/{period}"' in text
    assert "2024-11" not in text  # after today (2024-10-14)
    assert 'href="/docs"' not in text and 'href="/health"' not in text  # nothing technical (issue 18)


def test_the_index_leads_with_the_latest_posted_notice_and_says_posted_or_provisional_in_words(
    client, example
):
    text = client.get("/").text  # closed through 2024-09, today 2024-10-14

    assert (
        f'<a class="latest-notice" data-period="2024-Q3" href="/board/{example.fund}/2024-Q3">'
        "最新公示：2024年第三季度"
    ) in text
    closed = f'<a class="period-month posted" href="/board/{example.fund}/2024-09"><span>9月</span>'
    assert closed + '<span class="badge posted">已结账</span>' in text
    open_ = f'<a class="period-month provisional" href="/board/{example.fund}/2024-10"><span>10月</span>'
    assert open_ + '<span class="badge provisional">临时</span>' in text
    # The latest notice leads; the year's months stay folded (eight funds' months unfolded made the
    # index a page of 148 links). Only a fund with nothing posted yet opens its newest year.
    assert '<details class="year periods" data-year="2024">' in text
    assert '<details class="year periods" data-year="2024" open>' not in text


def test_the_api_docs_stay_reachable(client):
    assert client.get("/docs").status_code == 200


def test_a_statement_page_answers_without_a_token_with_links_to_every_file(client, example):
    page = client.get(f"/board/{example.fund}/2024-Q3")

    assert page.status_code == 200
    assert "党员互助基金收支情况公示（2024年第三季度）" in page.text
    for fmt in ("pdf", "csv", "xlsx", "json"):
        assert f'href="/board/{example.fund}/2024-Q3.{fmt}"' in page.text
    assert "王小明" not in page.text and "王*明" in page.text


def test_english_labels_on_request(client, example):
    page = client.get(f"/board/{example.fund}/2024-Q3", params={"lang": "en"})

    assert "Opening balance" in page.text and "Period totals" in page.text and "Q3 2024" in page.text
    assert "上期结余" not in page.text.split("<tbody>")[1].split("</tbody>")[0]


@pytest.mark.parametrize("fmt", ["pdf", "csv", "xlsx", "json", "html"])
def test_every_file_of_a_statement_is_served_with_its_media_type(client, example, fmt):
    response = client.get(f"/board/{example.fund}/2024-Q3.{fmt}")

    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == formats.MEDIA_TYPES[fmt].split(";")[0]
    assert f"2024-Q3.{fmt}" in response.headers["content-disposition"]


def test_the_served_json_and_csv_agree_with_the_statement_model(client, example, caught_up):
    st = board.build(caught_up, example.fund, "2024-Q3")
    data = client.get(f"/board/{example.fund}/2024-Q3.json").json()
    rows = list(
        csv.reader(io.StringIO(client.get(f"/board/{example.fund}/2024-Q3.csv").content.decode("utf-8-sig")))
    )

    # The served JSON is a page of STATEMENT_PAGE_DEFAULT vouchers (ADR 0175): a quarter fits in one.
    served = board.build(caught_up, example.fund, "2024-Q3", limit=queries.STATEMENT_PAGE_DEFAULT)
    assert data == orjson.loads(formats.to_json(served))
    assert data["lines"] == orjson.loads(formats.to_json(st))["lines"] and data["next"] is None
    assert [line["balance"] or "" for line in data["lines"]] == [
        r[6] for r in rows[1 : 1 + len(data["lines"])]
    ]


def test_an_unknown_fund_is_fund_not_found(client):
    assert error_of(client.get("/board/no-such-fund/2024-Q3")) == (404, "fund_not_found")


def test_a_malformed_period_is_period_invalid(client, example):
    assert error_of(client.get(f"/board/{example.fund}/2024-13")) == (422, "period_invalid")


def test_an_unknown_format_or_language_is_value_not_allowed(client, example):
    assert error_of(client.get(f"/board/{example.fund}/2024-Q3.doc")) == (422, "value_not_allowed")
    assert error_of(client.get(f"/board/{example.fund}/2024-Q3", params={"lang": "fr"})) == (
        422,
        "value_not_allowed",
    )


def test_an_unknown_sheet_is_value_not_allowed_and_a3_is_served_as_a3(client, example):
    for path in (f"/board/{example.fund}/2024-Q3", f"/board/{example.fund}/2024-Q3.pdf"):
        assert error_of(client.get(path, params={"sheet": "b5"})) == (422, "value_not_allowed")
    a3 = client.get(f"/board/{example.fund}/2024-Q3.pdf", params={"sheet": "a3"})
    page = PdfReader(io.BytesIO(a3.content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 1191)


def test_the_internal_board_needs_a_token(client, example):
    assert error_of(client.get(f"/board/internal/{example.fund}/2024-Q3")) == (401, "authentication_required")


def test_a_member_signed_in_sees_full_names_where_internal_consent_is_recorded(client, example):
    app = example.app
    app.change_person(
        example.people["wang"], "change_consent", actor="seed", public_notice=False, internal_notice=True
    )
    user = app.register_user(actor="seed", person_id=example.people["zhao"])["user_id"]
    app.change_role(user, "grant", actor="seed", role="member", org_id=example.orgs["community"])
    token, _ = app.issue_token(user, actor="seed")
    position = app.recorder.max_notification_id()

    internal = client.get(
        f"/board/internal/{example.fund}/2024-Q3",
        params={"format": "json", "min_position": position},
        headers=auth(token),
    )
    public = client.get(f"/board/{example.fund}/2024-Q3.json")  # the views are there (internal read)

    assert internal.status_code == 200, internal.text
    assert internal.json()["audience"] == "internal"
    assert "困难党员救助 王小明（第一党支部）" in [line["summary"] for line in internal.json()["lines"]]
    assert "王小明" not in public.text

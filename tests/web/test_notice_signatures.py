"""审核 is a person (issue 16): the close names its reviewer by person id or by a name exactly
one qualified person bears (an office of the fund's organisation or above, not its custodian);
the sheet prints the reviewer in full on the page and in the PDF; an ambiguous, unknown or
unqualified reviewer is refused with its code; a sheet closed before with a typed name prints
that name. Over HTTP (the API's close route and the public board)."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from ledger.domain.context import Context
from tests.api.conftest import SEED, World, after_writes, error_of

REVIEWER = "member同志"  # the seeded world's secretary of branch A, which owns activity_a


def _close(world: World, reviewed_by: str | None) -> object:
    body = {"period": "2025-06"} if reviewed_by is None else {"period": "2025-06", "reviewed_by": reviewed_by}
    return world.post(f"/funds/{world.funds['activity_a']}/periods/close", body)


def _sheet(world: World, fmt: str = "html") -> str:
    fund = world.funds["activity_a"]
    response = world.client.get(f"/board/{fund}/2025-Q2.{fmt}", params=after_writes(world))
    assert response.status_code == 200, response.text
    if fmt == "pdf":
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return response.text


def test_a_close_with_a_reviewer_by_person_id_prints_the_reviewer_on_the_page_and_the_pdf(world):
    response = _close(world, world.people["member"])

    assert response.status_code == 201, response.text
    assert f"审核：{REVIEWER}" in _sheet(world)
    assert REVIEWER in _sheet(world, "pdf").replace(" ", "") and "审核" in _sheet(world, "pdf")


def test_a_close_with_a_reviewer_by_name_records_the_person_and_prints_them(world):
    response = _close(world, REVIEWER)

    assert response.status_code == 201, response.text
    rows = world.ledger.fund(world.funds["activity_a"])
    assert rows.closed_through == "2025-06"
    assert f"审核：{REVIEWER}" in _sheet(world)
    assert REVIEWER in _sheet(world, "pdf").replace(" ", "")


def test_a_close_is_refused_with_reviewer_ambiguous_when_two_qualified_people_bear_the_name(world):
    twin = world.ledger.register_person(actor=SEED, name_zh=REVIEWER)["person_id"]
    world.ledger.change_organisation(
        world.orgs["community"],
        "appoint",
        actor=SEED,
        person_id=twin,
        role="discipline_member",
        from_date=date(2024, 1, 1),
    )

    response = _close(world, REVIEWER)

    assert error_of(response) == (422, "reviewer_ambiguous")
    details = response.json()["error"]["details"]
    assert details["count"] == 2 and "第一支部" in details["offices"] and "和平社区党委" in details["offices"]
    assert world.ledger.fund(world.funds["activity_a"]).closed_through is None  # nothing written


def test_a_close_is_refused_when_the_reviewer_is_unknown_or_holds_no_office(world):
    assert error_of(_close(world, "周建国")) == (422, "reviewer_not_found")
    assert error_of(_close(world, world.people["bookkeeper"])) == (422, "reviewer_not_qualified")


def test_a_sheet_closed_before_with_a_typed_reviewer_prints_that_name(world):
    fund = world.funds["activity_a"]

    def typed(ctx: Context):  # as the API recorded a free-text reviewer before issue 16
        books = world.ledger.fund(fund)
        books.close_periods_through(ctx, period="2025-06", reviewed_by="周建国")
        return [books], {}

    world.ledger.execute("close_periods_through", {"fund_id": fund}, actor=SEED, request_id=None, work=typed)

    assert "审核：周建国" in _sheet(world)

"""The console's setup pages (issue 17): an administrator registers organisations on both trees
and every level, people with consent, memberships and transfers, office holders, funds with
purposes, custody and thresholds, users with roles and passwords. Each form reads back what it
would record before recording it; bad input is refused beside its field with what was typed
kept, and writes nothing; a double submit records once; only an administrator may.

The world is the API's seeded one (tests/api/conftest.py): an admin of 和平社区党委 with
branches A and B."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import World
from tests.web.console_helpers import Browser, error_code, form_fields


def check(browser: Browser, key: str, typed: dict[str, str]) -> Any:
    form = form_fields(browser.get(f"/console/setup/{key}").text)
    return browser.post(f"/console/setup/{key}", {**form, **typed})


def confirm(browser: Browser, key: str, checked: Any) -> Any:
    assert checked.status_code == 200, (error_code(checked.text), checked.text[-1500:])
    fields = {**form_fields(checked.text), "step": "confirm"}
    return browser.post(f"/console/setup/{key}", fields), fields


def field_html(html: str, name: str) -> str:
    return html.split(f'id="field-{name}"')[1].split("</div>\n  </div>")[0]


def typed_for(world: World, key: str) -> dict[str, str]:
    """A good answer to each form, in the seeded world."""
    return {
        "organisation": {
            "kind": "residents_group",
            "name_zh": "第一居民小组",
            "parent_org_id": world.orgs["residents"],
            "established_on": "2024-01-01",
        },
        "person": {"name_zh": "孙丽华", "public_notice": "on", "consent_doc_ref": "同意书-07"},
        "membership": {
            "person_id": world.people["newcomer"],
            "org_id": world.orgs["a"],
            "effective_on": "2024-05-01",
            "membership_status": "full",
            "category": "retired",
        },
        "transfer": {
            "person_id": world.people["member"],
            "to_org_id": world.orgs["b"],
            "effective_on": "2025-07-01",
        },
        "office": {
            "org_id": world.orgs["a"],
            "person_id": world.people["bookkeeper"],
            "role": "organising_member",
            "from_date": "2025-01-01",
        },
        "stipend_terms": {
            "org_id": world.orgs["a"],
            "person_id": world.people["member"],
            "role": "secretary",
            "fund_id": world.funds["activity_a"],
            "monthly": "50",
            "from_month": "2025-01",
        },
        "fund": {
            "owner_org_id": world.orgs["b"],
            "kind": "activity",
            "name_zh": "第二支部专项活动经费",
            "allowed_purposes": "activities, 慰问",
            "custody_kind": "bank_account",
            "custody_ref": "居委会账户-2",
            "established_on": "2025-01-01",
            "stipends_allowed": "on",
            "collective_decision_above": "1000",
        },
        "user": {
            "person_id": world.people["newcomer"],
            "role": "cashier",
            "org_id": world.orgs["b"],
            "login": "newcomer",
            "password": "newcomer-pass-1",
        },
    }[key]


@pytest.fixture
def setup_world(world: World) -> World:
    """The seeded world, plus a residents' committee (a second root) and a newcomer."""
    root = world.post(
        "/organisations",
        {"kind": "residents_committee", "name_zh": "和平居委会", "established_on": "2020-01-01"},
        role="admin",
    )
    world.orgs["residents"] = root.json()["result"]["org_id"]
    world.people["newcomer"] = world.post("/people", {"name_zh": "新来的"}, role="admin").json()["result"][
        "person_id"
    ]
    return world


@pytest.mark.parametrize(
    "key", ["organisation", "person", "membership", "transfer", "office", "fund", "user"]
)
def test_setup_form_reads_back_then_records_once_when_the_admin_confirms_twice(setup_world, key):
    world = setup_world
    admin = Browser(world, "admin")
    before = world.position()

    checked = check(admin, key, typed_for(world, key))

    assert world.position() == before  # the check saved nothing
    assert 'id="read-back"' in checked.text
    answer, fields = confirm(admin, key, checked)
    landed = admin.follow(answer)
    assert 'id="setup-done"' in landed.text
    written = world.position()
    assert written > before
    again = admin.post(f"/console/setup/{key}", fields)  # a second click
    assert again.status_code == 303 and "replayed=1" in again.headers["location"]
    assert world.position() == written


def test_organisation_form_reads_back_names_not_ids(setup_world):
    checked = check(Browser(setup_world, "admin"), "organisation", typed_for(setup_world, "organisation"))
    assert 'id="confirm-parent_org_id">和平居委会<' in checked.text
    assert 'id="confirm-kind">居民小组<' in checked.text


def test_every_level_of_both_trees_is_registered_from_the_console_from_district_to_grid(setup_world):
    admin = Browser(setup_world, "admin")
    for chain in (
        ("district", "street_office", "residents_committee", "residents_group", "grid"),
        (
            "district_committee",
            "street_committee",
            "community_committee",
            "general_branch",
            "branch",
            "party_group",
        ),
    ):
        parent = ""
        for kind in chain:
            typed = {
                "kind": kind,
                "name_zh": f"{kind}名",
                "parent_org_id": parent,
                "established_on": "2024-01-01",
            }
            landed = admin.follow(confirm(admin, "organisation", check(admin, "organisation", typed))[0])
            parent = landed.text.split(f"<td>{kind}名</td>")[0].rsplit('data-org="', 1)[1].split('"')[0]
    tree = admin.get("/console/setup").text
    assert "<td>grid名</td><td>网格</td><td>residents_group名</td>" in tree
    assert "<td>street_committee名</td><td>街道党工委</td><td>district_committee名</td>" in tree


BAD = [
    ("organisation", {"name_zh": ""}, "name_zh", "text_required"),
    ("organisation", {"established_on": "2024-02-30"}, "established_on", "date_invalid"),
    ("organisation", {"kind": "party_group"}, "parent_org_id", "parent_in_other_tree"),
    ("person", {"name_zh": "   "}, "name_zh", "text_required"),
    ("membership", {"org_id": ""}, "org_id", "text_required"),
    ("membership", {"effective_on": "2019-01-01"}, "effective_on", "date_before_established"),
    ("transfer", {"to_org_id": "a"}, "to_org_id", "transfer_to_same_branch"),
    ("office", {"role": "king"}, "role", "value_not_allowed"),
    ("stipend_terms", {"person_id": "bookkeeper"}, "person_id", "office_not_held"),
    ("stipend_terms", {"fund_id": "mutual_aid"}, "fund_id", "stipend_fund_not_of_organisation"),
    ("stipend_terms", {"from_month": "2024-12"}, "from_month", "dates_out_of_order"),
    ("stipend_terms", {"monthly": "-5"}, "monthly", "amount_negative"),
    ("fund", {"allowed_purposes": ""}, "allowed_purposes", "text_required"),
    ("fund", {"custody_ref": ""}, "custody_ref", "text_required"),
    (
        "fund",
        {"collective_decision_above": "12.345"},
        "collective_decision_above",
        "amount_too_many_decimals",
    ),
    ("user", {"password": "short"}, "password", "password_too_short"),
    ("user", {"login": "admin-login"}, "login", "login_taken"),
]


@pytest.mark.parametrize(("key", "bad", "field", "code"), BAD)
def test_setup_form_refuses_bad_input_beside_its_field_keeps_it_and_writes_nothing(
    setup_world, key, bad, field, code
):
    world = setup_world
    if code == "login_taken":
        world.ledger.set_password(world.users["admin"], actor="seed", login="admin-login", password="x" * 12)
    ids = {**world.orgs, **world.funds, **world.people}
    bad = {name: ids.get(value, value) for name, value in bad.items()}
    admin = Browser(world, "admin")
    before = world.position()

    refused = check(admin, key, {**typed_for(world, key), **bad})

    assert refused.status_code in (403, 404, 409, 422)
    assert code in field_html(refused.text, field), error_code(refused.text)
    kept = next((v for n, v in typed_for(world, key).items() if n not in bad and n != "password" and v), None)
    assert kept is None or kept in refused.text  # what was typed is kept
    assert world.position() == before


def test_setup_pages_are_refused_with_role_required_when_a_bookkeeper_opens_them(setup_world):
    bookkeeper = Browser(setup_world, "bookkeeper")
    assert bookkeeper.get("/console/setup").status_code == 403
    typed = {
        **typed_for(setup_world, "organisation"),
        "parent_org_id": setup_world.orgs["a"],
        "kind": "party_group",
    }
    assert check(bookkeeper, "organisation", typed).status_code == 403


def test_a_user_added_in_the_console_signs_in_with_the_password_given(setup_world):
    admin = Browser(setup_world, "admin")
    admin.follow(confirm(admin, "user", check(admin, "user", typed_for(setup_world, "user")))[0])
    user = setup_world.ledger.authenticate_password("newcomer", "newcomer-pass-1")
    assert [(g["role"], g["org_id"]) for g in user.grants] == [("cashier", setup_world.orgs["b"])]

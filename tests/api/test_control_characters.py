"""No poison event over the API (issue 14, ADR 0050): a NUL or another control character in
any text field of a command is refused with 422 ``control_character`` naming the field, and
nothing is written; tab and line breaks pass in a multi-line text (a memo, a reason) and are
refused in a one-line text (a name)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.conftest import World, error_of

# NUL, other C0, DEL, C1 (NEL), the last C1
CONTROLS = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f"]

Body = Callable[[World], tuple[str, str, dict[str, Any]]]  # (role, url, body)


def organisation(w: World) -> tuple[str, str, dict[str, Any]]:
    body = {
        "kind": "branch",
        "name_zh": "第三支部",
        "parent_org_id": w.orgs["community"],
        "established_on": "2025-01-01",
        "branch_kind": "retiree",
        "doc_ref": "成立批复",
    }
    return "admin", "/organisations", body


def rename(w: World) -> tuple[str, str, dict[str, Any]]:
    body = {"name_zh": "第一支部", "effective_on": "2025-07-01"}
    return "admin", f"/organisations/{w.orgs['a']}/rename", body


def person(w: World) -> tuple[str, str, dict[str, Any]]:
    return "bookkeeper", "/people", {"name_zh": "王小明", "consent_doc_ref": "同意书"}


def fund(w: World) -> tuple[str, str, dict[str, Any]]:
    body = {
        "owner_org_id": w.orgs["a"],
        "kind": "activity",
        "name_zh": "活动经费",
        "allowed_purposes": ["activities"],
        "custody": {"kind": "bank_account", "ref": "居委会账户"},
        "established_on": "2025-01-01",
        "charter_doc_ref": "章程",
    }
    return "admin", "/funds", body


def donation(w: World) -> tuple[str, str, dict[str, Any]]:
    body = {
        "occurred_on": "2025-07-05",
        "amount": "10.00",
        "donor_kind": "resident",
        "donor_name": "热心居民",
        "campaign": "七一",
        "receipt_no": "R-001",
        "doc_refs": ["收据001"],
        "memo": "备注",
    }
    return "bookkeeper", f"/funds/{w.funds['activity_a']}/donations", body


def grant(w: World) -> tuple[str, str, dict[str, Any]]:
    body = {
        "occurred_on": "2025-07-05",
        "amount": "10.00",
        "grant_kind": "dues_rebate",
        "grantor_name": "街道党工委",
        "purpose": "活动",
        "doc_refs": ["拨款通知"],
    }
    return "bookkeeper", f"/funds/{w.funds['activity_a']}/grants", body


def expense(w: World) -> tuple[str, str, dict[str, Any]]:
    body = {
        "occurred_on": "2025-07-06",
        "amount": "8.00",
        "category": "activities",
        "payee": "茶叶店",
        "handled_by": "出纳",
        "approved_by": "书记",
        "witnessed_by": "委员",
        "doc_refs": ["发票001"],
        "memo": "茶话会",
    }
    return "bookkeeper", f"/funds/{w.funds['activity_a']}/expenses", body


def reversal(w: World) -> tuple[str, str, dict[str, Any]]:
    body = {"voucher_no": w.vouchers["activity_a"], "occurred_on": "2025-07-06", "reason": "重复记账"}
    return "bookkeeper", f"/funds/{w.funds['activity_a']}/reversals", body


CASES: list[tuple[Body, str]] = [
    (organisation, "name_zh"),
    (organisation, "doc_ref"),
    (rename, "name_zh"),
    (person, "name_zh"),
    (person, "consent_doc_ref"),
    (fund, "name_zh"),
    (fund, "allowed_purposes.0"),
    (fund, "custody.ref"),
    (fund, "charter_doc_ref"),
    (donation, "donor_name"),
    (donation, "campaign"),
    (donation, "receipt_no"),
    (donation, "doc_refs.0"),
    (donation, "memo"),
    (grant, "grantor_name"),
    (grant, "purpose"),
    (grant, "doc_refs.0"),
    (expense, "category"),
    (expense, "payee"),
    (expense, "handled_by"),
    (expense, "approved_by"),
    (expense, "witnessed_by"),
    (expense, "memo"),
    (reversal, "reason"),
]


def poisoned(body: dict[str, Any], path: str, char: str) -> dict[str, Any]:
    """``body`` with ``char`` inside the text at ``path`` (``custody.ref``, ``doc_refs.0``)."""
    *parents, last = path.split(".")
    node: Any = body
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key: Any = int(last) if isinstance(node, list) else last
    node[key] = node[key][:1] + char + node[key][1:]
    return body


@pytest.mark.parametrize(("command", "path"), CASES, ids=[f"{c.__name__}-{p}" for c, p in CASES])
def test_command_is_refused_with_control_character_and_writes_nothing_when_a_text_holds_one(
    world, command, path
):
    before = world.position()
    for char in CONTROLS:
        role, url, body = command(world)

        response = world.post(url, poisoned(body, path, char), role=role)

        assert error_of(response) == (422, "control_character"), (f"U+{ord(char):04X}", response.text)
        assert response.json()["error"]["details"]["field"] in (path, path.split(".")[0])
        assert response.json()["error"]["details"]["code_point"] == f"U+{ord(char):04X}"
    assert world.position() == before


@pytest.mark.parametrize("command", [organisation, rename, person, fund, donation, grant, expense, reversal])
def test_each_command_body_of_this_file_is_accepted_when_its_texts_are_clean(world, command):
    role, url, body = command(world)
    response = world.post(url, body, role=role)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("text", ["第一行\n第二行", "a\tb", "Windows 换行\r\n第二行"])
def test_memo_is_accepted_when_it_runs_over_lines_with_tab_lf_or_crlf(world, text):
    role, url, body = expense(world)
    assert world.post(url, {**body, "memo": text}, role=role).status_code == 201


@pytest.mark.parametrize("text", ["王\n小明", "王\t小明", "王\r小明"])
def test_name_is_refused_with_control_character_when_it_holds_a_tab_or_a_line_break(world, text):
    before = world.position()
    response = world.post("/people", {"name_zh": text})
    assert error_of(response) == (422, "control_character")
    assert world.position() == before

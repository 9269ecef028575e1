"""The auditor's endpoints over HTTP: only an auditor (or admin) of the whole tree verifies and
exports; the answers are the same as the CLI's."""

from __future__ import annotations

import orjson

from tests.api.conftest import error_of


def test_an_auditor_verifies_the_books_and_finds_no_violation_with_the_head_fingerprint(world):
    head = world.get("/audit/verify", "auditor").json()["head_hash"]
    response = world.get("/audit/verify", "auditor", seal=[head[:16], "0000000000000000"])
    assert response.status_code == 200
    body = response.json()
    assert body["events"] == world.position() and body["head_position"] == world.position()
    assert body["fingerprints"] == [
        {"fingerprint": head[:16], "position": world.position()},
        {"fingerprint": "0000000000000000", "position": None},
    ]
    assert [v["code"] for v in body["violations"]] == ["seal_not_found"]
    assert body["ok"] is False


def test_verify_and_exports_are_refused_with_role_required_to_a_bookkeeper(world):
    assert error_of(world.get("/audit/verify", "bookkeeper")) == (403, "role_required")
    assert error_of(world.get("/audit/export/jsonl", "member")) == (403, "role_required")


def test_an_auditor_exports_the_log_as_jsonl_and_the_books_for_hledger_and_beancount(world):
    log = world.get("/audit/export/jsonl", "auditor")
    assert log.status_code == 200
    lines = [orjson.loads(line) for line in log.text.splitlines()]
    assert [line["position"] for line in lines] == sorted(line["position"] for line in lines)
    assert all(line["hash"] for line in lines)
    journal = world.get("/audit/export/hledger", "auditor").text
    bean = world.get("/audit/export/beancount", "admin").text
    assert journal.count(" = ") == bean.count(" balance ") > 0
    assert world.get("/audit/export/ledger", "auditor").status_code == 422


def test_history_of_a_fund_names_who_recorded_each_event_and_its_business_date(world):
    response = world.get("/audit/history", "auditor", fund_id=world.funds["mutual_aid"])
    assert response.status_code == 200
    body = response.json()
    topics = [e["topic"] for e in body["data"]]
    assert topics[0] == "fundbook:Fund.Established" and "fundbook:Fund.GrantReceived" in topics
    grant = body["data"][topics.index("fundbook:Fund.GrantReceived")]
    assert grant["actor"] == "seed" and grant["business_date"] and grant["amount_fen"] == 100_000
    assert body["count"] == len(body["data"])


def test_history_needs_exactly_one_subject_and_an_auditor(world):
    assert error_of(world.get("/audit/history", "auditor")) == (422, "history_subject_required")
    both = {"fund_id": world.funds["mutual_aid"], "person_id": world.people["member"]}
    assert error_of(world.get("/audit/history", "auditor", **both)) == (422, "history_subject_required")
    member = world.get("/audit/history", "member", fund_id=world.funds["activity_a"])
    assert error_of(member) == (403, "role_required")
    theirs = world.get("/audit/history", "auditor", person_id=world.people["member"]).json()
    assert "fundbook:Person.JoinedBranch" in [e["topic"] for e in theirs["data"]]

"""The HTTP API in process: one small seeded world per test, served by a TestClient whose
lifespan runs the views follower.

The world (all established 2020-01-01, today is 2025-07-10):

- a community (社区党委) with two branches under it, A and B;
- people: one per role, plus a branch-A member who is A's secretary (for stipends);
- users with tokens: admin of the community, bookkeeper of A, cashier of A, auditor of the
  community, member of A;
- funds: the community's mutual-aid fund (bank account, 1000.00), A's activity fund (cash box,
  stipends allowed, 500.00) and B's activity fund (cash box, 200.00).

The world is seeded once per test process and each test gets a copy of that store
(``world_store``, tests/store_templates.py): its own SQLite file or PostgreSQL schema, with the
same ids and tokens, the views caught up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ledger.api import create_app
from ledger.application import Ledger
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import runner
from tests.store_templates import StoreCopy, Template

TODAY = date(2025, 7, 10)
FOUNDED = date(2020, 1, 1)
SEED = "seed"


def auth(token: str) -> dict[str, str]:
    """Headers that sign in with ``token``."""
    return {"Authorization": f"Bearer {token}"}


def views_reach(client: TestClient, position: int | None) -> None:
    """Wait (bounded) until the in-process app's views reached ``position``: the public board
    takes no ``min_position`` without a token (ADR 0054)."""
    client.app.state.follower.poke()
    assert runner.wait_for(client.app.state.views, position or 0), f"views never reached {position}"


def after_writes(world: World) -> dict[str, Any]:
    """The query of an anonymous public read made after the world's writes: no ``min_position``
    (the anonymous may not wait, ADR 0054); the views are brought there first."""
    views_reach(world.client, world.position())
    return {}


def error_of(response: Any) -> tuple[int, str]:
    """(status, error code) of a refusal."""
    return response.status_code, response.json()["error"]["code"]


@dataclass
class World:
    client: TestClient
    ledger: Ledger
    orgs: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    funds: dict[str, str] = field(default_factory=dict)
    vouchers: dict[str, str] = field(default_factory=dict)

    def h(self, role: str) -> dict[str, str]:
        return auth(self.tokens[role])

    def position(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def get(self, url: str, role: str = "admin", **params: Any) -> Any:
        """A read that waits for the views to reach every write so far."""
        params.setdefault("min_position", self.position())
        return self.client.get(url, params=params, headers=self.h(role))

    def post(self, url: str, body: Any, role: str = "bookkeeper", **headers: str) -> Any:
        return self.client.post(url, json=body, headers={**self.h(role), **headers})


def seed(ledger: Ledger) -> dict[str, dict[str, str]]:
    orgs: dict[str, str] = {}
    orgs["community"] = ledger.register_organisation(
        actor=SEED, kind="community_committee", name_zh="和平社区党委", established_on=FOUNDED
    )["org_id"]
    for key, name in (("a", "第一支部"), ("b", "第二支部")):
        orgs[key] = ledger.register_organisation(
            actor=SEED,
            kind="branch",
            name_zh=name,
            parent_org_id=orgs["community"],
            established_on=FOUNDED,
            branch_kind="retiree",
        )["org_id"]

    people: dict[str, str] = {}
    users: dict[str, str] = {}
    tokens: dict[str, str] = {}
    grants = {
        "admin": "community",
        "bookkeeper": "a",
        "cashier": "a",
        "auditor": "community",
        "member": "a",
    }
    for role, org in grants.items():
        people[role] = ledger.register_person(actor=SEED, name_zh=f"{role}同志")["person_id"]
        users[role] = ledger.register_user(actor=SEED, person_id=people[role])["user_id"]
        ledger.change_role(users[role], "grant", actor=SEED, role=role, org_id=orgs[org])
        tokens[role], _ = ledger.issue_token(users[role], actor=SEED)
    ledger.change_person(
        people["member"],
        "join_branch",
        actor=SEED,
        org_id=orgs["a"],
        effective_on=FOUNDED,
        membership_status="full",
        category="retired",
    )
    ledger.change_organisation(
        orgs["a"],
        "appoint",
        actor=SEED,
        person_id=people["member"],
        role="secretary",
        from_date=date(2025, 1, 1),
    )

    funds: dict[str, str] = {}
    specs = (
        ("mutual_aid", "community", "mutual_aid", "党员互助金", ["hardship_aid"], "bank_account", None),
        ("activity_a", "a", "activity", "第一支部活动经费", ["activities"], "cash_box", True),
        ("activity_b", "b", "activity", "第二支部活动经费", ["activities"], "cash_box", None),
    )
    for key, owner, kind, name, purposes, custody, stipends in specs:
        funds[key] = ledger.establish_fund(
            actor=SEED,
            owner_org_id=orgs[owner],
            kind=kind,
            name_zh=name,
            allowed_purposes=purposes,
            custody={"kind": custody, "ref": "居委会账户" if custody == "bank_account" else None},
            established_on=date(2025, 1, 1),
            policy={"stipends_allowed": True} if stipends else None,
        )["fund_id"]

    vouchers: dict[str, str] = {}
    for key, fen in (("mutual_aid", 100_000), ("activity_a", 50_000), ("activity_b", 20_000)):
        vouchers[key] = ledger.record(
            funds[key],
            "receive_grant",
            actor=SEED,
            occurred_on=date(2025, 7, 1),
            amount_fen=fen,
            grant_kind="dues_rebate",
            grantor_name="街道党工委",
            doc_refs=["拨款通知"],
        )["voucher_no"]
    return {
        "orgs": orgs,
        "people": people,
        "users": users,
        "tokens": tokens,
        "funds": funds,
        "vouchers": vouchers,
    }


def add_aid_officers(ledger: Ledger, seeded: dict[str, dict[str, str]]) -> None:
    """Two approvers and a cashier of the community, with tokens (the aid cases' world)."""
    for role, key in (("approver", "approver1"), ("approver", "approver2"), ("cashier", "cashier_c")):
        person = ledger.register_person(actor=SEED, name_zh=f"{key}同志")["person_id"]
        user = ledger.register_user(actor=SEED, person_id=person)["user_id"]
        ledger.change_role(user, "grant", actor=SEED, role=role, org_id=seeded["orgs"]["community"])
        seeded["people"][key], seeded["users"][key] = person, user
        seeded["tokens"][key], _ = ledger.issue_token(user, actor=SEED)


def seeded_world(url: str, *, aid_officers: bool = False) -> dict[str, dict[str, str]]:
    """The world's template: the seed (and the aid officers), the views caught up."""
    ledger = build_ledger(Settings(database_url=url), today=lambda: TODAY)
    try:
        seeded = seed(ledger)
        if aid_officers:
            add_aid_officers(ledger, seeded)
    finally:
        ledger.close()
    build_views(Settings(database_url=url), catch_up=True).close()
    return seeded


WORLD = Template("api-world", seeded_world)
AID_WORLD = Template("api-aid-world", partial(seeded_world, aid_officers=True))


@pytest.fixture
def world_store(request, store_templates, tmp_path) -> Iterator[StoreCopy]:
    """The test's store (its ``database_url`` too): a copy of the seeded world; with the aid
    officers when the test uses ``aid`` (tests/api/test_aid_cases.py)."""
    template = AID_WORLD if "aid" in request.fixturenames else WORLD
    yield from store_templates.copy(template, tmp_path)


@pytest.fixture
def world(open_ledger, database_url, world_store) -> Iterator[World]:
    ledger = open_ledger(today=TODAY)
    app = create_app(Settings(database_url=database_url), ledger=ledger)
    with TestClient(app) as client:
        yield World(client=client, ledger=ledger, **world_store.data)


@pytest.fixture
def client(world: World) -> TestClient:
    return world.client

"""``Ledger.initialise`` and ``Ledger.add_user`` (issue 17): the first setup in one transaction,
refused as a whole on a store that is not empty; a user with a role and a password in one
transaction, reusing the person's login if they have one, its check step writing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.errors import LedgerError

FIRST = dict(
    kind="street_committee",
    name_zh="红星街道党工委",
    established_on=date(2020, 1, 1),
    admin_name_zh="周建国",
    login="zhou",
    password="zhou-secret-2025",
)


def test_initialise_is_refused_with_store_not_empty_and_writes_nothing_when_run_twice(ledger):
    ledger.initialise(actor="init", **FIRST)
    events = ledger.store_event_count()

    with pytest.raises(LedgerError) as refused:
        ledger.initialise(actor="init", **{**FIRST, "login": "other"})

    assert refused.value.code == "store_not_empty" and refused.value.details == {"events": events}
    assert ledger.store_event_count() == events


def test_a_root_registered_by_the_first_administrator_is_administered_by_them(ledger):
    token, first = ledger.initialise(actor="init", **FIRST)
    admin = first["user_id"]

    residents = ledger.register_organisation(
        actor=admin, kind="residents_committee", name_zh="和平居委会", established_on=date(2021, 1, 1)
    )

    assert residents["admin_user_id"] == admin
    assert {g["org_id"] for g in ledger.authenticate(token).grants} == {first["org_id"], residents["org_id"]}


def test_add_user_gives_a_second_role_to_the_persons_existing_user(ledger):
    _, first = ledger.initialise(actor="init", **FIRST)
    community = ledger.register_organisation(
        actor=first["user_id"],
        kind="community_committee",
        name_zh="阳光社区党委",
        parent_org_id=first["org_id"],
        established_on=date(2020, 1, 1),
    )["org_id"]

    added = ledger.add_user(
        actor=first["user_id"], person_id=first["person_id"], role="auditor", org_id=community
    )

    assert added["user_id"] == first["user_id"]
    roles = {(g["role"], g["org_id"]) for g in ledger.user(first["user_id"]).grants}
    assert roles == {("admin", first["org_id"]), ("auditor", community)}


def test_add_user_checks_everything_and_writes_nothing_on_a_dry_run(ledger):
    _, first = ledger.initialise(actor="init", **FIRST)
    person = ledger.register_person(actor=first["user_id"], name_zh="刘会计")["person_id"]
    before = ledger.store_event_count()

    checked = ledger.add_user(
        actor=first["user_id"],
        person_id=person,
        role="bookkeeper",
        org_id=first["org_id"],
        login="liu",
        password="liu-kuaiji-2025",
        dry_run=True,
    )
    with pytest.raises(LedgerError) as taken:
        ledger.add_user(
            actor=first["user_id"], person_id=person, role="cashier", org_id=first["org_id"], login="zhou"
        )

    assert checked["role"] == "bookkeeper" and ledger.store_event_count() == before
    assert taken.value.code == "login_taken" and ledger.store_event_count() == before


def test_add_user_is_refused_for_a_login_above_the_administrators_subtree(ledger):
    """A branch administrator may not take over the street committee administrator's login
    through the setup form (a password set on it would let them sign in as that user)."""
    _, first = ledger.initialise(actor="init", **FIRST)
    branch = ledger.register_organisation(
        actor=first["user_id"],
        kind="branch",
        name_zh="第一离退休党支部",
        parent_org_id=first["org_id"],
        established_on=date(2020, 1, 1),
    )["org_id"]
    secretary = ledger.register_person(actor=first["user_id"], name_zh="李秀兰")["person_id"]
    branch_admin = ledger.add_user(actor=first["user_id"], person_id=secretary, role="admin", org_id=branch)[
        "user_id"
    ]
    events = ledger.store_event_count()

    with pytest.raises(LedgerError) as refused:
        ledger.add_user(
            actor=branch_admin,
            person_id=first["person_id"],
            role="bookkeeper",
            org_id=branch,
            login="zhou",
            password="taken-over-2025",
        )

    assert refused.value.code == "user_outside_subtree"
    assert ledger.store_event_count() == events

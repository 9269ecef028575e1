"""Who did what: every event of organisations, people and role grants carries the acting user and
the client's request id (class_version 2); events stored before (version 1) still decode, with
no request id; history lists them."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import orjson
from eventsourcing.persistence import StoredEvent

from ledger.audit.history import history
from ledger.audit.log import stored_rows
from ledger.domain.organisation import Organisation
from ledger.domain.person import Person
from ledger.domain.user import User
from ledger.projections import runner
from tests.audit.conftest import ACTOR_CLOSE

VERSION_2 = {
    cls.TOPIC: cls
    for cls in (
        Organisation.Renamed,
        Organisation.Reparented,
        Organisation.Dissolved,
        Organisation.OfficeHolderAppointed,
        Organisation.OfficeHolderLeft,
        Person.ConsentChanged,
        Person.JoinedBranch,
        Person.Transferred,
        Person.LeftParty,
        Person.Deceased,
        User.RoleGranted,
        User.RoleRevoked,
    )
}


def test_every_changed_event_class_is_at_version_2_with_a_request_id():
    for cls in VERSION_2.values():
        assert cls.class_version == 2 and "request_id" in {f.name for f in fields(cls)}, cls


def test_events_stored_at_version_1_decode_with_no_request_id_and_every_other_field_intact(audited):
    books, store = audited
    decode = books.app.mapper.to_domain_event
    seen = set()
    for row in stored_rows(store):
        if row.topic not in VERSION_2:
            continue
        seen.add(row.topic)
        state = orjson.loads(row.state)
        assert state.pop("class_version") == 2
        state.pop("request_id")
        old = decode(StoredEvent(row.originator_id, row.version, row.topic, orjson.dumps(state)))
        new = decode(StoredEvent(row.originator_id, row.version, row.topic, row.state))
        assert old.request_id is None
        assert {**old.__dict__, "request_id": new.request_id} == new.__dict__
    assert {"fundbook:Person.JoinedBranch", "fundbook:Person.Transferred"} <= seen


def test_a_persons_history_names_the_request_and_the_actor_of_a_transfer(audited):
    books, store = audited
    books.app.change_person(
        books.p2,
        "transfer",
        actor=ACTOR_CLOSE,
        to_org_id=books.a,
        effective_on=date(2025, 4, 1),
        request_id="transfer-letter-17",
    )
    runner.catch_up(store)
    transfer = [e for e in history(store, person_id=books.p2) if e.topic == "fundbook:Person.Transferred"]
    assert [(e.actor, e.request_id, e.business_date) for e in transfer] == [
        (ACTOR_CLOSE, "transfer-letter-17", "2025-04-01")
    ]

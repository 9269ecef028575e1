"""``verify`` over gifts in kind and the asset register (ADR 0140): a history the Ledger
recorded breaks nothing; the same events in orders the Ledger would refuse are named at the
record that breaks the rule; a view row changed behind the log is a ``view_differs``."""

from __future__ import annotations

from types import SimpleNamespace

from ledger.audit.fresh_fold import verify_store
from ledger.audit.invariants import Invariants, Violation
from ledger.domain.asset_register import AssetRegister
from tests.api.conftest import World, views_reach
from tests.api.conftest import world as world  # the fixtures, used by name
from tests.api.conftest import world_store as world_store
from tests.api.test_assets import asset, bought, gift
from tests.properties.test_exports_properties import decoded


def recorded(world: World) -> tuple[object, list]:
    url = f"/organisations/{world.orgs['a']}"
    number = world.post(f"{url}/gifts-in-kind", gift(kind="goods", supplier=None)).json()["result"]["gift_no"]
    assert (
        world.post(
            f"{url}/assets",
            asset(
                world,
                None,
                source="in_kind",
                gift_no=number,
                fund_id=None,
                acquired_on="2025-07-03",
                value="500.00",
            ),
        ).status_code
        == 201
    )
    voucher = bought(world)
    assert world.post(f"{url}/assets", asset(world, voucher, value="200.00")).status_code == 201
    off = {"written_off_on": "2025-07-09", "approved_by": world.people["auditor"], "reason": "损坏"}
    assert world.post(f"{url}/assets/A2025-002/write-off", off).status_code == 201
    views = world.client.app.state.views
    views_reach(world.client, world.position())
    return views, decoded(SimpleNamespace(store=views, app=world.ledger))


def check(events) -> list[Violation]:
    found: list[Violation] = []
    invariants = Invariants(found.append)
    for position, event in events:
        invariants.apply(position, event)
    invariants.finish()
    return found


def test_verify_finds_nothing_in_a_recorded_register_and_names_a_view_changed_behind_the_log(world):
    views, _ = recorded(world)
    assert verify_store(views, world.ledger.mapper.to_domain_event, fingerprints=[]).violations == []

    with views.backend.write() as cur:  # a view row altered behind the fold's back
        cur.execute(
            views.backend.sql("UPDATE v_asset SET value_fen = value_fen + 1 WHERE asset_no = ?"),
            ("A2025-001",),
        )

    report = verify_store(views, world.ledger.mapper.to_domain_event, fingerprints=[])
    assert [(v.code, "assets" in v.detail) for v in report.violations] == [("view_differs", True)]


def test_an_asset_registered_twice_on_one_voucher_beyond_its_amount_is_named_at_the_second(world):
    _, events = recorded(world)
    position, purchase = next(
        (p, e) for p, e in events if isinstance(e, AssetRegister.AssetRegistered) and e.source == "purchase"
    )

    found = check([*events, (position + 10_000, purchase)])  # 200.00 + 200.00 of a 300.00 voucher

    assert [(v.code, v.position) for v in found] == [("asset_source_exceeded", position + 10_000)]


def test_a_second_write_off_and_an_asset_from_a_service_are_named(world):
    _, events = recorded(world)
    position, off = next((p, e) for p, e in events if isinstance(e, AssetRegister.AssetWrittenOff))
    no_gift = [(p, e) for p, e in events if not isinstance(e, AssetRegister.InKindReceived)]

    assert [v.code for v in check([*events, (position + 1, off)])] == ["asset_write_off_invalid"]
    assert [v.code for v in check(no_gift)] == ["asset_source_invalid"]

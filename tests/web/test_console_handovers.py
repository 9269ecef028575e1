"""Custody handovers (移交, R22) in the console: an administrator records one in the three
steps of every money form, the count read back against the books in figures and capitals
with the differences; a difference needs its note; the supervisor must be independent; a
double submit records once; custodians read the list but get no form; a member gets 403.

The world is the API's seeded one (tests/api/conftest.py): branch A's activity fund holds
500.00 in its cash box; its cashier is assigned here, and a successor is registered."""

from __future__ import annotations

from datetime import date

from ledger.projections import queries, runner
from tests.api.conftest import SEED, World
from tests.web.console_helpers import Browser, error_code, form_fields


def _with_a_cashier(world: World) -> tuple[str, str]:
    """(fund, successor): the cashier of the world holds the cash box; a successor is known."""
    fund = world.funds["activity_a"]
    world.ledger.record(
        fund,
        "assign_custodian",
        actor=SEED,
        role="cashier",
        person_id=world.people["cashier"],
        from_date=date(2025, 1, 1),
    )
    successor = world.ledger.register_person(actor=SEED, name_zh="接任出纳")["person_id"]
    return fund, successor


def _typed(world: World, successor: str, **overrides: str) -> dict[str, str]:
    return {
        "role": "cashier",
        "to_person_id": successor,
        "supervisor_person_id": world.people["bookkeeper"],
        "handed_over_on": "2025-07-09",
        "cash_counted": "480",
        "bank_balance": "0",
        "inventory_ref": "移交清单-2025-07",
        "difference_note": "",
        **overrides,
    }


def _check(browser: Browser, fund: str, typed: dict[str, str]):
    form = form_fields(browser.get(f"/console/funds/{fund}/handovers").text)
    return browser.post(f"/console/funds/{fund}/handovers", {**form, **typed})


def _handovers(world: World, fund: str) -> list[queries.Handover]:
    world.client.app.state.follower.poke()
    views = world.client.app.state.views
    assert runner.wait_for(views, world.position(), timeout_s=5)
    return queries.handovers(views, fund)


def test_a_count_short_of_the_books_needs_a_note_then_is_read_back_and_recorded_once(world):
    fund, successor = _with_a_cashier(world)
    admin = Browser(world, "admin")

    unexplained = _check(admin, fund, _typed(world, successor))
    assert unexplained.status_code == 422
    assert error_code(unexplained.text) == ["handover_difference_unexplained"]
    note_field = unexplained.text.split('id="field-difference_note"')[1].split("</div>")[0]
    assert "handover_difference_unexplained" in note_field
    assert 'value="480"' in unexplained.text  # what was typed is kept

    check = _check(admin, fund, _typed(world, successor, difference_note="少二十元，原出纳垫付未报"))
    assert check.status_code == 200, error_code(check.text)
    cash = check.text.split('data-account="cash"')[1].split("</tr>")[0]
    assert ">500.00<" in cash and ">480.00<" in cash and ">-20.00<" in cash and "人民币肆佰捌拾元整" in cash
    assert 'id="confirm-people">cashier同志 → 接任出纳<' in check.text
    assert _handovers(world, fund) == []  # nothing saved by the check

    confirm = {**form_fields(check.text), "step": "confirm"}
    listed = admin.follow(admin.post(f"/console/funds/{fund}/handovers", confirm))
    admin.post(f"/console/funds/{fund}/handovers", confirm)  # a second click

    [handover] = _handovers(world, fund)
    assert (handover.from_person_id, handover.to_person_id) == (world.people["cashier"], successor)
    assert (handover.cash_difference_fen, handover.bank_difference_fen) == (-2000, 0)
    assert world.ledger.fund(fund).holder("cashier") == successor
    holder = listed.text.split('data-role="cashier"')[1].split("</tr>")[0]
    assert "接任出纳" in holder and f'data-position="{handover.position}"' in listed.text


def test_the_outgoing_cashier_cannot_supervise_their_own_handover(world):
    fund, successor = _with_a_cashier(world)
    typed = _typed(world, successor, cash_counted="500", supervisor_person_id=world.people["cashier"])

    refused = _check(Browser(world, "admin"), fund, typed)

    assert refused.status_code == 403 and error_code(refused.text) == ["handover_supervisor_not_independent"]
    assert "handover_supervisor_not_independent" in refused.text.split('id="field-supervisor_person_id"')[1]
    assert _handovers(world, fund) == []


def test_custodians_read_the_handovers_without_a_form_and_a_member_gets_403(world):
    fund, successor = _with_a_cashier(world)
    bookkeeper = Browser(world, "bookkeeper")

    page = bookkeeper.get(f"/console/funds/{fund}/handovers")
    typed = {"csrf": bookkeeper.csrf(), "step": "confirm", **_typed(world, successor, cash_counted="500")}
    sent = bookkeeper.post(f"/console/funds/{fund}/handovers", typed)
    member = Browser(world, "member").get(f"/console/funds/{fund}/handovers")

    assert (
        page.status_code == 200 and 'id="handover-form"' not in page.text and 'id="no-handovers"' in page.text
    )
    assert sent.status_code == 403 and error_code(sent.text) == ["role_required"]
    assert member.status_code == 403 and error_code(member.text) == ["role_required"]
    assert 'id="handovers-link"' in bookkeeper.get(f"/console/funds/{fund}").text
    assert _handovers(world, fund) == []

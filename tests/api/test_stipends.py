"""Stipend schedules over HTTP: terms on branch A's secretary (the seeded member, in office from
2025-01-01), paid by A's activity fund (stipends allowed, 500.00); the months due and unpaid;
a month paid twice refused; each refusal by code, 401 and 403."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import World, error_of


def terms(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "person_id": world.people["member"],
        "role": "secretary",
        "monthly": "100.00",
        "from_month": "2025-03",
        "fund_id": world.funds["activity_a"],
        "doc_ref": "支委会决定2025-2",
    }
    return {**body, **overrides}


def stipend(world: World, months: list[str], amount: str) -> dict[str, Any]:
    return {
        "occurred_on": "2025-07-05",
        "amount": amount,
        "person_id": world.people["member"],
        "months": months,
        "handled_by": "出纳",
        "doc_refs": ["签收单"],
    }


def due(world: World, **params: Any) -> dict[str, Any]:
    response = world.get(f"/organisations/{world.orgs['a']}/stipends/due", role="auditor", **params)
    assert response.status_code == 200, response.text
    return response.json()


def test_terms_make_every_month_from_the_first_due_until_paid(world):
    response = world.post(f"/organisations/{world.orgs['a']}/stipend-terms", terms(world))
    assert response.status_code == 201, response.text

    schedule = due(world)

    [row] = schedule["data"]
    assert schedule["through"] == "2025-07"
    assert row["months_unpaid"] == ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]
    assert row["unpaid"] == {"amount": "500.00", "amount_fen": 50_000}


def test_a_paid_month_leaves_the_unpaid_list_and_paying_it_twice_is_refused_with_stipend_already_paid(world):
    world.post(f"/organisations/{world.orgs['a']}/stipend-terms", terms(world))
    url = f"/funds/{world.funds['activity_a']}/stipends"
    paid = world.post(url, stipend(world, ["2025-03", "2025-04"], "200.00"))
    assert paid.status_code == 201, paid.text

    [row] = due(world, through="2025-05")["data"]

    assert (row["months_paid"], row["months_unpaid"]) == (["2025-03", "2025-04"], ["2025-05"])
    assert error_of(world.post(url, stipend(world, ["2025-04"], "100.00"))) == (409, "stipend_already_paid")


def test_a_month_before_the_terms_is_refused_with_stipend_month_not_due(world):
    world.post(f"/organisations/{world.orgs['a']}/stipend-terms", terms(world))

    response = world.post(
        f"/funds/{world.funds['activity_a']}/stipends", stipend(world, ["2025-02"], "100.00")
    )

    assert error_of(response) == (422, "stipend_month_not_due")


def test_an_amount_off_the_terms_is_refused_with_stipend_amount_not_terms(world):
    world.post(f"/organisations/{world.orgs['a']}/stipend-terms", terms(world))

    response = world.post(
        f"/funds/{world.funds['activity_a']}/stipends", stipend(world, ["2025-03"], "50.00")
    )

    assert error_of(response) == (422, "stipend_amount_not_terms")


def test_terms_are_refused_with_stipend_terms_already_set_the_second_time(world):
    url = f"/organisations/{world.orgs['a']}/stipend-terms"
    world.post(url, terms(world))

    assert error_of(world.post(url, terms(world))) == (409, "stipend_terms_already_set")


def test_terms_are_refused_with_stipend_fund_not_of_organisation_for_another_branch_fund(world):
    response = world.post(
        f"/organisations/{world.orgs['a']}/stipend-terms", terms(world, fund_id=world.funds["activity_b"])
    )

    assert error_of(response) == (422, "stipend_fund_not_of_organisation")


def test_terms_are_refused_with_office_not_held_for_a_person_without_the_office(world):
    response = world.post(
        f"/organisations/{world.orgs['a']}/stipend-terms", terms(world, person_id=world.people["cashier"])
    )

    assert error_of(response) == (409, "office_not_held")


def test_terms_are_refused_with_role_required_for_the_auditor(world):
    response = world.post(f"/organisations/{world.orgs['a']}/stipend-terms", terms(world), role="auditor")

    assert error_of(response) == (403, "role_required")


def test_the_schedule_is_refused_with_authentication_required_without_a_token(world):
    response = world.client.get(f"/organisations/{world.orgs['a']}/stipends/due")

    assert error_of(response) == (401, "authentication_required")

"""Issue 15 point 8: every integer of a fund's policy and of a query is bounded (ADR 0064). A
policy of 10^18 days is refused with ``value_not_allowed`` naming it; a page, a log position or
a year beyond its bound is 422, never an overflow in the store; and a policy recorded before the
bounds existed is held within them by whoever reads it, so the board of a closed month and the
daily escalation still answer."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.fund_policy import DAYS_MAX, POLICY_BOUNDS
from tests.api.conftest import World, after_writes, error_of
from tests.api.test_funds import fund

HUGE = 10**18


@pytest.mark.parametrize(
    "key", ["posting_days", "objection_answer_days", "two_signers_above_fen", "collective_decision_above_fen"]
)
def test_fund_is_refused_with_value_not_allowed_when_a_policy_integer_is_beyond_its_bound(world, key):
    answer = world.post("/funds", fund(world, policy={key: HUGE}), role="admin")

    assert error_of(answer) == (422, "value_not_allowed")
    assert answer.json()["error"]["details"]["field"] == f"policy.{key}"


def test_fund_is_established_when_its_posting_days_are_at_the_bound(world):
    answer = world.post("/funds", fund(world, policy={"posting_days": DAYS_MAX}), role="admin")

    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/funds/{fund}/journal", {"page": HUGE}),
        ("/funds/balances", {"page": HUGE}),
        ("/funds/balances", {"at_position": 2**64}),
        ("/funds/{fund}/balance", {"at_position": 2**64}),
        ("/funds/balances", {"min_position": 2**63}),
        ("/aid-cases", {"page": HUGE}),
        ("/organisations", {"page": HUGE, "as_of": "2025-01-01"}),
    ],
)
def test_query_is_refused_with_invalid_request_naming_it_when_an_integer_is_beyond_its_bound(
    world, url, params
):
    answer = world.client.get(
        url.format(fund=world.funds["mutual_aid"]), params=params, headers=world.h("admin")
    )

    assert error_of(answer) == (422, "invalid_request")
    [field] = answer.json()["error"]["details"]["fields"]
    assert field["field"] == f"query.{next(iter(params))}"


@pytest.mark.parametrize("period", ["9999-12", "9999-Q4", "9999", "0000-01"])
def test_statement_is_refused_with_period_invalid_when_its_year_has_no_next_period(world, period):
    fund_id = world.funds["mutual_aid"]

    assert error_of(world.get(f"/funds/{fund_id}/statements/{period}")) == (422, "period_invalid")
    assert error_of(world.client.get(f"/board/{fund_id}/{period}.json")) == (422, "period_invalid")


def _legacy_fund(world: World, monkeypatch) -> str:
    """A fund whose policy was recorded with 10^18 days, as the code before the bounds allowed."""
    wide = {key: (low, HUGE) for key, (low, _) in POLICY_BOUNDS.items()}
    with monkeypatch.context() as patch:
        patch.setattr("ledger.domain.fund_policy.POLICY_BOUNDS", wide)
        fund_id = world.ledger.establish_fund(
            actor="seed",
            owner_org_id=world.orgs["a"],
            kind="activity",
            name_zh="旧制度经费",
            allowed_purposes=["activities"],
            custody={"kind": "cash_box"},
            established_on=date(2020, 1, 1),
            policy={"posting_days": HUGE, "objection_answer_days": HUGE},
        )["fund_id"]
    recorded = world.ledger.record(
        fund_id,
        "receive_donation",
        actor="seed",
        occurred_on=date(2025, 6, 2),
        amount_fen=10_000,
        donor_kind="resident",
        donor_name="居民",
        doc_refs=["收据"],
    )
    world.ledger.raise_voucher_objection(
        fund_id, actor="seed", voucher_no=recorded["voucher_no"], text="金额不对", anonymous=True
    )
    world.ledger.close_periods_through(fund_id, actor="seed", period="2025-06")
    return fund_id


def test_board_of_a_closed_month_answers_when_a_recorded_policy_holds_10_18_posting_days(world, monkeypatch):
    fund_id = _legacy_fund(world, monkeypatch)
    world.get("/health")  # the views catch up

    answer = world.client.get(f"/board/{fund_id}/2025-06.json", params=after_writes(world))

    assert answer.status_code == 200, answer.text
    assert answer.json()["posting_to"] is not None


def test_daily_escalation_answers_when_a_recorded_policy_holds_10_18_answer_days(world, monkeypatch):
    _legacy_fund(world, monkeypatch)

    answer = world.post("/objections/escalations", {}, role="admin")

    assert answer.status_code == 201, answer.text

"""Issue 15 point 8 in the domain (ADR 0064): every integer of a fund's policy is bounded when
the policy is checked, whatever the entry point, and a policy recorded before the bounds is held
within them when it is read."""

from __future__ import annotations

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.fund_policy import POLICY_BOUNDS, check_policy, objection_answer_days, posting_days


@pytest.mark.parametrize("key", sorted(POLICY_BOUNDS))
def test_policy_is_refused_naming_the_key_when_an_integer_is_one_above_its_bound(key):
    _, high = POLICY_BOUNDS[key]

    with pytest.raises(LedgerError) as refused:
        check_policy("activity", {key: high + 1})

    expected = "amount_above_maximum" if key == "entry_max_fen" else "value_not_allowed"
    assert refused.value.code == expected
    if expected == "value_not_allowed":
        assert refused.value.details["field"] == f"policy.{key}"


@pytest.mark.parametrize("key", sorted(POLICY_BOUNDS))
def test_policy_is_accepted_when_every_integer_is_at_its_bounds(key):
    low, high = POLICY_BOUNDS[key]
    ordered = {"two_signers_above_fen": 0, "collective_decision_above_fen": 0}

    assert check_policy("activity", {**ordered, key: high})[key] == high
    assert check_policy("activity", {**ordered, key: low})[key] == low


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10**18, "high"), (-(10**18), "low"), ("7", "default"), (7.0, "default"), (True, "default")],
)
def test_policy_readers_hold_a_recorded_value_within_the_bounds_when_it_predates_them(value, expected):
    """Too large: the upper bound; too small: the lower; not an integer: the default."""
    recorded = {"posting_days": value, "objection_answer_days": value}
    empty: dict = {}
    for key, reader in (("posting_days", posting_days), ("objection_answer_days", objection_answer_days)):
        low, high = POLICY_BOUNDS[key]
        want = {"high": high, "low": low, "default": reader(empty)}[expected]
        assert reader(recorded) == want, key
        assert low <= reader(recorded) <= high

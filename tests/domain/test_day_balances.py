"""The no-overdraft check over per-day records refuses exactly what the walk over every
posting refuses, with the same account, balance before and date (ADR 0110)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.domain import day_balances
from ledger.domain.errors import LedgerError
from ledger.domain.running_balance import check_never_overdrawn

DAYS = [f"2025-0{m}-{d:02d}" for m in (1, 2) for d in (3, 9, 17)]
postings = st.tuples(st.sampled_from(DAYS), st.sampled_from(["cash", "bank"]), st.integers(-9_000, 9_000))


def _answer(check, *args, **kwargs):
    try:
        check(*args, **kwargs)
    except LedgerError as error:
        return error.code, error.details
    return None


@settings(max_examples=400, deadline=None)
@given(
    opening=st.fixed_dictionaries({"cash": st.integers(0, 20_000), "bank": st.integers(0, 20_000)}),
    history=st.lists(postings, max_size=30),
    new=st.lists(postings, min_size=1, max_size=3),
    reserved=st.integers(0, 5_000),
)
def test_the_day_records_refuse_the_same_posting_as_every_posting_when_given_any_history(
    opening, history, new, reserved
):
    # Only a history the rule accepted is ever on the books: keep the postings it let through.
    accepted: list = []
    for posting in history:
        if _answer(check_never_overdrawn, opening, accepted, [posting]) is None:
            accepted.append(posting)
    days = day_balances.from_postings(accepted)

    by_day = _answer(day_balances.check_never_overdrawn_by_day, opening, days, new, reserved_fen=reserved)

    assert by_day == _answer(check_never_overdrawn, opening, accepted, new, reserved_fen=reserved)


def test_a_day_record_holds_the_net_and_only_the_new_lows_when_postings_dip_and_recover():
    moves = [("cash", 500), ("cash", -800), ("bank", -100), ("cash", -100), ("cash", 900), ("cash", -50)]

    days = day_balances.from_postings(("2025-01-03", account, delta) for account, delta in moves)

    assert days == {
        "2025-01-03": [
            6,
            {"cash": 450, "bank": -100},
            {"cash": [[1, -300, -800], [3, -400, -100]], "bank": [[2, -100, -100]]},
        ]
    }

"""The control-character rule's quick look (one search per text, ADR 0195) refuses exactly what
the field-by-field walk finds, naming the same field and code point, on generated event states."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.domain.control_chars import check_no_controls, check_values, controls_in, first_control
from ledger.domain.errors import ControlCharacter

TEXTS = st.text(alphabet=st.sampled_from("ab张 \t\n\r\x00\x07\x1f\x7f\x85\x9f\u2028"), max_size=6)
VALUES = st.recursive(
    TEXTS | st.integers() | st.none() | st.booleans() | st.just(date(2024, 3, 2)),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(TEXTS, inner, max_size=2)
        | st.frozensets(TEXTS, max_size=2)
    ),
    max_leaves=6,
)
FIELDS = st.sampled_from(["memo", "payee", "doc_refs", "reason", "custody", "donor_name"])


def _refusal(call) -> tuple[str, str] | None:
    try:
        call()
    except ControlCharacter as error:
        return error.details["field"], error.details["code_point"]
    return None


@settings(max_examples=500, deadline=None)
@given(values=st.dictionaries(FIELDS, VALUES, max_size=4))
def test_the_quick_look_refuses_what_the_walk_finds_when_given_any_event_state(values):
    found = next(iter(controls_in(values)), None)
    expected = None if found is None else (found[0], f"U+{ord(found[1]):04X}")
    assert _refusal(lambda: check_values(values)) == expected


@settings(max_examples=300, deadline=None)
@given(field=FIELDS, text=TEXTS)
def test_a_text_is_refused_as_the_walk_would_when_checked_alone(field, text):
    walked = first_control(text, multiline=field in ("memo", "reason"))
    expected = None if walked is None else (field, f"U+{ord(walked):04X}")
    assert _refusal(lambda: check_no_controls(field, text)) == expected


@pytest.mark.parametrize("text", ["line one\nline two\r\n\tend", "plain 张大爷"])
def test_a_memo_keeps_its_line_breaks_when_it_holds_no_other_control(text):
    check_values({"memo": text, "doc_refs": ["paper:1"]})
    assert check_no_controls("memo", text) == text

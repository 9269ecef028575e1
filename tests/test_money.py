"""Tests for ledger.domain.money: amounts in fen, figures and capital numerals (docs/concepts/practice.md)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.domain.errors import LedgerError
from ledger.domain.money import (
    AMOUNT_CEILING_FEN,
    check_fen,
    format_amount,
    format_yuan_symbol,
    parse_amount,
    parse_capital,
    parse_typed_amount,
    to_capital,
)
from ledger.domain.numerals import spellings

# §7.4: the ten examples we are sure of.
CERTAIN_VECTORS = [
    (30000, "人民币叁佰元整"),
    (3500000, "人民币叁万伍仟元整"),
    (1000, "人民币壹拾元整"),
    (600714, "人民币陆仟零柒元壹角肆分"),
    (1640902, "人民币壹万陆仟肆佰零玖元零贰分"),
    (32504, "人民币叁佰贰拾伍元零肆分"),
    (140950, "人民币壹仟肆佰零玖元伍角整"),
    (10005, "人民币壹佰元零伍分"),
    (10070000, "人民币壹拾万零柒佰元整"),
    (1234567890, "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整"),
]

# §7.5: extra cases, canonical form.
EXTRA_VECTORS = [
    (168032, "人民币壹仟陆佰捌拾元零叁角贰分"),
    (10700053, "人民币壹拾万柒仟元零伍角叁分"),
    (10700000, "人民币壹拾万柒仟元整"),
    (100000100, "人民币壹佰万零壹元整"),
    (10000010000, "人民币壹亿零壹佰元整"),
    (0, "人民币零元整"),
    (50, "人民币伍角整"),
    (881885, "人民币捌仟捌佰壹拾捌元捌角伍分"),
]

# §6.1: the noticeboard's capital-numeral lines.
NOTICEBOARD_VECTORS = [
    (684250, "人民币陆仟捌佰肆拾贰元伍角整"),
    (587635, "人民币伍仟捌佰柒拾陆元叁角伍分"),
    (390000, "人民币叁仟玖佰元整"),
    (881885, "人民币捌仟捌佰壹拾捌元捌角伍分"),
]

CANONICAL_VECTORS = CERTAIN_VECTORS + EXTRA_VECTORS + NOTICEBOARD_VECTORS

# §7.5 "also accept", §7.2 rule 3 (整 optional after 角) and §7.2 rule 5 (optional 零).
ALTERNATE_SPELLINGS = [
    (168032, "人民币壹仟陆佰捌拾元叁角贰分"),
    (10700053, "人民币壹拾万零柒仟元伍角叁分"),
    (10700053, "人民币壹拾万柒仟元伍角叁分"),
    (10700000, "人民币壹拾万零柒仟元整"),
    (50, "人民币零元伍角整"),
    (50, "人民币伍角"),
    (140950, "人民币壹仟肆佰零玖元伍角"),
    (100000100000, "人民币壹拾亿壹仟元整"),
    (101000000000, "人民币壹拾亿零壹仟万元整"),
]

TRADITIONAL_SPELLINGS = [
    (168032, "人民幣壹仟陸佰捌拾圓零參角貳分"),
    (1640902, "人民币壹萬陆仟肆佰零玖元零贰分"),
    (10000010000, "人民币壹億零壹佰元整"),
    (3500000, "人民币叁萬伍仟圓整"),
    (200, "人民币貳元整"),
    (300, "人民币叄元整"),
]


def _code(excinfo: pytest.ExceptionInfo[LedgerError]) -> str:
    return excinfo.value.code


# --- to_capital -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fen", "capital"), CANONICAL_VECTORS)
def test_to_capital_writes_the_canonical_form(fen: int, capital: str) -> None:
    assert to_capital(fen) == capital


def test_to_capital_writes_one_zero_for_a_run_of_zeros() -> None:
    assert to_capital(600714) == "人民币陆仟零柒元壹角肆分"
    assert to_capital(10000000100) == "人民币壹亿零壹元整"


def test_to_capital_writes_yi_ling_for_a_whole_zero_section() -> None:
    assert to_capital(100000100000) == "人民币壹拾亿零壹仟元整"
    assert to_capital(10010000000) == "人民币壹亿零壹拾万元整"


def test_to_capital_writes_no_ling_when_the_lower_section_starts_non_zero() -> None:
    assert to_capital(101000000000) == "人民币壹拾亿壹仟万元整"


def test_to_capital_writes_fen_alone_under_one_jiao() -> None:
    assert to_capital(5) == "人民币伍分"
    assert to_capital(52) == "人民币伍角贰分"


def test_to_capital_writes_the_ceiling() -> None:
    assert to_capital(AMOUNT_CEILING_FEN) == (
        "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"
    )


def test_to_capital_refuses_negative_amounts() -> None:
    with pytest.raises(LedgerError) as excinfo:
        to_capital(-1)
    assert _code(excinfo) == "amount_negative"


def test_to_capital_refuses_amounts_above_the_ceiling() -> None:
    with pytest.raises(LedgerError) as excinfo:
        to_capital(AMOUNT_CEILING_FEN + 1)
    assert _code(excinfo) == "amount_above_maximum"
    assert excinfo.value.details == {"max_fen": AMOUNT_CEILING_FEN}


@pytest.mark.parametrize(
    ("value", "code"),
    [(1.5, "amount_float_not_allowed"), (True, "amount_invalid"), ("100", "amount_invalid")],
)
def test_to_capital_refuses_non_integers(value: object, code: str) -> None:
    with pytest.raises(LedgerError) as excinfo:
        to_capital(value)  # type: ignore[arg-type]
    assert _code(excinfo) == code


# --- parse_capital ----------------------------------------------------------------------------


@pytest.mark.parametrize(("fen", "capital"), CANONICAL_VECTORS)
def test_parse_capital_reads_the_canonical_form(fen: int, capital: str) -> None:
    assert parse_capital(capital) == fen


@pytest.mark.parametrize(("fen", "capital"), ALTERNATE_SPELLINGS)
def test_parse_capital_accepts_every_allowed_alternate(fen: int, capital: str) -> None:
    assert parse_capital(capital) == fen


@pytest.mark.parametrize(("fen", "capital"), TRADITIONAL_SPELLINGS)
def test_parse_capital_accepts_traditional_characters(fen: int, capital: str) -> None:
    assert parse_capital(capital) == fen


@pytest.mark.parametrize(
    ("fen", "capital"),
    [
        (30000, "人民币叁佰元正"),
        (140950, "人民币壹仟肆佰零玖元伍角正"),
        (30000, "人民币叁佰圆整"),
        (30000, "人民币叁佰圓正"),
    ],
)
def test_parse_capital_accepts_zheng_for_zheng_and_yuan_for_yuan(fen: int, capital: str) -> None:
    assert parse_capital(capital) == fen


@pytest.mark.parametrize(("fen", "capital"), CANONICAL_VECTORS)
def test_parse_capital_accepts_text_without_the_prefix(fen: int, capital: str) -> None:
    assert parse_capital(capital.removeprefix("人民币")) == fen


def test_parse_capital_ignores_surrounding_whitespace() -> None:
    assert parse_capital("  人民币叁佰元整\n") == 30000


@pytest.mark.parametrize(
    ("fen", "capital"),
    [(5, "人民币零元伍分"), (5, "人民币零元零伍分"), (52, "人民币零元伍角贰分")],
)
def test_parse_capital_accepts_ling_yuan_before_amounts_under_one_yuan(fen: int, capital: str) -> None:
    assert parse_capital(capital) == fen


@pytest.mark.parametrize(
    "text",
    [
        "",
        "人民币",
        "人民币整",
        "人民币元整",
        "拾元整",  # rule 7: 拾 always takes a digit
        "人民币拾万元整",
        "人民币壹佰元零伍分整",  # rule 3: never 整 after 分
        "人民币伍分整",
        "人民币壹佰壹仟元整",  # units out of order
        "人民币壹佰零零壹元整",  # two 零 in a row
        "人民币零零元整",
        "人民币零壹元整",
        "人民币叁佰元",  # rule 3: 整 after 元 is mandatory
        "人民币叁佰整",  # missing 元
        "人民币叁佰",
        "人民币壹佰元伍分",  # rule 6: mandatory 零 for the empty 角
        "人民币陆仟柒元壹角肆分",  # rule 4: mandatory 零 inside the number
        "人民币壹拾万柒佰元整",  # rule 4: 零 mandatory when the 仟 digit is also 0
        "人民币壹佰万壹元整",
        "人民币壹亿壹佰元整",
        "人民币壹拾万柒仟零元整",  # no 零 before 元
        "人民币壹仟陆佰捌拾元零零叁角贰分",
        "人民币零元",
        "人民币零元零角整",
        "人民币伍角贰分整",
        "人民币壹佰元伍角伍角",
        "人民币壹拾壹拾元整",
        "人民币叁佰叁元整",  # a digit without unit out of place
        "人民币叁叁佰元整",
        "人民币一百元整",  # rule 1: lowercase numerals
        "人民币壹佰元二角整",
        "人民币两佰元整",
        "人民币廿元整",
        "人民币伍毛",
        "人民币壹佰元另伍分",
        "人民币3佰元整",
        "人民币〇元整",
        "人民币 叁佰元整",  # rule 2: no gap after the prefix
        "人民币叁佰 元整",
        "人民币人民币叁佰元整",
        "叁佰元整人民币",
        "人民币壹万亿元整",  # above the ceiling
        "人民币壹拾万亿元整",
        "人民币" + "壹亿" * 40 + "元整",
        "¥300.00",
    ],
)
def test_parse_capital_rejects_malformed_text(text: str) -> None:
    with pytest.raises(LedgerError) as excinfo:
        parse_capital(text)
    assert _code(excinfo) == "capital_numeral_invalid"
    assert excinfo.value.details == {"text": text}


@pytest.mark.parametrize("value", [None, 300, 3.0, b"\xe5\xa3\xb9"])
def test_parse_capital_rejects_non_strings(value: object) -> None:
    with pytest.raises(LedgerError) as excinfo:
        parse_capital(value)  # type: ignore[arg-type]
    assert _code(excinfo) == "capital_numeral_invalid"


# --- capital numerals: properties -------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=AMOUNT_CEILING_FEN)
# Digit strings rich in zeros reach the 零 rules far more often than uniform integers do.
zero_rich_amounts = st.text(alphabet="00000000123456789", min_size=1, max_size=14).map(int)
any_amount = st.one_of(amounts, zero_rich_amounts)


@given(any_amount)
def test_parse_capital_reads_back_what_to_capital_writes(fen: int) -> None:
    assert parse_capital(to_capital(fen)) == fen


@given(any_amount)
def test_parse_capital_reads_every_allowed_spelling_as_the_same_amount(fen: int) -> None:
    for spelling in spellings(fen):
        assert parse_capital(spelling) == fen
        assert parse_capital("人民币" + spelling) == fen


_TRADITIONAL = str.maketrans({"贰": "貳", "叁": "參", "陆": "陸", "万": "萬", "亿": "億", "元": "圓"})


@given(any_amount)
def test_parse_capital_reads_traditional_characters(fen: int) -> None:
    text = to_capital(fen).translate(_TRADITIONAL).replace("人民币", "人民幣").replace("整", "正")
    assert parse_capital(text) == fen


def _reference_capital(fen: int) -> str:
    """An independent spelling: write every place, then collapse zeros with the classic rules."""
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    digits = "零壹贰叁肆伍陆柒捌玖"
    text = ""
    for place, char in zip(range(len(str(yuan)) - 1, -1, -1), str(yuan), strict=True):
        text += "零" if char == "0" else digits[int(char)] + ("", "拾", "佰", "仟")[place % 4]
        text += {8: "亿", 4: "万", 0: "元"}.get(place, "")
    for old, new in [
        ("零+", "零"),
        ("零亿", "亿"),
        ("亿零万", "亿零"),
        ("零万", "万"),
        ("零+", "零"),
    ]:
        text = re.sub(old, new, text)
    text = text.replace("零元", "元")
    if yuan == 0:
        text = "零元" if jiao == fen_digit == 0 else ""
    if jiao == fen_digit == 0:
        return "人民币" + text + "整"
    if jiao and yuan and yuan % 10 == 0:
        text += "零"
    if jiao:
        return "人民币" + text + digits[jiao] + "角" + (digits[fen_digit] + "分" if fen_digit else "整")
    return "人民币" + text + ("零" if yuan else "") + digits[fen_digit] + "分"


@pytest.mark.parametrize(("fen", "capital"), CANONICAL_VECTORS)
def test_reference_capital_agrees_with_the_vectors(fen: int, capital: str) -> None:
    assert _reference_capital(fen) == capital


@given(any_amount)
def test_to_capital_agrees_with_an_independent_reference(fen: int) -> None:
    assert to_capital(fen) == _reference_capital(fen)


@given(st.text(alphabet="人民币壹贰叁伍柒玖拾佰仟万亿元圆角分整正零一两 ", max_size=20))
def test_parse_capital_either_reads_an_amount_or_refuses_with_its_code(text: str) -> None:
    try:
        fen = parse_capital(text)
    except LedgerError as error:
        assert error.code == "capital_numeral_invalid"
    else:
        assert 0 <= fen <= AMOUNT_CEILING_FEN
        assert parse_capital(to_capital(fen)) == fen


# --- parse_amount -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1680.32", 168032),
        ("1,680.32", 168032),
        ("¥1,680.32", 168032),
        ("￥1680.32", 168032),
        ("300", 30000),
        ("300.5", 30050),
        (" 300.00 ", 30000),
        ("\u3000300\t", 30000),
        ("0.01", 1),
        ("0.5", 50),
        ("1,000", 100000),
        ("1,000,000.00", 100000000),
        ("999,999,999,999.99", AMOUNT_CEILING_FEN),
    ],
)
def test_parse_amount_reads_yuan_text_as_fen(text: str, fen: int) -> None:
    assert parse_amount(text) == fen


@pytest.mark.parametrize(("text", "fen"), [("-12.30", -1230), ("-¥12.30", -1230), ("-1,680.32", -168032)])
def test_parse_amount_reads_negative_amounts_when_allowed(text: str, fen: int) -> None:
    assert parse_amount(text, allow_negative=True) == fen


@pytest.mark.parametrize("text", ["0", "0.00", "¥0", "-0.00"])
def test_parse_amount_reads_zero_when_allowed(text: str) -> None:
    assert parse_amount(text, allow_zero=True) == 0


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "amount_invalid"),
        ("   ", "amount_invalid"),
        ("abc", "amount_invalid"),
        ("1e3", "amount_invalid"),
        ("NaN", "amount_invalid"),
        ("Infinity", "amount_invalid"),
        ("1.2.3", "amount_invalid"),
        ("1,68,0.32", "amount_invalid"),
        ("1,6800.32", "amount_invalid"),
        ("1680,32", "amount_invalid"),
        (",100", "amount_invalid"),
        ("100,", "amount_invalid"),
        ("1 000", "amount_invalid"),
        ("1.", "amount_invalid"),
        (".5", "amount_invalid"),
        ("01", "amount_invalid"),
        ("+1", "amount_invalid"),
        ("¥ 1", "amount_invalid"),
        ("¥-1", "amount_invalid"),
        ("1¥", "amount_invalid"),
        ("１２３", "amount_invalid"),  # full-width digits
        ("١٢٣", "amount_invalid"),  # Arabic-Indic digits
        ("-", "amount_invalid"),
        ("¥", "amount_invalid"),
        ("9" * 100, "amount_invalid"),
        ("1.005", "amount_too_many_decimals"),
        ("0.001", "amount_too_many_decimals"),
        ("1.000", "amount_too_many_decimals"),
        ("-1.005", "amount_too_many_decimals"),  # decimals are checked before the sign
        ("-12.30", "amount_negative"),
        ("-1,000,000,000,000.00", "amount_negative"),  # sign before maximum
        ("0", "amount_must_be_positive"),
        ("0.00", "amount_must_be_positive"),
        ("-0.00", "amount_must_be_positive"),
        ("1,000,000,000,000.00", "amount_above_maximum"),
    ],
)
def test_parse_amount_rejects_bad_text_with_its_code(text: str, code: str) -> None:
    with pytest.raises(LedgerError) as excinfo:
        parse_amount(text)
    assert _code(excinfo) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (1.5, "amount_float_not_allowed"),
        (float("nan"), "amount_float_not_allowed"),
        (100, "amount_invalid"),
        (True, "amount_invalid"),
        (Decimal("1.00"), "amount_invalid"),
        (None, "amount_invalid"),
        (b"1.00", "amount_invalid"),
    ],
)
def test_parse_amount_accepts_only_strings(value: object, code: str) -> None:
    with pytest.raises(LedgerError) as excinfo:
        parse_amount(value)
    assert _code(excinfo) == code


def test_parse_amount_applies_a_custom_maximum() -> None:
    assert parse_amount("10.00", max_fen=1000) == 1000
    with pytest.raises(LedgerError) as excinfo:
        parse_amount("10.01", max_fen=1000)
    assert _code(excinfo) == "amount_above_maximum"
    assert excinfo.value.details == {"max_fen": 1000}


def test_parse_amount_applies_the_maximum_to_negative_amounts() -> None:
    with pytest.raises(LedgerError) as excinfo:
        parse_amount("-10.01", allow_negative=True, max_fen=1000)
    assert _code(excinfo) == "amount_above_maximum"


@given(st.integers(min_value=1, max_value=AMOUNT_CEILING_FEN))
def test_parse_amount_reads_back_what_format_amount_writes(fen: int) -> None:
    assert parse_amount(format_amount(fen)) == fen
    assert parse_amount(format_amount(fen, thousands=False)) == fen
    assert parse_amount(format_yuan_symbol(fen)) == fen
    assert parse_amount(format_yuan_symbol(-fen), allow_negative=True) == -fen


@settings(max_examples=300)
@given(st.text(alphabet="0123456789,.-¥ e", max_size=20))
def test_parse_amount_either_reads_an_amount_or_refuses_with_a_known_code(text: str) -> None:
    known = {
        "amount_invalid",
        "amount_too_many_decimals",
        "amount_negative",
        "amount_must_be_positive",
        "amount_above_maximum",
    }
    try:
        fen = parse_amount(text, allow_zero=True, allow_negative=True)
    except LedgerError as error:
        assert error.code in known
    else:
        assert abs(fen) <= AMOUNT_CEILING_FEN


# --- check_fen --------------------------------------------------------------------------------


@pytest.mark.parametrize("fen", [1, 168032, AMOUNT_CEILING_FEN])
def test_check_fen_returns_a_valid_amount(fen: int) -> None:
    assert check_fen(fen) == fen


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0, "amount_must_be_positive"),
        (-1, "amount_must_be_positive"),
        (AMOUNT_CEILING_FEN + 1, "amount_above_maximum"),
        (1.0, "amount_float_not_allowed"),
        (True, "amount_invalid"),
        ("100", "amount_invalid"),
        (Decimal(100), "amount_invalid"),
        (None, "amount_invalid"),
    ],
)
def test_check_fen_rejects_bad_amounts_with_its_code(value: object, code: str) -> None:
    with pytest.raises(LedgerError) as excinfo:
        check_fen(value)
    assert _code(excinfo) == code


def test_check_fen_applies_a_custom_maximum() -> None:
    assert check_fen(500, max_fen=500) == 500
    with pytest.raises(LedgerError) as excinfo:
        check_fen(501, max_fen=500)
    assert excinfo.value.details == {"max_fen": 500}


# --- format_amount ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (168032, "1,680.32"),
        (0, "0.00"),
        (1, "0.01"),
        (10, "0.10"),
        (-5, "-0.05"),
        (-168032, "-1,680.32"),
        (100000000, "1,000,000.00"),
        (AMOUNT_CEILING_FEN, "999,999,999,999.99"),
    ],
)
def test_format_amount_writes_yuan_with_two_decimals(fen: int, text: str) -> None:
    assert format_amount(fen) == text


def test_format_amount_can_leave_out_thousands_separators() -> None:
    assert format_amount(168032, thousands=False) == "1680.32"
    assert format_amount(-100000000, thousands=False) == "-1000000.00"


@pytest.mark.parametrize(("fen", "text"), [(168032, "¥1,680.32"), (0, "¥0.00"), (-5, "-¥0.05")])
def test_format_yuan_symbol_puts_the_sign_before_the_figures(fen: int, text: str) -> None:
    assert format_yuan_symbol(fen) == text


@pytest.mark.parametrize(("value", "code"), [(1.5, "amount_float_not_allowed"), (True, "amount_invalid")])
def test_format_amount_refuses_non_integers(value: object, code: str) -> None:
    with pytest.raises(LedgerError) as excinfo:
        format_amount(value)  # type: ignore[arg-type]
    assert _code(excinfo) == code


# --- parse_typed_amount: what a Chinese input method types into a console form ------------------


@pytest.mark.parametrize(
    "typed",
    [
        "358.50",
        "３５８．５０",  # full-width figures and point
        "358。50",  # the ideographic full stop as the point
        "３５８。５",
        "358.5元",
        "358.50圆",
        "¥358.50",
        "￥358.5",
        "￥３５８．５０元",
        "  358.50 元 ",
        "3 5 8 . 5 0",
        "\u3000358.50\u3000",  # the full-width space around it
        "叁佰伍拾捌元伍角",
        "人民币叁佰伍拾捌元伍角整",
        "叁佰伍拾捌圆伍角",
    ],
)
def test_parse_typed_amount_reads_the_same_fen_when_typed_with_an_input_method(typed):
    assert parse_typed_amount(typed) == 35850


@pytest.mark.parametrize(
    ("typed", "fen"), [("1，680.32", 168032), ("１,６８０．３２元", 168032), ("12", 1200)]
)
def test_parse_typed_amount_reads_thousands_commas_when_half_or_full_width(typed, fen):
    assert parse_typed_amount(typed) == fen


@pytest.mark.parametrize(
    "typed", ["abc", "", "358,50", "358..50", "元", "358元5", "叁佰伍拾捌元伍角x", "3五8", "¥¥358", "358元元"]
)
def test_parse_typed_amount_refuses_with_an_example_when_the_text_is_no_amount(typed):
    with pytest.raises(LedgerError) as excinfo:
        parse_typed_amount(typed)
    assert _code(excinfo) == "amount_not_understood"
    message = excinfo.value.message_zh
    assert "358.50" in message and "叁佰伍拾捌元伍角" in message
    assert "amount" not in message  # plain Chinese: no code, no field name


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("358.555", "amount_too_many_decimals"),
        ("３５８．５５５", "amount_too_many_decimals"),
        ("0", "amount_must_be_positive"),
        ("零元整", "amount_must_be_positive"),
        ("－5", "amount_negative"),
        ("1000000000000.00", "amount_above_maximum"),
    ],
)
def test_parse_typed_amount_keeps_the_rule_broken_when_the_amount_is_readable(typed, code):
    with pytest.raises(LedgerError) as excinfo:
        parse_typed_amount(typed)
    assert _code(excinfo) == code


def test_parse_typed_amount_reads_zero_when_zero_is_allowed():
    assert parse_typed_amount("０．００", allow_zero=True) == 0
    assert parse_typed_amount("零元整", allow_zero=True) == 0


def test_parse_typed_amount_refuses_a_long_text_without_reading_it():
    with pytest.raises(LedgerError) as excinfo:
        parse_typed_amount("9" * 10_000)
    assert _code(excinfo) == "amount_not_understood"
    assert len(excinfo.value.message_zh) < 200


def test_parse_amount_stays_strict_when_given_what_only_the_console_accepts():
    for typed in ("３５８．５０", "358。50", "358.5元", "叁佰伍拾捌元伍角"):
        with pytest.raises(LedgerError):
            parse_amount(typed)


@given(st.integers(min_value=1, max_value=AMOUNT_CEILING_FEN))
@settings(max_examples=200)
def test_parse_typed_amount_reads_back_every_amount_when_written_in_figures_or_capitals(fen):
    full_width = format_amount(fen).translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，"))
    assert parse_typed_amount(full_width) == fen
    assert parse_typed_amount(format_amount(fen) + "元") == fen
    assert parse_typed_amount(to_capital(fen)) == fen

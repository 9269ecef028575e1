"""Money: parsing and writing amounts in fen, in figures and in capital numerals (人民币大写).

An *amount in fen* is a Python ``int`` that counts fen (分), the smallest unit of the renminbi:
1 yuan (元) = 10 jiao (角) = 100 fen. Every amount the ledger stores, adds or compares is an
amount in fen. No float ever touches money: a binary float cannot hold 0.10 exactly, and sums of
floats drift. Text written by people ("1,680.32", "¥1,680.32", "人民币壹仟陆佰捌拾元零叁角贰分")
becomes fen at the edge through this module, and fen become text again only for display.

Capital numerals follow docs/concepts/practice.md ("Capital numerals"): ``to_capital`` writes the one
canonical form, and ``parse_capital`` reads every spelling that the bank and accounting texts allow.
"""

from __future__ import annotations

import re

from ledger.domain.errors import (
    AmountAboveMaximum,
    AmountFloatNotAllowed,
    AmountInvalid,
    AmountMustBePositive,
    AmountNegative,
    AmountNotUnderstood,
    AmountTooManyDecimals,
    CapitalNumeralInvalid,
)
from ledger.domain.numerals import (
    AMOUNT_CEILING_FEN,
    DIGITS,
    PREFIX,
    spellings,
    write_capital,
    write_figures,
)

# The longest valid text is far shorter; the cap keeps int() and the readers cheap on junk.
_MAX_TEXT_LENGTH = 64

# ASCII digits only: \d and int() would also take full-width and other scripts' digits.
_AMOUNT_RE = re.compile(
    r"(?P<sign>-)?[¥￥]?"
    r"(?P<yuan>0|[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]*)"
    r"(?:\.(?P<decimals>[0-9]+))?"
)

_DIGIT_VALUES = {char: value for value, char in enumerate(DIGITS)}
_PLACE_VALUES = {"拾": 10, "佰": 100, "仟": 1000}

# §7.2 rule 1: traditional forms, 圆 and 正 are read but never written. Mapping them onto the
# canonical characters lets one comparison check every spelling.
_READ_AS_CANONICAL = str.maketrans(
    {
        "貳": "贰",
        "參": "叁",
        "叄": "叁",
        "陸": "陆",
        "萬": "万",
        "億": "亿",
        "圓": "元",
        "圆": "元",
        "正": "整",
        "幣": "币",
    }
)


# --- figures ----------------------------------------------------------------------------------


def parse_amount(
    value: object,
    *,
    allow_zero: bool = False,
    allow_negative: bool = False,
    max_fen: int = AMOUNT_CEILING_FEN,
) -> int:
    """Read a yuan amount written in figures ("1,680.32", "¥300") as an amount in fen.

    Only ``str`` is accepted: an int would be ambiguous (yuan or fen?), use ``check_fen`` for fen.
    Checks run in a fixed order: type, syntax, decimals, sign, zero, maximum.
    """
    if isinstance(value, float):
        raise AmountFloatNotAllowed(text=repr(value))
    if not isinstance(value, str):
        raise AmountInvalid(text=repr(value))
    text = value.strip()
    match = _AMOUNT_RE.fullmatch(text) if len(text) <= _MAX_TEXT_LENGTH else None
    if match is None:
        raise AmountInvalid(text=value)
    decimals = match["decimals"] or ""
    if len(decimals) > 2:
        raise AmountTooManyDecimals(text=value)
    fen = int(match["yuan"].replace(",", "")) * 100 + int(decimals.ljust(2, "0"))
    if match["sign"]:
        fen = -fen
    if fen < 0 and not allow_negative:
        raise AmountNegative(text=value)
    if fen == 0 and not allow_zero:
        raise AmountMustBePositive(text=value)
    if abs(fen) > max_fen:
        raise AmountAboveMaximum(max_fen=max_fen)
    return fen


def check_fen(amount_fen: object, *, max_fen: int = AMOUNT_CEILING_FEN) -> int:
    """Return ``amount_fen`` if it is a positive amount in fen no larger than ``max_fen``."""
    fen = _require_int(amount_fen)
    if fen <= 0:
        raise AmountMustBePositive(text=str(fen))
    if fen > max_fen:
        raise AmountAboveMaximum(max_fen=max_fen)
    return fen


def check_counted_fen(amount_fen: object, *, max_fen: int = AMOUNT_CEILING_FEN) -> int:
    """Return ``amount_fen`` if it is a counted amount in fen (zero or more: an empty cash box
    counts 0) no larger than ``max_fen``."""
    fen = _require_int(amount_fen)
    if fen < 0:
        raise AmountNegative(text=str(fen))
    if fen > max_fen:
        raise AmountAboveMaximum(max_fen=max_fen)
    return fen


def format_amount(fen: int, *, thousands: bool = True) -> str:
    """Write an amount in fen as yuan with two decimals: 168032 -> "1,680.32" (§7.2 rule 8)."""
    return write_figures(_require_int(fen), thousands=thousands)


def format_yuan_symbol(fen: int) -> str:
    """Write an amount in fen with the yuan sign and no gap: 168032 -> "¥1,680.32"."""
    # The minus goes before ¥ so that parse_amount(..., allow_negative=True) reads it back.
    text = format_amount(fen)
    return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"


def _require_int(value: object) -> int:
    # bool is an int subclass, but True is never meant as 1 fen.
    if isinstance(value, float):
        raise AmountFloatNotAllowed(text=repr(value))
    if isinstance(value, bool) or not isinstance(value, int):
        raise AmountInvalid(text=repr(value))
    return value


# --- what a person types into a form -----------------------------------------------------------

# A Chinese input method types full-width figures (３５８．５０), 。 for the point and ， for the
# comma; they mean the ASCII ones. Spaces anywhere (also the full-width one) mean nothing.
_TYPED_AS_ASCII = str.maketrans(
    {
        **{chr(ord("０") + digit): str(digit) for digit in range(10)},
        "．": ".",
        "。": ".",
        "｡": ".",
        "，": ",",
        "－": "-",
        "￥": "¥",
        "　": None,
        " ": None,
    }
)
# Any of these makes the text capital numerals, read by parse_capital.
_CAPITAL_MARKS = frozenset(DIGITS + "拾佰仟万亿角分整" + "貳參叄陸萬億")


def parse_typed_amount(value: object, *, allow_zero: bool = False) -> int:
    """Read an amount as a person types it into a console form, in fen.

    Accepts what ``parse_amount`` does, and also full-width figures and punctuation (３５８．５０),
    ``。`` as the decimal point, a trailing ``元`` or ``圆``, ``¥``/``￥`` in front, ``,``/``，`` between
    thousands, spaces anywhere, and capital numerals (叁佰伍拾捌元伍角, through ``parse_capital``).
    A text read neither way is ``amount_not_understood``, whose message shows accepted forms;
    a readable amount that breaks a rule keeps its own error (too many decimals, zero, maximum).
    The API does not use this: it takes decimal strings only.
    """
    if not isinstance(value, str) or len(value) > _MAX_TEXT_LENGTH:
        raise AmountNotUnderstood(text=str(value)[:_MAX_TEXT_LENGTH])
    text = value.strip()
    if _CAPITAL_MARKS.intersection(text):
        try:
            fen = parse_capital(text.translate(_TYPED_AS_ASCII))
        except CapitalNumeralInvalid:
            raise AmountNotUnderstood(text=text) from None
        if fen == 0 and not allow_zero:
            raise AmountMustBePositive(text=text)
        return fen
    figures = text.translate(_TYPED_AS_ASCII)
    figures = figures.removesuffix("元").removesuffix("圆").removesuffix("圓")
    try:
        return parse_amount(figures, allow_zero=allow_zero)
    except AmountInvalid:
        raise AmountNotUnderstood(text=text) from None


# --- capital numerals: writing ----------------------------------------------------------------


def to_capital(fen: int) -> str:
    """Write an amount in fen in canonical capital numerals (§7.3): 50 -> "人民币伍角整".

    A negative amount is refused: a red-ink line prints the capitals of its absolute value.
    """
    if _require_int(fen) < 0:
        raise AmountNegative(text=str(fen))
    if fen > AMOUNT_CEILING_FEN:
        raise AmountAboveMaximum(max_fen=AMOUNT_CEILING_FEN)
    return write_capital(fen)


# --- capital numerals: reading ----------------------------------------------------------------


def parse_capital(text: str) -> int:
    """Read capital numerals as an amount in fen, accepting every spelling §7 allows.

    The text is read leniently to a number, then must be one of that number's allowed
    spellings: so the reader never needs its own copy of the zero and 整 rules.
    """
    if not isinstance(text, str):
        raise CapitalNumeralInvalid(text=repr(text))
    body = text.strip().translate(_READ_AS_CANONICAL).removeprefix(PREFIX)
    try:
        fen = _read_leniently(body)
    except ValueError:
        raise CapitalNumeralInvalid(text=text) from None
    if fen > AMOUNT_CEILING_FEN or body not in spellings(fen):
        raise CapitalNumeralInvalid(text=text)
    return fen


def _read_leniently(body: str) -> int:
    """The number ``body`` would mean if it were well formed; ValueError on unknown characters."""
    if len(body) > _MAX_TEXT_LENGTH:
        raise ValueError(body)
    integer, has_yuan, decimals = body.partition("元")
    if not has_yuan:
        integer, decimals = "", body
    return _read_integer(integer) * 100 + _read_decimals(decimals)


def _read_integer(text: str) -> int:
    total = section = digit = 0
    for char in text:
        if char in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[char]
        elif char in _PLACE_VALUES:
            section, digit = section + digit * _PLACE_VALUES[char], 0
        elif char == "万":
            total, section, digit = total + (section + digit) * 10_000, 0, 0
        elif char == "亿":
            total, section, digit = (total + section + digit) * 10**8, 0, 0
        else:
            raise ValueError(char)
    return total + section + digit


def _read_decimals(text: str) -> int:
    fen = digit = 0
    for char in text:
        if char in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[char]
        elif char in ("角", "分"):
            fen, digit = fen + digit * (10 if char == "角" else 1), 0
        elif char != "整":
            raise ValueError(char)
    return fen

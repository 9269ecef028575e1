"""Amounts written out, in figures and in capital numerals (人民币大写), with no checks.

The one description of how capitals are spelt lives here, below every other module of the
domain: ``ledger.domain.money`` checks its input (an int, not negative, under the ceiling) and
then writes through these functions and reads capitals against ``spellings``, and the words of
an error message (``ledger.domain.spoken``) write an amount without importing the errors that
``money`` raises. Capital numerals follow docs/concepts/practice.md ("Capital numerals").
"""

from __future__ import annotations

import itertools

# 999,999,999,999.99 yuan: capital numerals have sections only up to 仟亿.
AMOUNT_CEILING_FEN = 99_999_999_999_999

PREFIX = "人民币"
DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACE_UNITS = ("", "拾", "佰", "仟")
SECTION_UNITS = {4: "万", 8: "亿"}


def write_figures(fen: int, *, thousands: bool = True) -> str:
    """``fen`` (an int) as yuan with two decimals: 168032 -> "1,680.32"."""
    yuan, cents = divmod(abs(fen), 100)
    digits = f"{yuan:,}" if thousands else str(yuan)
    return f"{'-' if fen < 0 else ''}{digits}.{cents:02d}"


def write_capital(fen: int) -> str:
    """``fen`` (0 to AMOUNT_CEILING_FEN) in canonical capital numerals: 50 -> "人民币伍角整"."""
    return PREFIX + "".join(forms[0] for forms in _pieces(fen))


def spellings(fen: int) -> set[str]:
    """Every allowed spelling of ``fen``, in canonical characters and without the prefix."""
    return {"".join(choice) for choice in itertools.product(*_pieces(fen))}


def _pieces(fen: int) -> list[tuple[str, ...]]:
    """The spelling of ``fen`` as a list of pieces; each piece lists its allowed forms.

    The first form of every piece is the canonical one, so to_capital and parse_capital share
    one description of the rules and cannot drift apart.
    """
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    return _integer_pieces(yuan) + _decimal_pieces(yuan, jiao, fen_digit)


def _integer_pieces(yuan: int) -> list[tuple[str, ...]]:
    digits = str(yuan) if yuan else ""
    pieces: list[tuple[str, ...]] = []
    last_nonzero = -1  # place (power of ten) of the last non-zero digit written
    for index, char in enumerate(digits):
        place = len(digits) - 1 - index
        if char != "0":
            if last_nonzero > place + 1:  # a run of zeros lies between two non-zero digits
                pieces.append(_zero_run_piece(last_nonzero, place))
            pieces.append((DIGITS[int(char)] + PLACE_UNITS[place % 4],))
            last_nonzero = place
        if place in SECTION_UNITS and yuan // 10**place % 10_000:
            pieces.append((SECTION_UNITS[place],))  # 万/亿 only after a non-zero section
    return pieces


def _zero_run_piece(last_nonzero: int, place: int) -> tuple[str, ...]:
    """The 零 for a run of zeros between place ``last_nonzero`` and the non-zero ``place``."""
    if place % 4 != 3:
        return ("零",)  # rule 4: one 零 for the run, and it is mandatory
    # Rule 5: the run ends at the 万 or 亿 digit and a non-zero 仟 digit follows, so 零 is
    # optional. Canonical (§7.3 step 3): normal reading writes it only when a whole section
    # is zero, i.e. the run reaches back beyond the section above.
    run_stays_in_one_section = last_nonzero // 4 == (place + 1) // 4
    return ("", "零") if run_stays_in_one_section else ("零", "")


def _decimal_pieces(yuan: int, jiao: int, fen: int) -> list[tuple[str, ...]]:
    jiao_text = DIGITS[jiao] + "角"
    fen_text = DIGITS[fen] + "分"
    after_jiao = (fen_text,) if fen else ("整", "")  # rule 3: 整 after 角 is canonical, optional
    if yuan == 0:
        if jiao == fen == 0:
            return [("零元整",)]
        # Under 1 yuan the texts are silent (Q4): canonical omits 零元, the reader accepts it,
        # and accepts a 零 for the empty 角 place after it, as rule 6 asks after 元.
        if jiao == 0:
            return [("", "零元", "零元零"), (fen_text,)]
        return [("", "零元"), (jiao_text,), after_jiao]
    if jiao == fen == 0:
        return [("元",), ("整",)]  # rule 3: 整 after 元 is mandatory
    if jiao == 0:
        return [("元",), ("零",), (fen_text,)]  # rule 6: 零 for the empty 角 is mandatory
    # Rule 5 at 元: if the 元 digit is 0, 零 before 角 is optional; canonical writes it.
    zero = ("零", "") if yuan % 10 == 0 else ("",)
    return [("元",), zero, (jiao_text,), after_jiao]

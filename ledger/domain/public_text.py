"""Text that will be printed on the public board: checked before it is recorded (R34).

A text typed to be public — a voucher's public summary, a grantor, a payee or a donor that the
board prints as recorded, a campaign, an aid case's public category — is refused when it holds

- the full name of a registered person who has not consented to public notice
  (``public_text_names_person``),
- a mobile phone number (``public_text_has_phone``: 11 digits from 13… to 19…),
- a resident ID number (``public_text_has_id_number``: 18 digits whose last is the ISO 7064
  MOD 11-2 check character, or the old 15-digit number),
- a bank-card number (``public_text_has_bank_card``: 16 to 19 digits passing the Luhn check).

Digits are read after NFKC (full-width ０-９ count) with spaces and hyphens between them
removed, so ``138 1234 5678`` is a phone too. A run of digits is judged as a whole: an amount
or a voucher number never is 11, 15 or 16–19 digits long by accident of a longer number.
The internal memo is never printed and is not checked here. Nor is a text that is an id (a
UUID, e.g. a handler's person id): the board prints the person's name for it, never the id,
and the hyphens of an id would otherwise join its digits into what looks like a phone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cached_property
from uuid import UUID

from ledger.domain import errors

_JOINED = re.compile(r"(?<=\d)[\s\-]+(?=\d)")
_RUN = re.compile(r"\d+[Xx]?")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
NAME_LEN_MIN = 2  # a one-character "name" is no one's full name


class PublicRegister:
    """The full names of registered people who have not consented to public notice, read only
    when a public text is actually checked against them (``names`` is called at most once)."""

    def __init__(self, names: Callable[[], Iterable[str]] = tuple) -> None:
        self._names = names

    @classmethod
    def of(cls, names: Iterable[str]) -> PublicRegister:
        listed = list(names)
        return cls(lambda: listed)

    @cached_property
    def unconsented(self) -> frozenset[str]:
        return frozenset(n.strip() for n in self._names() if len(n.strip()) >= NAME_LEN_MIN)


NO_REGISTER = PublicRegister()


def check_public_text(field: str, text: str | None, register: PublicRegister = NO_REGISTER) -> str | None:
    """``text`` unchanged if it may be printed on the public board; else the refusal."""
    if text is None or _is_id(text):
        return text
    kind = private_number_kind(text)
    if kind is not None:
        raise _NUMBER_ERRORS[kind](field=field)
    normal = unicodedata.normalize("NFKC", text)
    for name in sorted(register.unconsented):  # the register is read here, if ever
        if name in normal:
            raise errors.PublicTextNamesPerson(field=field)
    return text


def private_number_kind(text: str) -> str | None:
    """``phone``, ``id_number`` or ``bank_card`` if ``text`` holds one, else None."""
    joined = _JOINED.sub("", unicodedata.normalize("NFKC", text))
    for run in _RUN.findall(joined):
        digits = run.rstrip("Xx")
        if len(run) == 18 and _id_checksum_ok(run):
            return "id_number"
        if run != digits:
            continue
        if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
            return "phone"
        if len(digits) == 15:
            return "id_number"
        if 16 <= len(digits) <= 19 and _luhn_ok(digits):
            return "bank_card"
    return None


def _is_id(text: str) -> bool:
    try:
        return str(UUID(text)) == text.lower()  # only the canonical form: 8-4-4-4-12 hex digits
    except ValueError:
        return False


def _id_checksum_ok(number: str) -> bool:
    if not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


_NUMBER_ERRORS = {
    "phone": errors.PublicTextHasPhone,
    "id_number": errors.PublicTextHasIdNumber,
    "bank_card": errors.PublicTextHasBankCard,
}

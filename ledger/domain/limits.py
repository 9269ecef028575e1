"""Limits on everything a person types: required texts, maximum lengths, allowed values.

A limit is a rule like any other: it fails with a code (``text_required``, ``text_too_long``,
``control_character``, ``value_not_allowed``) naming the field, so the API and the console can point at it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from ledger.domain import errors
from ledger.domain.control_chars import check_no_controls

NAME_LEN_MAX = 100
MEMO_LEN_MAX = 200
REF_LEN_MAX = 100
REASON_LEN_MAX = 500
REFS_COUNT_MAX = 20
PURPOSES_COUNT_MAX = 50


def check_text(field: str, value: object, *, max_len: int, required: bool = True) -> str:
    """A stripped text within its limit ('' when optional and absent)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise errors.ValueNotAllowed(field=field, value=repr(value), allowed="text")
    text = check_no_controls(field, value.strip())
    if required and not text:
        raise errors.TextRequired(field=field)
    if len(text) > max_len:
        raise errors.TextTooLong(field=field, max_len=max_len)
    return text


def check_optional_text(field: str, value: object, *, max_len: int) -> str | None:
    text = check_text(field, value, max_len=max_len, required=False)
    return text or None


def check_refs(field: str, values: object, *, required: bool) -> list[str]:
    """A list of document references (scans, receipts, decisions): each non-empty, bounded."""
    if values is None:
        values = []
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise errors.ValueNotAllowed(field=field, value=repr(values), allowed="list of text")
    refs = [check_text(field, v, max_len=REF_LEN_MAX) for v in values]
    if len(refs) > REFS_COUNT_MAX:
        raise errors.TooManyItems(field=field, max_items=REFS_COUNT_MAX)
    if required and not refs:
        raise errors.SourceDocumentRequired(field=field)
    return refs


def check_flag(field: str, value: object) -> bool:
    """A yes/no answer: only true or false (the text "false" is not consent)."""
    if not isinstance(value, bool):
        raise errors.ValueNotAllowed(field=field, value=repr(value), allowed="true, false")
    return value


def check_choice(field: str, value: object, allowed: Iterable[str]) -> str:
    options = tuple(allowed)
    if value not in options:
        raise errors.ValueNotAllowed(field=field, value=str(value), allowed=", ".join(options))
    assert isinstance(value, str)
    return value


def check_date(field: str, value: object) -> date:
    """A business date; datetimes are refused (a date decides the period, a time does not)."""
    from datetime import datetime

    if not isinstance(value, date) or isinstance(value, datetime):
        raise errors.DateInvalid(field=field, value=str(value))
    return value


def check_not_future(field: str, day: date, today: date) -> None:
    if day > today:
        raise errors.DateInFuture(field=field, date=day.isoformat(), today=today.isoformat())

"""No control characters in any text the ledger records (issue 14, ADR 0050).

A NUL, another C0 or C1 control, DEL, or a lone surrogate in a name, a memo or a reference is
never meant: it is a pasted artefact or an attack, it prints as nothing on the noticeboard, and
some stores cannot hold it (PostgreSQL ``TEXT`` refuses NUL; a view that cannot store an event
would stop). So every text of every command is refused with ``control_character`` (422) naming
the field and the code point, before anything is written. Only the free texts that may run over
several lines (``MULTILINE_FIELDS``: a memo, a reason, an objection and its answer, a
handover's note) keep tab, line feed and carriage return (a browser's text area sends CR LF).

The views must still survive an event stored before the rule (ADR 0050): they store and show
such a text with U+FFFD in place of each control character (``replace_controls``), and
``fundbook verify`` reports the event (``controls_in``).

Two places apply the rule, sharing ``check_no_controls``: ``limits.check_text`` (every text a
command reads, field by field), and ``ControlCharacterGuard``, a base of every aggregate that
looks at every text value of every event it is about to record (names inside lists and dicts
too), so a field that reaches an event without ``check_text`` is refused all the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ledger.domain import errors

# Multi-line free texts: tab, LF and CR allowed (the field names as commands and events use them).
MULTILINE_FIELDS = frozenset(
    {
        "memo",
        "reason",
        "reason_private",
        "text",
        "text_private",
        "answer",
        "answer_private",
        "difference_note",
    }
)
_LINE_CONTROLS = "\t\n\r"
_TEXT_OR_CONTAINER = (str, Mapping, list, tuple, set, frozenset)
# Cc (C0, DEL, C1) and Cs (surrogates: not encodable as UTF-8, so not storable either).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def is_multiline(field: str) -> bool:
    return field.rsplit(".", 1)[-1] in MULTILINE_FIELDS


def first_control(text: str, *, multiline: bool = False) -> str | None:
    """The first control character of ``text`` that its field may not hold, else None."""
    if _CONTROL.search(text) is None:  # almost every text: one scan in C, no iterator
        return None
    for match in _CONTROL.finditer(text):
        if not (multiline and match.group() in _LINE_CONTROLS):
            return match.group()
    return None


def check_no_controls(field: str, text: str) -> str:
    """``text`` unchanged, or ``ControlCharacter`` naming the field and the code point."""
    if _CONTROL.search(text) is None:
        return text
    found = first_control(text, multiline=is_multiline(field))
    if found is not None:
        raise errors.ControlCharacter(field=field, code_point=f"U+{ord(found):04X}")
    return text


def check_values(values: Mapping[str, Any]) -> None:
    """Every text among ``values`` (an event's fields), in lists and mappings too."""
    search = _CONTROL.search
    for value in values.values():  # a quick look first, inline: this runs for every event
        kind = type(value)
        if kind is str:
            if search(value) is not None:
                break
        elif kind is list:
            if not all(type(item) is str and search(item) is None for item in value):
                break
        elif isinstance(value, _TEXT_OR_CONTAINER):
            break
    else:
        return  # no text holds any control character: the walk below would find nothing
    for field, found in controls_in(values):  # decides, and names the field
        raise errors.ControlCharacter(field=field, code_point=f"U+{ord(found):04X}")


def controls_in(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field, first control character its field may not hold) for every such text in
    ``values``, in lists and mappings too (``verify`` reports each one of a stored event)."""
    for key, value in values.items():
        yield from _controls(f"{prefix}{key}", value)


def _controls(field: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        found = first_control(value, multiline=is_multiline(field))
        if found is not None:
            yield field, found
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and (found := first_control(key)) is not None:
                yield field, found
            yield from _controls(f"{field}.{key}", item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _controls(field, item)


# --- what the views make of an event stored before this rule --------------------------------------
REPLACEMENT = "\ufffd"  # shown where a stored text held a control character (ADR 0050)
_UNSAFE_IN_VIEWS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def replace_controls(value: Any) -> Any:
    """``value`` with every control character but tab, LF and CR replaced by U+FFFD, in every
    text, key, list and mapping: what a view stores and shows of an event recorded before the
    rule (PostgreSQL TEXT cannot hold NUL; spreadsheets refuse control characters)."""
    if isinstance(value, str):
        return _UNSAFE_IN_VIEWS.sub(REPLACEMENT, value)
    if isinstance(value, dict):
        return {replace_controls(k): replace_controls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_controls(item) for item in value]
    return value


class ControlCharacterGuard:
    """A base of every aggregate (before ``Aggregate``): no event it records holds a control
    character where its field may not (checked before the event is made: nothing changes)."""

    @classmethod
    def _create(cls, event_class: Any, *, id: Any = None, **kwargs: Any) -> Any:
        check_values(kwargs)
        return super()._create(event_class, id=id, **kwargs)  # type: ignore[misc]

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        check_values(kwargs)
        super().trigger_event(event_class, **kwargs)  # type: ignore[misc]

"""The domain refuses control characters in every text of every command (issue 14, ADR 0050):
``check_text`` field by field, and ``ControlCharacterGuard`` on every event of every aggregate,
so that a text reaching an event by another road is refused too, before anything changes."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from eventsourcing.domain import Aggregate, event

import ledger.domain
from ledger.domain import errors
from ledger.domain.control_chars import ControlCharacterGuard, check_values, first_control
from ledger.domain.limits import check_text

C0 = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
C1 = [chr(c) for c in range(0x7F, 0xA0)]
LINE = ["\t", "\n", "\r"]


def aggregates() -> list[type]:
    found = set()
    for info in pkgutil.iter_modules(ledger.domain.__path__):
        module = importlib.import_module(f"ledger.domain.{info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, Aggregate)
                and value is not Aggregate
                and value.__module__ == module.__name__
            ):
                found.add(value)
    return sorted(found, key=lambda c: c.__name__)


def test_the_domain_has_aggregates_to_check():
    names = {a.__name__ for a in aggregates()}
    assert {"Fund", "Person", "Organisation", "User", "AidCase", "VoucherObjection"} <= names


@pytest.mark.parametrize("aggregate", aggregates(), ids=lambda a: a.__name__)
def test_every_aggregate_checks_its_events_for_control_characters(aggregate):
    assert issubclass(aggregate, ControlCharacterGuard)
    assert aggregate.__mro__.index(ControlCharacterGuard) < aggregate.__mro__.index(Aggregate)


@pytest.mark.parametrize("char", C0 + C1 + ["\ud800"], ids=lambda c: f"U+{ord(c):04X}")
def test_check_text_is_refused_with_control_character_when_a_one_line_text_holds_one(char):
    with pytest.raises(errors.ControlCharacter) as refused:
        check_text("name_zh", f"王{char}明", max_len=100)
    assert refused.value.details == {"field": "name_zh", "code_point": f"U+{ord(char):04X}"}


@pytest.mark.parametrize("char", LINE, ids=lambda c: f"U+{ord(c):04X}")
def test_check_text_keeps_tab_and_line_breaks_only_when_the_text_is_multi_line(char):
    assert check_text("memo", f"第一行{char}第二行", max_len=200) == f"第一行{char}第二行"
    with pytest.raises(errors.ControlCharacter):
        check_text("name_zh", f"王{char}明", max_len=100)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x85"], ids=lambda c: f"U+{ord(c):04X}")
def test_multi_line_text_is_refused_with_control_character_when_it_holds_another_control(char):
    with pytest.raises(errors.ControlCharacter):
        check_text("reason", f"原{char}因", max_len=500)


def test_event_values_are_refused_naming_the_path_when_a_nested_text_holds_a_control():
    with pytest.raises(errors.ControlCharacter) as refused:
        check_values({"policy": {"cadence": "monthly"}, "custody": {"kind": "cash_box", "ref": "柜\x00"}})
    assert refused.value.details["field"] == "custody.ref"
    with pytest.raises(errors.ControlCharacter) as refused:
        check_values({"doc_refs": ["收据", "发票\x07"]})
    assert refused.value.details["field"] == "doc_refs"


def test_first_control_is_none_when_the_text_is_printable_chinese_and_latin():
    assert first_control("和平社区·第一支部 Ünïcode ½ €") is None


def test_person_is_refused_and_nothing_is_recorded_when_the_name_holds_a_nul(ledger):
    before = ledger.recorder.max_notification_id()
    with pytest.raises(errors.ControlCharacter):
        ledger.register_person(actor="bookkeeper-1", name_zh="王\x00明")
    assert ledger.recorder.max_notification_id() == before


class Note(ControlCharacterGuard, Aggregate):
    """An aggregate whose texts reach its events with no ``check_text``: only the guard."""

    def __init__(self, text: str, tags: list[str]) -> None:
        self.text, self.tags = text, tags

    @event("Edited")
    def edit(self, text: str) -> None:
        self.text = text


def test_guard_refuses_an_unchecked_text_before_the_event_is_made_when_it_holds_a_control():
    with pytest.raises(errors.ControlCharacter) as refused:
        Note("好", ["a", "b\x00"])
    assert refused.value.details["field"] == "tags"
    note = Note("好", ["a"])
    with pytest.raises(errors.ControlCharacter):
        note.edit("坏\x9b")
    assert note.text == "好" and note.version == 1
    assert len(note.collect_events()) == 1  # the creation only: nothing to record from the edit


def test_donation_is_refused_and_the_fund_unchanged_when_a_document_reference_holds_a_control(
    ledger, activity_fund_id
):
    before = ledger.recorder.max_notification_id()
    with pytest.raises(errors.ControlCharacter) as refused:
        ledger.record(
            activity_fund_id,
            "receive_donation",
            actor="bookkeeper-1",
            occurred_on=date(2024, 3, 5),
            amount_fen=1000,
            donor_kind="resident",
            doc_refs=["收据\x1b"],
        )
    assert refused.value.details == {"field": "doc_refs", "code_point": "U+001B"}
    assert ledger.recorder.max_notification_id() == before

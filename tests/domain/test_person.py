"""Person: masked names (R34) and the history of formal membership (R30)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.person import Person, mask_name
from tests.domain.builders import a_person, ctx

BRANCH_A = "org-branch-a"
BRANCH_B = "org-branch-b"


def given_member(person: Person, org_id: str = BRANCH_A, on: date = date(2020, 1, 1)) -> None:
    person.join_branch(ctx(), branch_kind_of_org="branch", org_id=org_id, effective_on=on)


# --- names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王*明"),
        ("赵四", "赵*"),
        ("欧阳明月", "欧**月"),
        ("李", "*"),
        (" 王小明 ", "王*明"),
    ],
)
def test_mask_name_keeps_the_first_and_last_character_when_masking(name, masked):
    assert mask_name(name) == masked


def test_public_name_is_masked_when_the_person_has_not_consented():
    person = a_person("王小明")

    [registered] = person.collect_events()

    assert registered.display_mask == "王*明"
    assert person.public_name() == "王*明"


def test_public_name_is_the_full_name_when_the_person_consented_to_public_notice():
    person = a_person("王小明")
    person.collect_events()

    person.change_consent(ctx(), public_notice=True, internal_notice=False, doc_ref="同意书-01")

    [changed] = person.collect_events()
    assert (changed.public_notice, changed.internal_notice) == (True, True)
    assert person.public_name() == "王小明"


def test_registration_is_refused_with_text_required_when_the_name_is_blank():
    with pytest.raises(LedgerError) as excinfo:
        Person.register(ctx(), name_zh="  ")

    assert excinfo.value.code == "text_required"


# --- membership ----------------------------------------------------------------------------------
def test_joining_a_branch_starts_a_membership_when_the_person_has_none():
    person = a_person()
    person.collect_events()

    given_member(person, BRANCH_A, on=date(2020, 1, 1))

    [joined] = person.collect_events()
    assert isinstance(joined, Person.JoinedBranch)
    assert (joined.org_id, joined.effective_on) == (BRANCH_A, date(2020, 1, 1))
    assert person.current_membership["org_id"] == BRANCH_A


def test_joining_is_refused_with_membership_requires_branch_when_the_org_is_not_a_branch():
    person = a_person()
    person.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        person.join_branch(
            ctx(), branch_kind_of_org="party_group", org_id="org-g", effective_on=date(2020, 1, 1)
        )

    assert excinfo.value.code == "membership_requires_branch"
    assert person.collect_events() == []


def test_joining_is_refused_with_already_a_member_when_the_person_belongs_to_a_branch():
    person = a_person()
    given_member(person, BRANCH_A)
    person.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_member(person, BRANCH_B, on=date(2024, 7, 1))

    assert excinfo.value.code == "already_a_member"
    assert person.collect_events() == []


def test_rejoining_is_refused_with_dates_out_of_order_when_dated_on_the_day_left():
    person = a_person()
    given_member(person, BRANCH_A)
    person.leave_party(ctx(), reason="withdrew", effective_on=date(2023, 5, 1))
    person.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_member(person, BRANCH_B, on=date(2023, 5, 1))

    assert excinfo.value.code == "dates_out_of_order"
    assert person.collect_events() == []


def test_transfer_is_refused_with_not_a_member_when_the_person_has_no_membership():
    person = a_person()
    person.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        person.transfer(ctx(), to_kind="branch", to_org_id=BRANCH_B, effective_on=date(2024, 7, 1))

    assert excinfo.value.code == "not_a_member"
    assert person.collect_events() == []


def test_transfer_is_refused_with_membership_requires_branch_when_the_target_is_not_a_branch():
    person = a_person()
    given_member(person, BRANCH_A)
    person.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        person.transfer(ctx(), to_kind="general_branch", to_org_id="org-gb", effective_on=date(2024, 7, 1))

    assert excinfo.value.code == "membership_requires_branch"
    assert person.collect_events() == []


def test_transfer_is_refused_with_transfer_to_same_branch_when_the_target_is_the_current_branch():
    person = a_person()
    given_member(person, BRANCH_A)
    person.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        person.transfer(ctx(), to_kind="branch", to_org_id=BRANCH_A, effective_on=date(2024, 7, 1))

    assert excinfo.value.code == "transfer_to_same_branch"
    assert person.collect_events() == []


@pytest.mark.parametrize("effective_on", [date(2019, 12, 31), date(2020, 1, 1)])
def test_transfer_is_refused_with_date_before_membership_when_not_after_the_membership_began(
    effective_on,
):
    person = a_person()
    given_member(person, BRANCH_A, on=date(2020, 1, 1))
    person.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        person.transfer(ctx(), to_kind="branch", to_org_id=BRANCH_B, effective_on=effective_on)

    assert excinfo.value.code == "date_before_membership"
    assert person.collect_events() == []


def test_branch_on_a_date_is_the_old_branch_until_the_day_before_a_transfer():
    person = a_person()
    given_member(person, BRANCH_A, on=date(2020, 1, 1))
    person.collect_events()

    person.transfer(ctx(), to_kind="branch", to_org_id=BRANCH_B, effective_on=date(2024, 7, 1))

    [moved] = person.collect_events()
    assert (moved.from_org_id, moved.to_org_id) == (BRANCH_A, BRANCH_B)
    assert person.memberships[0]["to_date"] == date(2024, 6, 30)
    assert person.branch_on(date(2019, 12, 31)) is None
    assert person.branch_on(date(2024, 6, 30)) == BRANCH_A
    assert person.branch_on(date(2024, 7, 1)) == BRANCH_B


def test_leaving_is_refused_with_not_a_member_when_the_person_has_no_membership():
    person = a_person()
    person.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        person.leave_party(ctx(), reason="withdrew", effective_on=date(2024, 7, 1))

    assert excinfo.value.code == "not_a_member"
    assert person.collect_events() == []


def test_branch_on_is_none_from_the_day_after_leaving_the_party():
    person = a_person()
    given_member(person, BRANCH_A, on=date(2020, 1, 1))

    person.leave_party(ctx(), reason="deemed_lapsed", effective_on=date(2024, 3, 31))

    assert person.branch_on(date(2024, 3, 31)) == BRANCH_A
    assert person.branch_on(date(2024, 4, 1)) is None
    assert person.current_membership is None


# --- death ---------------------------------------------------------------------------------------
def test_death_is_refused_with_date_before_membership_when_dated_before_the_membership_began():
    person = a_person()
    given_member(person, BRANCH_A, on=date(2020, 1, 1))
    person.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        person.record_death(ctx(), died_on=date(2019, 12, 31))

    assert excinfo.value.code == "date_before_membership"
    assert person.collect_events() == []


def test_death_ends_the_membership_on_the_day_of_death():
    person = a_person()
    given_member(person, BRANCH_A, on=date(2020, 1, 1))
    person.collect_events()

    person.record_death(ctx(), died_on=date(2024, 8, 15))

    [died] = person.collect_events()
    assert isinstance(died, Person.Deceased)
    assert person.branch_on(date(2024, 8, 15)) == BRANCH_A
    assert person.branch_on(date(2024, 8, 16)) is None


@pytest.mark.parametrize("command", ["join", "transfer", "leave", "die_again"])
def test_membership_change_is_refused_with_person_deceased_when_the_person_has_died(command):
    person = a_person()
    given_member(person, BRANCH_A, on=date(2020, 1, 1))
    person.record_death(ctx(), died_on=date(2024, 8, 15))
    person.collect_events()
    commands = {
        "join": lambda: given_member(person, BRANCH_B, on=date(2024, 9, 1)),
        "transfer": lambda: person.transfer(
            ctx(), to_kind="branch", to_org_id=BRANCH_B, effective_on=date(2024, 9, 1)
        ),
        "leave": lambda: person.leave_party(ctx(), reason="removed", effective_on=date(2024, 9, 1)),
        "die_again": lambda: person.record_death(ctx(), died_on=date(2024, 9, 1)),
    }

    with pytest.raises(LedgerError) as excinfo:
        commands[command]()

    assert excinfo.value.code == "person_deceased"
    assert person.collect_events() == []

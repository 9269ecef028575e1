"""Organisation: the two trees, their history (R30), offices, and who may own a fund."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.fund import Fund
from ledger.domain.organisation import FundAtDissolution, Organisation
from tests.domain.builders import CASH_BOX, PURPOSES, a_branch, a_community, ctx


def register(kind: str, parent: Organisation | None, on: date = date(2021, 1, 1)) -> Organisation:
    return Organisation.register(ctx(), kind=kind, name_zh=f"某{kind}", parent=parent, established_on=on)


def a_party_group(branch: Organisation) -> Organisation:
    return register("party_group", branch)


# --- registering ---------------------------------------------------------------------------------
def test_branch_is_registered_under_its_community_with_an_ordinary_branch_kind_by_default():
    community = a_community()

    branch = a_branch(community, name="第一党支部", established_on=date(2020, 3, 1))

    [registered] = branch.collect_events()
    assert isinstance(registered, Organisation.Created)
    assert registered.parent_org_id == str(community.id)
    assert (registered.kind, registered.branch_kind) == ("branch", "ordinary")
    assert (branch.tree, branch.name_zh) == ("party", "第一党支部")


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [("residents_group", "branch"), ("branch", "residents_committee")],
)
def test_registration_is_refused_with_parent_in_other_tree_when_trees_are_mixed(kind, parent_kind):
    parent = register(parent_kind, a_community() if parent_kind == "branch" else None)
    parent.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        register(kind, parent)

    assert excinfo.value.code == "parent_in_other_tree"
    assert parent.collect_events() == []


def test_registration_is_refused_with_parent_kind_not_allowed_when_a_branch_is_under_a_group():
    group = a_party_group(a_branch())
    group.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        register("branch", group)

    assert excinfo.value.code == "parent_kind_not_allowed"
    assert excinfo.value.details == {"kind": "branch", "parent_kind": "party_group"}
    assert group.collect_events() == []


def test_registration_is_refused_with_parent_kind_not_allowed_when_a_party_group_is_a_root():
    with pytest.raises(LedgerError) as excinfo:
        register("party_group", None)

    assert excinfo.value.code == "parent_kind_not_allowed"
    assert excinfo.value.details == {"kind": "party_group", "parent_kind": "root"}


def test_registration_is_refused_with_date_before_established_when_before_the_parent():
    community = a_community(established_on=date(2020, 1, 1))
    community.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        register("branch", community, on=date(2019, 12, 31))

    assert excinfo.value.code == "date_before_established"
    assert community.collect_events() == []


def test_registration_is_refused_with_organisation_dissolved_when_the_parent_is_dissolved():
    community = a_community()
    community.dissolve(ctx(), effective_on=date(2024, 6, 30), doc_ref="街工委〔2024〕5号", funds=[])
    community.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        register("branch", community, on=date(2024, 7, 1))

    assert excinfo.value.code == "organisation_dissolved"
    assert community.collect_events() == []


@pytest.mark.parametrize("owner_kind", ["party_group", "grid"])
def test_fund_establishment_is_refused_with_owner_not_accounting_entity_when_owner_is_a_group(owner_kind):
    with pytest.raises(LedgerError) as excinfo:
        Fund.establish(
            ctx(),
            owner_org_id="org-group-1",
            owner_kind=owner_kind,
            kind="activity",
            name_zh="第一党小组活动经费",
            allowed_purposes=list(PURPOSES),
            custody=CASH_BOX,
            policy=None,
            established_on=date(2024, 12, 1),
        )

    assert excinfo.value.code == "owner_not_accounting_entity"
    assert excinfo.value.details == {"kind": owner_kind}


def test_grid_is_registered_under_a_residents_group_when_the_seeds_five_levels_are_built():
    above = None
    for kind in ("district", "street_office", "residents_committee", "residents_group", "grid"):
        above = register(kind, above)
    assert (above.kind, above.tree) == ("grid", "governance")


def test_street_committee_is_registered_under_a_district_committee():
    street = register("street_committee", register("district_committee", None))
    assert street.tree == "party"


def test_registration_is_refused_with_parent_in_other_tree_when_a_grid_sits_under_a_branch():
    with pytest.raises(LedgerError) as excinfo:
        register("grid", a_branch(a_community()))
    assert excinfo.value.code == "parent_in_other_tree"


def test_every_organisation_kind_has_a_chinese_label():
    from ledger.domain.organisation import KIND_LABELS, KINDS

    assert set(KIND_LABELS) == set(KINDS)
    assert KIND_LABELS["district"][0] == "区" and KIND_LABELS["grid"][0] == "网格"


# --- history as of a date (R30) ------------------------------------------------------------------
def test_name_on_a_date_is_the_name_in_force_that_day_when_renamed():
    branch = a_branch(name="第一党支部", established_on=date(2020, 1, 1))
    branch.collect_events()

    branch.rename(ctx(), name_zh="幸福里党支部", effective_on=date(2024, 7, 1))

    [renamed] = branch.collect_events()
    assert isinstance(renamed, Organisation.Renamed)
    assert branch.name_on(date(2024, 6, 30)) == "第一党支部"
    assert branch.name_on(date(2024, 7, 1)) == "幸福里党支部"
    assert branch.name_zh == "幸福里党支部"


def test_parent_on_a_date_is_the_parent_in_force_that_day_when_reparented():
    old, new = a_community("东社区党委"), a_community("西社区党委")
    branch = a_branch(old, established_on=date(2020, 1, 1))
    branch.collect_events()

    branch.reparent(ctx(), new_parent=new, ancestors_of_new_parent=[], effective_on=date(2024, 7, 1))

    [moved] = branch.collect_events()
    assert moved.new_parent_org_id == str(new.id)
    assert branch.parent_on(date(2019, 12, 31)) is None
    assert branch.parent_on(date(2024, 6, 30)) == str(old.id)
    assert branch.parent_on(date(2024, 7, 1)) == str(new.id)


def test_reparent_is_refused_with_organisation_cycle_when_the_new_parent_lies_below_it():
    # The kinds' ranking already keeps real trees acyclic; this guards the ancestors the
    # caller passes in, here claiming that the street committee sits below the community.
    street = register("street_committee", None)
    community = a_community()
    community.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        community.reparent(
            ctx(),
            new_parent=street,
            ancestors_of_new_parent=[str(community.id)],
            effective_on=date(2024, 7, 1),
        )

    assert excinfo.value.code == "organisation_cycle"
    assert community.collect_events() == []


def test_rename_is_refused_with_organisation_dissolved_when_dated_after_dissolution():
    branch = a_branch()
    branch.dissolve(ctx(), effective_on=date(2024, 6, 30), doc_ref="社区党委〔2024〕9号", funds=[])
    branch.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        branch.rename(ctx(), name_zh="新名", effective_on=date(2024, 7, 1))

    assert excinfo.value.code == "organisation_dissolved"
    assert branch.collect_events() == []


@pytest.mark.parametrize(
    ("fund", "code"),
    [
        (FundAtDissolution("f1", "2024-05", 0, 0), "organisation_fund_not_closed"),  # May still open
        (FundAtDissolution("f1", "2024-06", 1_00, 0), "organisation_fund_holds_money"),
        (FundAtDissolution("f1", "2024-06", 0, 5_00), "organisation_fund_holds_money"),  # reserved
    ],
)
def test_dissolving_is_refused_while_a_fund_is_open_before_the_date_or_holds_money(fund, code):
    """R29: every fund closed for each month before the effective date, and empty."""
    branch = a_branch()
    with pytest.raises(LedgerError) as excinfo:
        branch.dissolve(ctx(), effective_on=date(2024, 6, 30), doc_ref="决定", funds=[fund])
    assert excinfo.value.code == code
    assert branch.collect_events()[1:] == []  # only the branch's own creation
    branch.dissolve(
        ctx(),
        effective_on=date(2024, 6, 30),
        doc_ref="决定",
        funds=[FundAtDissolution("f1", "2024-06", 0, 0)],
    )
    assert branch.dissolved_on == date(2024, 6, 30)


# --- offices -------------------------------------------------------------------------------------
def test_appointment_is_refused_with_organisation_dissolved_when_the_organisation_is_dissolved():
    branch = a_branch()
    branch.dissolve(ctx(), effective_on=date(2024, 6, 30), doc_ref="社区党委〔2024〕9号", funds=[])
    branch.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        branch.appoint(ctx(), person_id="person-wang", role="secretary", from_date=date(2024, 7, 1))

    assert excinfo.value.code == "organisation_dissolved"
    assert branch.collect_events() == []


def test_appointment_is_refused_with_office_already_held_when_the_person_holds_the_office():
    branch = a_branch()
    branch.appoint(ctx(), person_id="person-wang", role="secretary", from_date=date(2023, 1, 1))
    branch.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        branch.appoint(ctx(), person_id="person-wang", role="secretary", from_date=date(2024, 1, 1))

    assert excinfo.value.code == "office_already_held"
    assert branch.collect_events() == []


def test_appointment_is_refused_with_value_not_allowed_when_the_role_is_unknown():
    branch = a_branch()
    branch.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        branch.appoint(ctx(), person_id="person-wang", role="chairman", from_date=date(2024, 1, 1))

    assert excinfo.value.code == "value_not_allowed"
    assert branch.collect_events() == []


def test_leaving_office_is_refused_with_office_not_held_when_the_person_holds_no_such_office():
    branch = a_branch()
    branch.appoint(ctx(), person_id="person-wang", role="secretary", from_date=date(2023, 1, 1))
    branch.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        branch.end_office(ctx(), person_id="person-wang", role="cashier", to_date=date(2024, 1, 1))

    assert excinfo.value.code == "office_not_held"
    assert branch.collect_events() == []


def test_leaving_office_is_refused_with_dates_out_of_order_when_dated_before_the_appointment():
    branch = a_branch()
    branch.appoint(ctx(), person_id="person-wang", role="secretary", from_date=date(2023, 1, 1))
    branch.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        branch.end_office(ctx(), person_id="person-wang", role="secretary", to_date=date(2022, 12, 31))

    assert excinfo.value.code == "dates_out_of_order"
    assert branch.collect_events() == []


def test_holds_office_is_true_for_every_month_touched_by_the_term_across_month_boundaries():
    branch = a_branch()
    branch.appoint(ctx(), person_id="person-wang", role="secretary", from_date=date(2024, 3, 31))
    branch.end_office(ctx(), person_id="person-wang", role="secretary", to_date=date(2024, 5, 1))

    held = {m: branch.holds_office("person-wang", m) for m in ("2024-02", "2024-03", "2024-05")}

    assert held == {"2024-02": False, "2024-03": True, "2024-05": True}
    assert branch.holds_office("person-wang", "2024-04", role="secretary")
    assert not branch.holds_office("person-wang", "2024-06")
    assert not branch.holds_office("person-wang", "2024-04", role="cashier")
    assert not branch.holds_office("person-li", "2024-04")


def test_holds_office_is_true_for_later_months_when_the_office_has_not_ended():
    branch = a_branch()
    branch.appoint(ctx(), person_id="person-wang", role="cashier", from_date=date(2024, 3, 15))

    assert branch.holds_office("person-wang", "2025-01")
    assert branch.current_office("person-wang", "cashier") is not None

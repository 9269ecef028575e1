"""R31: the ledger warns about a branch with more than 50 members or fewer than 3 full members
(a warning, never a refusal). The views' count on a day equals one made independently from the
people's own memberships (the domain's state), before and after a transfer that keeps the
member's status, and after a member leaves; a rebuild gives the same warnings; the API and the
console's home page show them."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import queries, runner

ACTOR = "org-admin"
TRANSFER_ON = date(2025, 2, 1)
LEFT_ON = date(2025, 3, 1)


@pytest.fixture
def branches(ledger):
    community = ledger.register_organisation(
        actor=ACTOR, kind="community_committee", name_zh="阳光社区党委", established_on=date(2010, 1, 1)
    )["org_id"]

    def branch(name: str, branch_kind: str = "retiree") -> str:
        return ledger.register_organisation(
            actor=ACTOR,
            kind="branch",
            name_zh=name,
            parent_org_id=community,
            established_on=date(2010, 1, 1),
            branch_kind=branch_kind,
        )["org_id"]

    orgs = {"small": branch("第一支部"), "large": branch("第二支部"), "fine": branch("第三支部")}
    orgs["temporary"] = branch("临时支部", "temporary")
    people: dict[str, list[str]] = {}
    for key, statuses in (
        ("small", ["full", "full", "probationary"]),
        ("large", ["full"] * 51),
        ("fine", ["full", "full", "full", "probationary"]),
    ):
        people[key] = []
        for n, status in enumerate(statuses):
            person = ledger.register_person(actor=ACTOR, name_zh=f"{key}{n}")["person_id"]
            ledger.change_person(
                person,
                "join_branch",
                actor=ACTOR,
                org_id=orgs[key],
                effective_on=date(2024, 1, 1),
                membership_status=status,
                category="retired",
            )
            people[key].append(person)
    # a full member moves from the large branch to the small one; one of the fine branch leaves
    ledger.change_person(
        people["large"][0], "transfer", actor=ACTOR, to_org_id=orgs["small"], effective_on=TRANSFER_ON
    )
    ledger.change_person(
        people["fine"][0], "leave_party", actor=ACTOR, reason="withdrew", effective_on=LEFT_ON
    )
    return orgs, [p for group in people.values() for p in group]


def _independent(ledger, people: list[str], day: date) -> dict[str, tuple[int, int]]:
    """(members, full members) per organisation on ``day``, from the people's own memberships."""
    counts: dict[str, list[int]] = {}
    for person_id in people:
        for m in ledger.person(person_id).memberships:
            if m["from_date"] <= day and (m["to_date"] is None or m["to_date"] >= day):
                count = counts.setdefault(m["org_id"], [0, 0])
                count[0] += 1
                count[1] += m["status"] == "full"
    return {org: (members, full) for org, (members, full) in counts.items()}


def _warned(store, day: date) -> dict[str, tuple[int, int, tuple[str, ...]]]:
    return {w.org_id: (w.members, w.full_members, w.codes) for w in queries.branch_warnings(store, day)}


@pytest.mark.parametrize("day", [date(2025, 1, 31), TRANSFER_ON, LEFT_ON, date(2025, 3, 2)])
def test_branch_warnings_equal_an_independent_count_of_memberships(ledger, database_url, branches, day):
    _, people = branches
    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        expected = {}
        for org_id, (members, full) in _independent(ledger, people, day).items():
            codes = tuple(
                code
                for code, applies in (
                    ("branch_over_50_members", members > 50),
                    ("branch_under_3_full_members", full < 3),
                )
                if applies
            )
            if codes:
                expected[org_id] = (members, full, codes)

        assert _warned(views, day) == expected
        runner.rebuild(views)
        assert _warned(views, day) == expected
    finally:
        views.close()


def test_a_transfer_keeps_the_members_status_so_both_branches_are_fine_afterwards(
    ledger, database_url, branches
):
    orgs, _ = branches
    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        before = _warned(views, date(2025, 1, 31))
        after = _warned(views, TRANSFER_ON)
        later = _warned(views, date(2025, 3, 2))  # the day after the last day as a member
    finally:
        views.close()

    assert before == {
        orgs["small"]: (3, 2, ("branch_under_3_full_members",)),
        orgs["large"]: (51, 51, ("branch_over_50_members",)),
    }
    assert after == {}  # the temporary branch (no members of its own) is never warned about
    assert later == {orgs["fine"]: (3, 2, ("branch_under_3_full_members",))}

"""The register (名册) a paper book's names are matched against on import (issue 17).

A paper book names people, not ids: a member's donation by the member's name and branch
(王秀英, 第一支部), a stipend by the office holder's name. ``Register`` finds the one person a
name stands for, or refuses the row: an unknown name is ``import_person_unknown``, a name that
two people share is ``import_person_ambiguous`` with every candidate named, so the bookkeeper
can write the right one's id in the row's 人员编号 column. A name is never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ledger.domain import errors
from ledger.domain.organisation import Organisation
from ledger.domain.person import Person


@dataclass(frozen=True)
class PersonRef:
    """Who a row names: a member by name and branch, or an office holder of the fund's owner
    by name; ``person_id`` if the bookkeeper resolved the name."""

    arg: str  # the command's argument that takes the id: donor_person_id, person_id
    name: str
    branch: str | None = None  # a branch's name (any it has had) or id; None: an office holder
    person_id: str | None = None


class Register:
    """Every person and organisation, indexed once per import by name."""

    def __init__(self, people: Iterable[Person], organisations: Iterable[Organisation]) -> None:
        self._by_name: dict[str, list[Person]] = {}
        for person in people:
            self._by_name.setdefault(person.name_zh, []).append(person)
        self._orgs = {str(org.id): org for org in organisations}

    def resolve(self, ref: PersonRef, owner: Organisation, person: Callable[[str], Person]) -> str:
        """The id of the one person ``ref`` names (members of its branch, or office holders of
        ``owner``), else a refusal naming the candidates."""
        if ref.person_id is not None:
            return str(person(ref.person_id).id)
        if ref.branch is not None:
            branches = self._branches(ref.branch)
            where = ref.branch
            candidates = [
                p
                for p in self._by_name.get(ref.name, [])
                if any(m["org_id"] in branches for m in p.memberships)
            ]
        else:
            where = owner.name_zh
            holders = {office["person_id"] for office in owner.offices}
            candidates = [p for p in self._by_name.get(ref.name, []) if str(p.id) in holders]
        if not candidates:
            raise errors.ImportPersonUnknown(name=ref.name, where=where)
        if len(candidates) > 1:
            listed = "；".join(self._describe(p) for p in candidates)
            raise errors.ImportPersonAmbiguous(name=ref.name, where=where, candidates=listed)
        return str(candidates[0].id)

    def _branches(self, text: str) -> set[str]:
        return {
            org_id
            for org_id, org in self._orgs.items()
            if org.kind == "branch" and (text == org_id or any(text == n for _, n in org.names))
        }

    def _describe(self, person: Person) -> str:
        """A candidate as the bookkeeper tells them apart: id and memberships with dates."""
        spans = [
            f"{self._org_name(m['org_id'])} {m['from_date']}–{m['to_date'] or ''}" for m in person.memberships
        ]
        return f"{person.name_zh} {person.id}（{'，'.join(spans) or '无组织关系 no membership'}）"

    def _org_name(self, org_id: str) -> str:
        org = self._orgs.get(org_id)
        return org.name_zh if org is not None else org_id

"""Who may sign 审核 on a period's close (docs/concepts/practice.md: the discipline member or the oversight
group): a person of the register who, on the day of the close, holds an office of the fund's
organisation or of one above it — any office but bookkeeper and cashier — and who is not one of
the fund's own custodians (nobody reviews their own books).

The close names the reviewer by person id, or by a name that exactly one such person bears;
otherwise it is refused (``reviewer_not_found``, ``reviewer_ambiguous`` naming how many bear it
and where they hold office, ``reviewer_not_qualified``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.domain import errors
from ledger.domain.limits import REF_LEN_MAX, check_text
from ledger.domain.organisation import OFFICE_ROLES

REVIEWER_ROLES = tuple(role for role in OFFICE_ROLES if role not in ("bookkeeper", "cashier"))


@dataclass(frozen=True)
class Candidate:
    """A person who may review: id, full name, and the organisations where they hold office."""

    person_id: str
    name: str
    offices: tuple[str, ...]


def qualified(
    offices: list[tuple[str, dict[str, Any]]], day: date, custodians: set[str]
) -> dict[str, list[str]]:
    """person id → the organisations (names) where they hold a reviewing office on ``day``;
    ``offices`` are (organisation name, office) of the fund's organisation and those above."""
    out: dict[str, list[str]] = {}
    for org_name, office in offices:
        held = office["from_date"] <= day and (office["to_date"] is None or office["to_date"] >= day)
        if held and office["role"] in REVIEWER_ROLES and office["person_id"] not in custodians:
            out.setdefault(office["person_id"], [])
            if org_name not in out[office["person_id"]]:
                out[office["person_id"]].append(org_name)
    return out


def resolve(text: object, candidates: list[Candidate], known_ids: set[str]) -> str | None:
    """The reviewer's person id for ``text`` (a person id, or a full name), or None if none given."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    wanted = check_text("reviewed_by", text, max_len=REF_LEN_MAX)
    by_id = [c for c in candidates if c.person_id == wanted]
    if by_id:
        return wanted
    if wanted in known_ids:  # a person of the register, but not one who may review
        raise errors.ReviewerNotQualified(person_id=wanted)
    named = [c for c in candidates if c.name == wanted]
    if len(named) == 1:
        return named[0].person_id
    if not named:
        raise errors.ReviewerNotFound(name=wanted)
    where = "、".join(sorted({org for c in named for org in c.offices}))
    raise errors.ReviewerAmbiguous(name=wanted, count=len(named), offices=where)

"""Choosing a person in a console form (issue 19): every choice reads with its branch, people who
share a name also with the last four characters of their register number, and a search box finds
a person by name or by pinyin initials (刘玉永 by ``lyy`` or ``liuyu``, pypinyin, ADR 0102).

The search needs no script (the console runs none, docs/security.md): the form's 查找 button
posts the form back with ``find`` naming the field, and the page comes back with that field's
choices narrowed to the matches, everything typed kept, a single match already chosen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from ledger.projections import queries
from ledger.projections.store import ViewStore

FIND = "find"  # the form field naming the person field being searched
MATCHES_MAX = 30


@dataclass(frozen=True)
class Choice:
    person_id: str
    name: str
    label: str  # 刘玉永（东风支部 · 登记号尾号 3F2A）


def labelled(views: ViewStore, today: date) -> list[tuple[str, str]]:
    """(person id, label) of everyone, for a form's choices."""
    return [(c.person_id, c.label) for c in choices(views, today)]


def full_label(views: ViewStore, today: date, person_id: str | None) -> str | None:
    """The check step's full name of the person chosen, for the signed-in custodian only (the
    board and the public line still mask it)."""
    found = choices(views, today, [person_id]) if person_id else []
    return found[0].label if found else None


def choices(views: ViewStore, today: date, person_ids: list[str] | None = None) -> list[Choice]:
    """Everyone by name (or the people named, in their order), each labelled with the branch they belong to;
    people sharing a name also with the tail of their register number."""
    tree = queries.tree_on(views, today)
    rows = views.fetch(
        "SELECT p.person_id, p.name_zh, m.org_id FROM v_person p LEFT JOIN v_membership m "
        "ON m.person_id = p.person_id AND m.to_date IS NULL ORDER BY p.name_zh, p.person_id"
    )
    twins = Counter(name for _, name, _ in rows)  # over everyone: a twin is told apart anywhere
    wanted = set(person_ids) if person_ids is not None else None
    out = []
    for pid, name, org in rows:
        if wanted is not None and pid not in wanted:
            continue
        parts = [tree[org][0] if org in tree else "—"]
        if twins[name] > 1:
            parts.append(f"登记号尾号 {pid.replace('-', '')[-4:].upper()}")
        out.append(Choice(pid, name, f"{name}（{' · '.join(parts)}）"))
    if person_ids is not None:  # in the order asked (a collection's participants as enrolled)
        out.sort(key=lambda c: person_ids.index(c.person_id))
    return out


def search(found: list[Choice], query: str) -> list[Choice]:
    """The choices whose name holds ``query``, or whose pinyin (initials or syllables, without
    tones) begins with it; at most ``MATCHES_MAX``."""
    typed = "".join(query.split()).lower()
    if not typed:
        return found
    return [c for c in found if typed in c.name or any(p.startswith(typed) for p in _pinyin(c.name))][
        :MATCHES_MAX
    ]


@lru_cache(maxsize=4096)
def _pinyin(name: str) -> tuple[str, str]:
    """刘玉永 → ("lyy", "liuyuyong")."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)), "".join(lazy_pinyin(name))


def narrowed(
    all_choices: list[Choice], form: dict[str, str], values: dict[str, str]
) -> dict[str, list[Choice]]:
    """For a form posted with 查找: the searched field → its matches (a single match is chosen
    in ``values``); otherwise nothing narrowed."""
    field = form.get(FIND, "")
    if not field:
        return {}
    matches = search(all_choices, form.get(f"{field}__q", ""))
    if len(matches) == 1:
        values[field] = matches[0].person_id
    return {field: matches}

"""A fund's charter: its kind, custody, allowed purposes and policy, with their defaults.

Everything numeric that local rules vary (posting windows, approval thresholds, the largest
single entry) is policy recorded on the fund, not code (docs/concepts/practice.md).
"""

from __future__ import annotations

from typing import Any

from ledger.domain import errors
from ledger.domain.limits import (
    NAME_LEN_MAX,
    PURPOSES_COUNT_MAX,
    REF_LEN_MAX,
    check_choice,
    check_optional_text,
    check_text,
)
from ledger.domain.money import AMOUNT_CEILING_FEN

FUND_KINDS = ("mutual_aid", "activity", "special_project", "collection")
ACCOUNTS = ("cash", "bank")
CUSTODY_KINDS = ("cash_box", "bank_account", "held_by_org")
CADENCES = ("monthly", "quarterly", "yearly")
ENTRY_MAX_FEN_DEFAULT = 100_000_000  # ¥1,000,000.00 in one entry
# R36: days to answer an objection before it is escalated one level up (10 in [S45]).
OBJECTION_ANSWER_DAYS_DEFAULT = 10
# Issue 15.8: every policy integer is bounded, so that no date or amount computed from it can
# overflow (10^18 days made the board and the daily escalation answer 500). A year of posting
# or answering is far beyond any local rule; amounts stay within what an amount may be.
POSTING_DAYS_DEFAULT = 7
DAYS_MAX = 366
POLICY_BOUNDS: dict[str, tuple[int, int]] = {
    "posting_days": (0, DAYS_MAX),
    "objection_answer_days": (1, DAYS_MAX),
    "entry_max_fen": (1, AMOUNT_CEILING_FEN),
    "two_signers_above_fen": (0, AMOUNT_CEILING_FEN),
    "collective_decision_above_fen": (0, AMOUNT_CEILING_FEN),
}
AID_KINDS = ("one_off", "recurring", "festival_visit", "bereavement", "hospitalisation", "disaster")
AID_STANDARDS_COUNT_MAX = len(AID_KINDS)
# Keys a policy may carry without a default: set only when a fund's charter gives them.
_OPTIONAL = ("aid_standards",)  # R20: [{aid_kind, min_fen, max_fen}], the charter's standard range

# docs/concepts/practice.md: mutual aid quarterly with a 7-day window, publicise aid before paying;
# activity money monthly. Up to 500.00 one signer, above two, above 2,000.00 also collective.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "mutual_aid": {"disclosure_cadence": "quarterly", "publicise_aid_first": True},
    "activity": {"disclosure_cadence": "monthly", "publicise_aid_first": False},
    "special_project": {"disclosure_cadence": "monthly", "publicise_aid_first": False},
    "collection": {"disclosure_cadence": "monthly", "publicise_aid_first": False},
}
_COMMON = {
    "stipends_allowed": False,
    "posting_days": POSTING_DAYS_DEFAULT,
    "entry_max_fen": ENTRY_MAX_FEN_DEFAULT,
    "two_signers_above_fen": 50_000,
    "collective_decision_above_fen": 200_000,
    "objection_answer_days": OBJECTION_ANSWER_DAYS_DEFAULT,
}


def check_purposes(purposes: object) -> list[str]:
    if not isinstance(purposes, list | tuple) or not purposes:
        raise errors.PurposesRequired()
    out: list[str] = []
    for purpose in purposes:
        text = check_text("allowed_purposes", purpose, max_len=NAME_LEN_MAX)
        if text not in out:
            out.append(text)
    if len(out) > PURPOSES_COUNT_MAX:
        raise errors.TooManyItems(field="allowed_purposes", max_items=PURPOSES_COUNT_MAX)
    return out


def check_custody(custody: object) -> dict[str, Any]:
    """Where the money physically is: a cash box, a bank account (its reference), or another
    organisation holding it on the owner's behalf (代管)."""
    if not isinstance(custody, dict):
        raise errors.ValueNotAllowed(field="custody", value=repr(custody), allowed="object")
    kind = check_choice("custody.kind", custody.get("kind"), CUSTODY_KINDS)
    ref = check_optional_text("custody.ref", custody.get("ref"), max_len=REF_LEN_MAX)
    if kind != "cash_box" and ref is None:
        raise errors.TextRequired(field="custody.ref")
    return {"kind": kind, "ref": ref}


def _bounded(policy: dict[str, Any], key: str, default: int) -> int:
    """A policy integer as recorded, held within its bounds (a policy recorded before the
    bounds existed may hold any integer; it must not break a read)."""
    low, high = POLICY_BOUNDS[key]
    value = policy.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return min(max(value, low), high)


def objection_answer_days(policy: dict[str, Any]) -> int:
    """The fund's service level for objections (R36); a fund established before the policy had
    it keeps the default."""
    return _bounded(policy, "objection_answer_days", OBJECTION_ANSWER_DAYS_DEFAULT)


def posting_days(policy: dict[str, Any]) -> int:
    """How many days a notice or a statement stays posted."""
    return _bounded(policy, "posting_days", POSTING_DAYS_DEFAULT)


def default_account(custody: dict[str, Any]) -> str:
    return "cash" if custody["kind"] == "cash_box" else "bank"


def check_policy(kind: str, policy: object) -> dict[str, Any]:
    given = dict(policy or {}) if isinstance(policy, dict | type(None)) else None
    if given is None:
        raise errors.ValueNotAllowed(field="policy", value=repr(policy), allowed="object")
    unknown = set(given) - set(_COMMON) - set(_DEFAULTS[kind]) - set(_OPTIONAL)
    if unknown:
        raise errors.ValueNotAllowed(
            field="policy",
            value=", ".join(sorted(unknown)),
            allowed=", ".join(sorted({*_COMMON, *_DEFAULTS[kind], *_OPTIONAL})),
        )
    merged = {**_COMMON, **_DEFAULTS[kind], **given}
    check_choice("policy.disclosure_cadence", merged["disclosure_cadence"], CADENCES)
    for flag in ("stipends_allowed", "publicise_aid_first"):
        if not isinstance(merged[flag], bool):
            raise errors.ValueNotAllowed(
                field=f"policy.{flag}", value=repr(merged[flag]), allowed="true, false"
            )
    for number, (low, high) in POLICY_BOUNDS.items():
        value = merged[number]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            if (
                number == "entry_max_fen"
                and not isinstance(value, bool)
                and isinstance(value, int)
                and value >= 0
            ):
                raise errors.AmountAboveMaximum(max_fen=AMOUNT_CEILING_FEN)
            raise errors.ValueNotAllowed(
                field=f"policy.{number}", value=repr(value)[:40], allowed=f"integer {low}–{high}"
            )
    if kind == "mutual_aid" and merged["stipends_allowed"]:
        raise errors.StipendNotAllowedFromMutualAid()
    if "aid_standards" in merged:
        merged["aid_standards"] = check_aid_standards(merged["aid_standards"])
    return merged


def check_aid_standards(standards: object) -> list[dict[str, Any]]:
    """R20: the charter's standard range per kind of aid, ``[{aid_kind, min_fen, max_fen}]``,
    at most one per kind; amounts in fen, ``0 <= min_fen <= max_fen``."""
    field = "policy.aid_standards"
    if not isinstance(standards, list) or len(standards) > AID_STANDARDS_COUNT_MAX:
        raise errors.ValueNotAllowed(
            field=field, value=repr(standards)[:100], allowed=f"a list of at most {AID_STANDARDS_COUNT_MAX}"
        )
    out: list[dict[str, Any]] = []
    for item in standards:
        if not isinstance(item, dict) or set(item) != {"aid_kind", "min_fen", "max_fen"}:
            raise errors.ValueNotAllowed(
                field=field, value=repr(item)[:100], allowed="{aid_kind, min_fen, max_fen}"
            )
        aid_kind = check_choice(f"{field}.aid_kind", item["aid_kind"], AID_KINDS)
        if any(o["aid_kind"] == aid_kind for o in out):
            raise errors.ValueNotAllowed(field=f"{field}.aid_kind", value=aid_kind, allowed="once per kind")
        low, high = item["min_fen"], item["max_fen"]
        for name, value in (("min_fen", low), ("max_fen", high)):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= AMOUNT_CEILING_FEN:
                raise errors.ValueNotAllowed(
                    field=f"{field}.{name}", value=repr(value), allowed="integer fen ≥ 0"
                )
        if low > high:
            raise errors.ValueNotAllowed(
                field=f"{field}.max_fen", value=repr(high), allowed=f"integer fen ≥ min_fen ({low})"
            )
        out.append({"aid_kind": aid_kind, "min_fen": low, "max_fen": high})
    return out


def outside_aid_standard(policy: dict[str, Any], aid_kind: str, amount_fen: int) -> bool:
    """R20: the amount lies outside the charter's standard range for this kind of aid (a kind
    without a standard has none to lie outside)."""
    for standard in policy.get("aid_standards") or []:
        if standard["aid_kind"] == aid_kind:
            return not standard["min_fen"] <= amount_fen <= standard["max_fen"]
    return False

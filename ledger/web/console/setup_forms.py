"""What each setup form of the console asks and what it records (issue 17): organisations on
both trees, people with their consent, memberships and transfers, office holders with dates and
their stipend terms, funds with purposes, custody and thresholds, users with roles and passwords.

A form is declared once (``SetupForm``: its fields, who may use it, the Ledger command it
submits with ``dry_run`` for the check step); ``ledger.web.console.setup`` renders and runs
every one the same way as the money forms (form → check → confirm, ADR 0040).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.fund_policy import CUSTODY_KINDS, FUND_KINDS
from ledger.domain.money import parse_typed_amount
from ledger.domain.organisation import BRANCH_KINDS, KINDS, OFFICE_ROLES
from ledger.domain.person import CATEGORIES, MEMBERSHIP_STATUSES
from ledger.domain.user import ROLES
from ledger.web.console.entry_forms import read_date


@dataclass(frozen=True)
class SetupField:
    name: str
    kind: str = "text"  # text, date, choice, org, branch, person, fund, flag, list, amount, password
    required: bool = True
    choices: tuple[str, ...] = ()


Submit = Callable[[Ledger, dict[str, Any], str, str, bool], Recorded]


@dataclass(frozen=True)
class SetupForm:
    key: str
    fields: tuple[SetupField, ...]
    submit: Submit
    scope: str | None  # the field naming the organisation whose admin may record it


def read(form: SetupForm, values: dict[str, str]) -> tuple[dict[str, Any], dict[str, errors.LedgerError]]:
    """The Ledger's arguments from what was typed, and what could not be read, by field."""
    arguments: dict[str, Any] = {}
    problems: dict[str, errors.LedgerError] = {}
    for field in form.fields:
        raw = values.get(field.name, "")
        text = raw if field.kind == "password" else raw.strip()
        try:
            arguments[field.name] = _value(field, text)
        except errors.LedgerError as error:
            problems[field.name] = error
    return arguments, problems


def _value(field: SetupField, text: str) -> Any:
    if field.kind == "flag":
        return text in ("on", "1", "true")
    if not text:
        if field.required:
            raise errors.TextRequired(field=field.name)
        return [] if field.kind == "list" else None
    if field.kind == "date":
        return read_date(text, field.name)
    if field.kind == "amount":
        return parse_typed_amount(text)
    if field.kind == "list":
        return [item for item in re.split(r"[,，、;；\s]+", text) if item]
    return text


def _organisation(ledger: Ledger, a: dict[str, Any], actor: str, key: str, dry_run: bool) -> Recorded:
    return ledger.register_organisation(actor=actor, request_id=key, dry_run=dry_run, **a)


def _person(ledger: Ledger, a: dict[str, Any], actor: str, key: str, dry_run: bool) -> Recorded:
    return ledger.register_person(actor=actor, request_id=key, dry_run=dry_run, **a)


def _membership(ledger: Ledger, a: dict[str, Any], actor: str, key: str, dry_run: bool) -> Recorded:
    person = a.pop("person_id")
    return ledger.change_person(person, "join_branch", actor=actor, request_id=key, dry_run=dry_run, **a)


def _transfer(ledger: Ledger, a: dict[str, Any], actor: str, key: str, dry_run: bool) -> Recorded:
    person = a.pop("person_id")
    return ledger.change_person(person, "transfer", actor=actor, request_id=key, dry_run=dry_run, **a)


def _office(ledger: Ledger, a: dict[str, Any], actor: str, key: str, dry_run: bool) -> Recorded:
    org = a.pop("org_id")
    return ledger.change_organisation(org, "appoint", actor=actor, request_id=key, dry_run=dry_run, **a)


def _stipend_terms(ledger: Ledger, a: dict[str, Any], actor: str, key: str, dry_run: bool) -> Recorded:
    org, a["monthly_fen"] = a.pop("org_id"), a.pop("monthly")
    return ledger.change_organisation(
        org, "set_stipend_terms", actor=actor, request_id=key, dry_run=dry_run, **a
    )


def _fund(ledger: Ledger, a: dict[str, Any], actor: str, key: str, dry_run: bool) -> Recorded:
    custody = {"kind": a.pop("custody_kind"), "ref": a.pop("custody_ref")}
    policy: dict[str, Any] = {"stipends_allowed": a.pop("stipends_allowed")}
    for name in ("two_signers_above", "collective_decision_above"):
        fen = a.pop(name)
        if fen is not None:
            policy[f"{name}_fen"] = fen
    return ledger.establish_fund(
        actor=actor, request_id=key, dry_run=dry_run, custody=custody, policy=policy, **a
    )


def _user(ledger: Ledger, a: dict[str, Any], actor: str, key: str, dry_run: bool) -> Recorded:
    return ledger.add_user(actor=actor, request_id=key, dry_run=dry_run, **a)


_F = SetupField
FORMS: dict[str, SetupForm] = {
    form.key: form
    for form in (
        SetupForm(
            "organisation",
            (
                _F("kind", "choice", choices=KINDS),
                _F("name_zh"),
                _F("parent_org_id", "org", required=False),
                _F("established_on", "date"),
                _F("branch_kind", "choice", required=False, choices=BRANCH_KINDS),
                _F("doc_ref", required=False),
            ),
            _organisation,
            scope="parent_org_id",
        ),
        SetupForm(
            "person",
            (
                _F("name_zh"),
                _F("public_notice", "flag", required=False),
                _F("internal_notice", "flag", required=False),
                _F("consent_doc_ref", required=False),
            ),
            _person,
            scope=None,
        ),
        SetupForm(
            "membership",
            (
                _F("person_id", "person"),
                _F("org_id", "branch"),
                _F("effective_on", "date"),
                _F("membership_status", "choice", choices=MEMBERSHIP_STATUSES),
                _F("category", "choice", choices=CATEGORIES),
            ),
            _membership,
            scope="org_id",
        ),
        SetupForm(
            "transfer",
            (
                _F("person_id", "person"),
                _F("to_org_id", "branch"),
                _F("effective_on", "date"),
                _F("letter_no", required=False),
            ),
            _transfer,
            scope="to_org_id",
        ),
        SetupForm(
            "office",
            (
                _F("org_id", "org"),
                _F("person_id", "person"),
                _F("role", "choice", choices=OFFICE_ROLES),
                _F("from_date", "date"),
                _F("term_end", "date", required=False),
                _F("doc_ref", required=False),
            ),
            _office,
            scope="org_id",
        ),
        SetupForm(
            "stipend_terms",
            (
                _F("org_id", "org"),
                _F("person_id", "person"),
                _F("role", "choice", choices=OFFICE_ROLES),
                _F("fund_id", "fund"),
                _F("monthly", "amount"),
                _F("from_month"),
                _F("doc_ref", required=False),
            ),
            _stipend_terms,
            scope="org_id",
        ),
        SetupForm(
            "fund",
            (
                _F("owner_org_id", "org"),
                _F("kind", "choice", choices=FUND_KINDS),
                _F("name_zh"),
                _F("allowed_purposes", "list"),
                _F("custody_kind", "choice", choices=CUSTODY_KINDS),
                _F("custody_ref", required=False),
                _F("established_on", "date"),
                _F("stipends_allowed", "flag", required=False),
                _F("two_signers_above", "amount", required=False),
                _F("collective_decision_above", "amount", required=False),
                _F("charter_doc_ref", required=False),
            ),
            _fund,
            scope="owner_org_id",
        ),
        SetupForm(
            "user",
            (
                _F("person_id", "person"),
                _F("role", "choice", choices=ROLES),
                _F("org_id", "org"),
                _F("login", required=False),
                _F("password", "password", required=False),
            ),
            _user,
            scope="org_id",
        ),
    )
}
# Refusals that name no field, or name it otherwise than the form, by code: the first of the
# names the form has.
FIELD_OF_ERROR = {
    "parent_kind_not_allowed": "parent_org_id",
    "parent_in_other_tree": "parent_org_id",
    "organisation_not_found": "parent_org_id org_id to_org_id owner_org_id",
    "organisation_dissolved": "parent_org_id org_id to_org_id owner_org_id",
    "person_not_found": "person_id",
    "purposes_required": "allowed_purposes",
    "owner_not_accounting_entity": "owner_org_id",
    "membership_requires_branch": "org_id",
    "already_a_member": "person_id",
    "not_a_member": "person_id",
    "transfer_to_same_branch": "to_org_id",
    "date_before_membership": "effective_on",
    "date_before_established": "established_on effective_on from_date",
    "office_already_held": "person_id",
    "office_not_held": "person_id",
    "stipend_terms_already_set": "person_id",
    "stipend_fund_not_of_organisation": "fund_id",
    "stipend_not_allowed_by_policy": "fund_id",
    "fund_not_found": "fund_id",
    "role_already_held": "role",
    "login_taken": "login",
    "password_too_short": "password",
    "stipend_not_allowed_from_mutual_aid": "stipends_allowed fund_id",
}
FIELD_RENAMES = {"custody.kind": "custody_kind", "custody.ref": "custody_ref"}


def field_of(form: SetupForm, error: errors.LedgerError) -> str:
    """The form field a refusal belongs beside (``_form`` if none)."""
    names = {f.name for f in form.fields}
    named = str(error.details.get("field", ""))
    named = FIELD_RENAMES.get(named, named)
    for name in FIELD_OF_ERROR.get(error.code, "").split():
        if name in names:
            return name
    if named.endswith("_fen") and named[:-4] in names:
        return named[:-4]
    return named if named in names else "_form"

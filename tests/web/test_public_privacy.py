"""Nothing private reaches the public board (issue 16, R34): a person's full name, an ID-card
number and a phone are typed into each free-text field of each kind of entry — memo, public
summary, counterparty, payee, handler, references, campaign, receipt, bank reference, decision,
reversal reason, an aid case's private reason, evidence, public category and payment fields, a
close's reviewer. Each is either refused with a public-text code (the fields the board prints)
or recorded and kept internal; then every public output — the index, the statement pages, HTML,
JSON, CSV, XLSX and PDF of every fund, every aid notice as page, JSON and PDF, and the check
page of a seal — is read back, and none of the three appears in any of them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ledger.domain import errors
from tests.api.conftest import SEED, World, after_writes
from tests.api.test_aid_cases import AFTER_WINDOW, aid  # noqa: F401  (the fixture)

NAME = "吕淑明"
ID_18 = "11010519491231002X"
PHONE = "13812345678"
PRIVATE = f"{NAME}脑梗住院 身份证{ID_18} 电话{PHONE}"
SECRETS = (NAME, ID_18, PHONE)
ON = date(2025, 7, 5)
# a refusal because the field is printed and holds something private (or names no reviewer)
REFUSED = {
    "public_text_names_person",
    "public_text_has_phone",
    "public_text_has_id_number",
    "public_text_has_bank_card",
    "public_summary_concerns_person",
    "reviewer_not_found",
}


class Attempts:
    def __init__(self) -> None:
        self.recorded: list[str] = []
        self.refused: list[str] = []

    def __call__(self, label: str, write: Callable[[], Any]) -> None:
        try:
            write()
        except errors.LedgerError as error:
            assert error.code in REFUSED, (label, error.code)
            self.refused.append(label)
        else:
            self.recorded.append(label)


def _with(base: dict[str, Any], field: str) -> dict[str, Any]:
    return {**base, field: [PRIVATE] if field in ("doc_refs", "evidence_refs") else PRIVATE}


def _record_everything(world: World) -> Attempts:
    ledger, funds, attempt = world.ledger, world.funds, Attempts()
    person = ledger.register_person(actor=SEED, name_zh=NAME)["person_id"]  # no consent
    ledger.change_person(
        person,
        "join_branch",
        actor=SEED,
        org_id=world.orgs["a"],
        effective_on=date(2020, 1, 1),
        membership_status="full",
        category="retired",
    )
    a, b, aid_fund = funds["activity_a"], funds["activity_b"], funds["mutual_aid"]
    money = {"occurred_on": ON, "amount_fen": 100, "doc_refs": ["凭证"]}

    def record(fund: str, command: str, base: dict[str, Any], fields: tuple[str, ...]) -> None:
        for field in fields:
            attempt(
                f"{command}.{field}",
                lambda f=field: ledger.record(fund, command, actor=SEED, **_with(base, f)),
            )

    member = {**money, "donor_kind": "member", "donor_person_id": person}
    record(a, "receive_donation", member, ("memo", "receipt_no", "campaign", "doc_refs", "public_summary"))
    record(a, "receive_donation", {**money, "donor_kind": "resident", "donor_name": "x"}, ("donor_name",))
    record(a, "receive_donation", {**money, "donor_kind": "company", "donor_name": "x"}, ("donor_name",))
    grant = {**money, "grant_kind": "dues_rebate", "grantor_name": "街道党工委"}
    record(a, "receive_grant", grant, ("memo", "grantor_name", "purpose", "doc_refs", "public_summary"))
    expense = {
        **money,
        "category": "activities",
        "payee": "超市",
        "handled_by": "经办",
        "approved_by": "审批",
    }
    fields = ("memo", "payee", "handled_by", "approved_by", "witnessed_by", "doc_refs", "public_summary")
    record(a, "pay_expense", expense, fields)
    record(a, "pay_expense", {**expense, "payee_person_id": person}, ("memo", "payee", "public_summary"))
    for n, field in enumerate(("memo", "handled_by", "doc_refs"), 1):
        stipend = {
            **money,
            "person_id": world.people["member"],
            "months": [f"2025-0{n}"],
            "handled_by": "经办",
        }
        record(a, "pay_stipend", stipend, (field,))
    cash = {**money, "from_account": "cash", "to_account": "bank"}
    record(a, "move_cash", cash, ("memo", "doc_refs", "public_summary"))
    record(
        aid_fund,
        "credit_interest",
        {"occurred_on": ON, "amount_fen": 5, "bank_ref": "结息单"},
        ("memo", "bank_ref", "public_summary"),
    )
    transfer = {"from_fund_id": a, "to_fund_id": b, "decision_ref": "决议", **money}
    for field in ("memo", "decision_ref", "doc_refs"):
        attempt(
            f"transfer.{field}",
            lambda f=field: ledger.transfer_between_funds(actor=SEED, **_with(transfer, f)),
        )
    voucher = ledger.record(a, "pay_expense", actor=SEED, **expense)["voucher_no"]
    attempt(
        "reversal.reason",
        lambda: ledger.reverse_entry(a, actor=SEED, voucher_no=voucher, occurred_on=ON, reason=PRIVATE),
    )
    attempt(
        "close.reviewed_by",
        lambda: ledger.close_periods_through(a, actor=SEED, period="2025-06", reviewed_by=PRIVATE),
    )
    ledger.close_periods_through(a, actor=SEED, period="2025-06")  # sealed: the check page is public too
    _aid_cases(world, person, attempt)
    return attempt


def _aid_cases(world: World, person: str, attempt: Attempts) -> None:
    ledger, fund = world.ledger, world.funds["mutual_aid"]
    case = {
        "fund_id": fund,
        "beneficiary_person_id": person,
        "applicant_person_id": person,
        "aid_kind": "hospitalisation",
        "requested_fen": 10_000,
        "reason_private": PRIVATE,
        "reason_public_category": "慰问因病住院党员",
        "evidence_refs": [PRIVATE],
    }
    attempt(
        "aid.reason_public_category",
        lambda: ledger.apply_for_aid(actor=SEED, **_with(case, "reason_public_category")),
    )
    cases = [ledger.apply_for_aid(actor=SEED, **case)["case_id"] for _ in range(3)]
    for case_id in cases:
        ledger.sign_aid_case(case_id, actor=world.users["approver1"])
    ledger.today = lambda: AFTER_WINDOW
    pay = {"paid_on": AFTER_WINDOW, "doc_refs": ["签收单"]}
    for case_id, field in zip(cases, ("memo", "doc_refs", "witnessed_by"), strict=True):
        attempt(
            f"aid_payment.{field}",
            lambda c=case_id, f=field: ledger.pay_aid_case(
                c, actor=world.users["cashier_c"], **_with(pay, f)
            ),
        )
    world.aid_cases = cases  # type: ignore[attr-defined]


def _text(body: bytes, kind: str) -> str:
    if kind == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        return "\n".join(
            str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None
        )
    return body.decode("utf-8-sig")


def _public_outputs(world: World) -> dict[str, str]:
    client, out = world.client, {}

    def read(path: str, kind: str = "html") -> None:
        response = client.get(path, params=after_writes(world))
        assert response.status_code == 200, (path, response.text[:300])
        out[path] = _text(response.content, kind)

    read("/")
    for fund in world.funds.values():
        for period in ("2025", "2025-07"):
            read(f"/board/{fund}/{period}")
            for fmt in ("html", "json", "csv", "xlsx", "pdf"):
                read(f"/board/{fund}/{period}.{fmt}", fmt)
    aid_fund = world.funds["mutual_aid"]
    for case_id in world.aid_cases:  # type: ignore[attr-defined]
        read(f"/board/{aid_fund}/aid/{case_id}")
        for fmt in ("json", "pdf", "html"):
            read(f"/board/{aid_fund}/aid/{case_id}.{fmt}", fmt)
    sealed = f"/board/{world.funds['activity_a']}/2025-Q2"
    read(sealed)
    fingerprint = re.search(r'class="fingerprint">([0-9a-f]{16})<', out[sealed])
    assert fingerprint is not None  # June's close sealed the books
    read(f"/check/{fingerprint.group(1)}/2025-Q2")
    return out


def test_nothing_typed_into_any_free_text_field_of_any_entry_reaches_any_public_output(aid):  # noqa: F811
    attempts = _record_everything(aid)
    outputs = _public_outputs(aid)

    # the fields the board prints refused it; the others recorded it, kept internal
    assert {"receive_grant.grantor_name", "receive_donation.campaign", "pay_expense.public_summary"} <= set(
        attempts.refused
    )
    assert {"pay_expense.memo", "pay_expense.payee", "reversal.reason", "aid_payment.memo"} <= set(
        attempts.recorded
    )
    assert len(attempts.recorded) + len(attempts.refused) == 40
    fund_names = ("第一支部活动经费", "党员互助金")
    assert any(name in outputs[f"/board/{aid.funds['activity_a']}/2025.pdf"] for name in fund_names)
    leaks = [(path, secret) for path, text in outputs.items() for secret in SECRETS if secret in text]
    assert leaks == []
    assert (
        "吕*明" in outputs[f"/board/{aid.funds['mutual_aid']}/aid/{aid.aid_cases[0]}"]
    )  # masked, not hidden


@pytest.mark.parametrize("fmt", ["html", "json", "csv"])
def test_an_old_memo_is_internal_and_the_line_is_derived_from_its_category(world, fmt):
    """An entry recorded with a memo (as every entry before issue 16 was) prints its
    category's line: the memo stays in the books (the journal) and off the board."""
    fund = world.funds["activity_a"]
    world.ledger.record(
        fund,
        "receive_grant",
        actor=SEED,
        occurred_on=ON,
        amount_fen=100,
        grant_kind="dues_rebate",
        grantor_name="街道党工委",
        doc_refs=["通知"],
        memo=f"{NAME}经手",
    )
    body = world.client.get(f"/board/{fund}/2025-07.{fmt}", params=after_writes(world)).text
    journal = world.get(f"/funds/{fund}/journal", role="bookkeeper").text

    assert NAME not in body and "党费返还（街道党工委）" in body
    assert f"{NAME}经手" in journal

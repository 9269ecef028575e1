"""Builders for domain tests: contexts, aggregates, and the commands that set up a "given".

Every builder returns an aggregate with its events still pending: a test drains them with
``collect_events()`` right before its "when", so that what it collects afterwards is exactly
what the command under test raised.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.domain.context import Context
from ledger.domain.fund import Fund
from ledger.domain.organisation import Organisation
from ledger.domain.person import Person

TODAY = date(2025, 1, 10)
ESTABLISHED_ON = date(2024, 12, 1)
PURPOSES = ["hospitalisation_visit", "hardship_relief", "festival_visit"]
CASH_BOX: dict[str, Any] = {"kind": "cash_box"}
BANK_ACCOUNT: dict[str, Any] = {"kind": "bank_account", "ref": "农行-6228-0001"}
BOOKKEEPER = "bookkeeper-1"
CASHIER = "person-cashier"
HANDLER = "person-handler"
SECRETARY = "person-secretary"


def ctx(today: date = TODAY, actor: str = BOOKKEEPER, request_id: str | None = None) -> Context:
    return Context(recorded_by=actor, today=today, request_id=request_id)


# --- organisations and people --------------------------------------------------------------------
def a_community(name: str = "幸福社区党委", established_on: date = date(2020, 1, 1)) -> Organisation:
    return Organisation.register(
        ctx(), kind="community_committee", name_zh=name, parent=None, established_on=established_on
    )


def a_branch(
    parent: Organisation | None = None,
    name: str = "第一党支部",
    established_on: date = date(2020, 1, 1),
) -> Organisation:
    return Organisation.register(
        ctx(),
        kind="branch",
        name_zh=name,
        parent=parent if parent is not None else a_community(),
        established_on=established_on,
    )


def a_person(name: str = "王小明") -> Person:
    return Person.register(ctx(), name_zh=name)


# --- funds ---------------------------------------------------------------------------------------
def a_fund(
    kind: str = "mutual_aid",
    custody: dict[str, Any] | None = None,
    policy: dict[str, Any] | None = None,
    established_on: date = ESTABLISHED_ON,
    allowed_purposes: list[str] | None = None,
) -> Fund:
    return Fund.establish(
        ctx(),
        owner_org_id="org-branch-1",
        owner_kind="branch",
        kind=kind,
        name_zh="第一党支部互助金" if kind == "mutual_aid" else "第一党支部活动经费",
        allowed_purposes=allowed_purposes if allowed_purposes is not None else list(PURPOSES),
        custody=custody if custody is not None else CASH_BOX,
        policy=policy,
        established_on=established_on,
    )


def donation(**changes: Any) -> dict[str, Any]:
    """The arguments of a valid ``receive_donation``, with ``changes`` applied."""
    return {
        "occurred_on": date(2025, 1, 5),
        "amount_fen": 10_000,
        "donor_kind": "resident",
        "donor_name": "李大爷",
        "doc_refs": ["收据-0001"],
        **changes,
    }


def expense(**changes: Any) -> dict[str, Any]:
    """The arguments of a valid ``pay_expense``, with ``changes`` applied."""
    return {
        "occurred_on": date(2025, 1, 6),
        "amount_fen": 5_000,
        "category": "hospitalisation_visit",
        "payee": "王小明",
        "handled_by": HANDLER,
        "approved_by": SECRETARY,
        "doc_refs": ["发票-0001"],
        **changes,
    }


def stipend(**changes: Any) -> dict[str, Any]:
    """The arguments of a valid ``pay_stipend`` (the recipient always in office)."""
    return {
        "occurred_on": date(2025, 1, 6),
        "amount_fen": 20_000,
        "person_id": SECRETARY,
        "months": ["2024-12"],
        "in_office": lambda person_id, month, role: True,
        "handled_by": HANDLER,
        "doc_refs": ["签收单-0001"],
        **changes,
    }


def given_donation(fund: Fund, amount_fen: int, on: date, **changes: Any) -> str:
    return fund.receive_donation(ctx(), **donation(amount_fen=amount_fen, occurred_on=on, **changes))


def given_expense(fund: Fund, amount_fen: int, on: date, **changes: Any) -> str:
    return fund.pay_expense(ctx(), **expense(amount_fen=amount_fen, occurred_on=on, **changes))


def given_reversal(fund: Fund, voucher_no: str, on: date) -> str:
    return fund.reverse_entry(ctx(), voucher_no=voucher_no, occurred_on=on, reason="录入错误")


def given_closed(fund: Fund, period: str, today: date = TODAY) -> None:
    fund.close_period(ctx(today=today), period=period)


def given_cashier(fund: Fund, person_id: str = CASHIER) -> None:
    fund.assign_custodian(ctx(), role="cashier", person_id=person_id, from_date=ESTABLISHED_ON)

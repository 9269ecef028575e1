"""The worked example (docs/concepts/practice.md) recorded through the Ledger: a community committee's
mutual-aid fund in Q3 2024, closed on 2024-10-14 (the first day of the posting window).

Each member's donation is its own voucher in the ledger, so the two "七一" group rows carry
the first voucher and the count (202407-001等36张) and the later vouchers of July are numbered
after the 77 donations; every other cell is the example's.

The example is recorded once per test process and each test gets a copy of that store
(``example_store``, tests/store_templates.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from ledger.application import Ledger
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import runner
from ledger.projections.store import ViewStore
from tests.store_templates import StoreCopy, Template

CLOSED_ON = date(2024, 10, 14)
ADMIN = "seed"


@dataclass
class Example:
    app: Ledger
    fund: str
    orgs: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)


def record_worked_example(app: Ledger) -> Example:
    org = app.register_organisation(
        actor=ADMIN,
        kind="community_committee",
        name_zh="中共××街道××社区委员会",
        established_on=date(2010, 1, 1),
    )["org_id"]
    ex = Example(app, "", {"community": org})
    for n, name in enumerate(("第一党支部", "第二党支部", "第三党支部"), 1):
        ex.orgs[f"branch{n}"] = app.register_organisation(
            actor=ADMIN, kind="branch", name_zh=name, parent_org_id=org, established_on=date(2010, 1, 1)
        )["org_id"]
    officials = {"bookkeeper": "孙××", "cashier": "周建国", "handler": "李秀兰", "reviewer": "吴××"}
    officials["secretary"] = "郑××"
    for key, name in officials.items():
        ex.people[key] = app.register_person(actor=ADMIN, name_zh=name, public_notice=True)["person_id"]
    for key, role in (("secretary", "secretary"), ("reviewer", "discipline_member")):  # 审核 holds office
        app.change_organisation(
            org, "appoint", actor=ADMIN, person_id=ex.people[key], role=role, from_date=date(2020, 1, 1)
        )
    recipients = (("wang", "王小明", "branch1"), ("chen", "陈秀英", "branch3"), ("zhao", "赵四", "branch2"))
    for key, name, branch in recipients:
        ex.people[key] = _member(app, name, ex.orgs[branch])
    ex.fund = app.establish_fund(
        actor=ADMIN,
        owner_org_id=org,
        kind="mutual_aid",
        name_zh="党员互助基金",
        allowed_purposes=["hardship_aid"],
        custody={"kind": "bank_account", "ref": "农行-0001"},
        established_on=date(2024, 1, 1),
    )["fund_id"]
    for role in ("bookkeeper", "cashier"):
        app.record(
            ex.fund,
            "assign_custodian",
            actor=ADMIN,
            role=role,
            person_id=ex.people[role],
            from_date=date(2024, 1, 1),
        )
    _record_quarter(ex)
    app.close_periods_through(
        ex.fund, actor=ex.people["bookkeeper"], period="2024-09", reviewed_by=ex.people["reviewer"]
    )
    return ex


def _member(app: Ledger, name: str, branch: str) -> str:
    person = app.register_person(actor=ADMIN, name_zh=name)["person_id"]
    app.change_person(person, "join_branch", actor=ADMIN, org_id=branch, effective_on=date(2015, 1, 1))
    return person


def _record_quarter(ex: Example) -> None:
    app, fund, cashier = ex.app, ex.fund, ex.people["bookkeeper"]
    app.record(
        fund,
        "receive_grant",
        actor=cashier,
        occurred_on=date(2024, 6, 28),
        amount_fen=684_250,
        grant_kind="dues_rebate",
        grantor_name="××街道党工委",
        doc_refs=["拨款通知"],
    )
    for branch, count, total_fen in (("branch1", 36, 182_000), ("branch2", 41, 205_000)):
        amounts = [5_000] * (count - 1) + [total_fen - 5_000 * (count - 1)]
        for i, amount in enumerate(amounts):
            donor = _member(app, f"党员{branch[-1]}{i:02d}号", ex.orgs[branch])
            app.record(
                fund,
                "receive_donation",
                actor=cashier,
                occurred_on=date(2024, 7, 1),
                amount_fen=amount,
                donor_kind="member",
                donor_person_id=donor,
                campaign="july_1",
                doc_refs=["收据"],
            )
    app.record(
        fund,
        "receive_donation",
        actor=cashier,
        occurred_on=date(2024, 7, 12),
        amount_fen=200_000,
        donor_kind="partner_unit",
        donor_name="××物业公司",
        doc_refs=["收据"],
    )
    aid = (
        (date(2024, 7, 20), 50_000, "wang", "慰问因病住院党员"),
        (date(2024, 8, 5), 80_000, "chen", "救助生活困难党员"),
        (date(2024, 8, 18), 100_000, "zhao", "党员去世慰问家属"),
    )
    for day, amount, who, memo in aid:
        pay(ex, day, amount, memo, person=ex.people[who])
    app.record(
        fund,
        "credit_interest",
        actor=cashier,
        occurred_on=date(2024, 9, 10),
        amount_fen=635,
        bank_ref="结息单",
    )
    pay(ex, date(2024, 9, 14), 160_000, "中秋走访慰问高龄困难党员8人", payee="高龄困难党员8人")


def pay(ex: Example, day: date, amount: int, text: str, *, person: str | None = None, payee: str = "") -> str:
    """An expense: ``text`` is its internal memo, and, paid to no person, its public summary (a
    line about a person prints only its category, 困难党员救助, and the masked name)."""
    return ex.app.record(
        ex.fund,
        "pay_expense",
        actor=ex.people["bookkeeper"],
        occurred_on=day,
        amount_fen=amount,
        category="hardship_aid",
        payee=payee or ex.app.person(person).display_mask,
        payee_person_id=person,
        handled_by=ex.people["handler"],
        approved_by=ex.people["secretary"],
        witnessed_by=ex.people["reviewer"],
        doc_refs=["审批表", "签收单"],
        memo=f"内部：{text}",
        public_summary=None if person else text,
    )["voucher_no"]


def recorded_example(url: str) -> dict[str, Any]:
    """The example's template: the worked example recorded; the views' tables made, nothing
    projected (``caught_up`` brings them to the head)."""
    app = build_ledger(Settings(database_url=url), today=lambda: CLOSED_ON)
    try:
        build_views(Settings(database_url=url)).close()
        ex = record_worked_example(app)
    finally:
        app.close()
    return {"fund": ex.fund, "orgs": ex.orgs, "people": ex.people}


EXAMPLE = Template("worked-example", recorded_example)


@pytest.fixture
def example_store(store_templates, tmp_path) -> Iterator[StoreCopy]:
    """The test's store (its ``database_url`` too): a copy of the recorded example."""
    yield from store_templates.copy(EXAMPLE, tmp_path)


@pytest.fixture
def example(open_ledger, example_store) -> Example:
    return Example(open_ledger(today=CLOSED_ON), **example_store.data)


@pytest.fixture
def views(database_url) -> Iterator[ViewStore]:
    store = build_views(Settings(database_url=database_url))
    yield store
    store.close()


@pytest.fixture
def caught_up(example, views) -> ViewStore:
    runner.catch_up(views)
    return views

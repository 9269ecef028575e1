"""The history the benchmarks replay, balance and query (issue 20 item 8; ADR 0200).

What a set of community funds looks like after a few years, at any size:

- people, organisations, funds, offices and stipend terms are made through the Ledger's own
  commands (``register_person``, ``register_organisation``, ``establish_fund``,
  ``change_organisation``), so every id the money events name is registered;
- each community committee owns a mutual-aid fund and an activity fund that pays its secretary
  a stipend every month under the terms set for the office;
- per fund and month about ``PER_MONTH`` vouchers (donations from the committee's registered
  members, expenses paid to them, grants, interest, now and then the reversal of a voucher of
  the same month), over ``YEARS`` fiscal years; every month closed in order (each December
  closes a fiscal year), sealed with the chain head.

The money events go in bulk (``Bulk``): one transaction per month of every fund, the fund
methods called with exactly what ``Ledger.record`` / ``Ledger.reverse_entry`` pass them (the
public register, the owner's offices and stipend terms, the chain head for a close). The
same plan can run through the Ledger's commands one by one (``ThroughLedger``); the test
``tests/test_bench_history.py`` checks that both write the same events, and that the bulk
history passes ``fundbook verify`` and its public board answers every month.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from ledger.application import Ledger
from ledger.application.demo import member_name
from ledger.domain.context import Context
from ledger.domain.fund import Fund
from ledger.domain.periods import last_day, next_period

ACTOR = "bench-keeper"
FIRST_YEAR = 2022
YEARS = 3
TODAY = date(FIRST_YEAR + YEARS, 1, 20)  # every month of the history has ended
PER_MONTH = 40  # vouchers of a fund in a month, on average (a busy community fund)
MEMBERS = 12  # registered people per community committee
STIPEND_FEN = 30_000
PUBLIC_TEXT = frozenset({"receive_donation", "receive_grant", "credit_interest", "pay_expense"})


def periods() -> list[str]:
    out, period = [], f"{FIRST_YEAR}-01"
    for _ in range(YEARS * 12):
        out.append(period)
        period = next_period(period)
    return out


def funds_for(n_events: int) -> int:
    """Funds (an even number, at least 2) so that the history holds about ``n_events``."""
    per_fund = YEARS * 12 * (PER_MONTH + 1) + MEMBERS // 2  # vouchers and closes, set-up
    return max(2, round(n_events / per_fund / 2) * 2)


class Writer(Protocol):
    """Where the plan's money commands go."""

    def entry(self, fund_id: str, command: str, **kwargs: Any) -> str: ...
    def reverse(self, fund_id: str, **kwargs: Any) -> str: ...
    def close(self, fund_ids: list[str], period: str) -> None: ...


class ThroughLedger:
    """Each command through the Ledger, one transaction each (what a client's request does)."""

    def __init__(self, app: Ledger) -> None:
        self.app = app

    def entry(self, fund_id: str, command: str, **kwargs: Any) -> str:
        return self.app.record(fund_id, command, actor=ACTOR, **kwargs)["voucher_no"]

    def reverse(self, fund_id: str, **kwargs: Any) -> str:
        return self.app.reverse_entry(fund_id, actor=ACTOR, **kwargs)["voucher_no"]

    def close(self, fund_ids: list[str], period: str) -> None:
        for fund_id in fund_ids:
            self.app.record(fund_id, "close_period", actor=ACTOR, period=period)


class Bulk:
    """The events ``ThroughLedger`` writes, but a month of every fund in one transaction: the
    fund methods get what ``Ledger.record`` gives them (checks included), the funds stay in
    memory, and the Ledger's ``save`` writes them (and keeps one snapshot per fund)."""

    def __init__(self, app: Ledger) -> None:
        self.app = app
        self.ctx = Context(recorded_by=ACTOR, today=app.today(), acting_person=ACTOR)
        self.register = app.public_register()
        self.funds: dict[str, Fund] = {}
        self.offices: dict[str, Any] = {}
        self.known: set[str] = set()

    def _fund(self, fund_id: str) -> Fund:
        if fund_id not in self.funds:
            self.funds[fund_id] = self.app.fund(fund_id)
        return self.funds[fund_id]

    def entry(self, fund_id: str, command: str, **kwargs: Any) -> str:
        fund = self._fund(fund_id)
        for arg in ("donor_person_id", "payee_person_id", "person_id"):
            if kwargs.get(arg) and kwargs[arg] not in self.known:
                self.app.person(kwargs[arg])  # the Ledger's check that the person is known (once)
                self.known.add(kwargs[arg])
        if command == "pay_stipend":
            owner = self.offices.get(fund.owner_org_id) or self.app.organisation(fund.owner_org_id)
            self.offices[fund.owner_org_id] = owner
            terms = owner.stipend_terms(kwargs["person_id"], kwargs.get("role", "secretary"), fund_id)
            return fund.pay_stipend(self.ctx, in_office=owner.holds_office, terms=terms, **kwargs)
        if command in PUBLIC_TEXT:
            kwargs["register"] = self.register
        return getattr(fund, command)(self.ctx, **kwargs)

    def reverse(self, fund_id: str, **kwargs: Any) -> str:
        return self._fund(fund_id).reverse_entry(self.ctx, **kwargs)

    def close(self, fund_ids: list[str], period: str) -> None:
        """Save the month's entries, then close it on every fund sealed with the chain head as
        it stands (a close seals the log before it, ADR 0010), and save the closes."""
        self.app.save(*(self.funds[f] for f in fund_ids if f in self.funds))
        ctx = replace(self.ctx, chain_head=self.app.chain_head())
        for fund_id in fund_ids:
            self._fund(fund_id).close_period(ctx, period=period)
        self.app.save(*(self.funds[f] for f in fund_ids))


@dataclass
class Community:
    org_id: str
    members: list[str]
    mutual_aid: str
    activity: str
    balances: dict[str, int] = field(default_factory=dict)  # fund id -> fen, as planned


def set_up(app: Ledger, n_funds: int) -> list[Community]:
    """Organisations, people, funds, offices and stipend terms, through the Ledger's commands."""
    street = app.register_organisation(
        actor=ACTOR, kind="street_committee", name_zh="幸福街道", established_on=date(2000, 1, 1)
    )["org_id"]
    out = []
    for c in range(n_funds // 2):
        org = app.register_organisation(
            actor=ACTOR,
            kind="community_committee",
            name_zh=f"第{c + 1}社区",
            parent_org_id=street,
            established_on=date(2000, 1, 1),
        )["org_id"]
        members = [
            app.register_person(actor=ACTOR, name_zh=member_name(c * MEMBERS + i), public_notice=i % 4 != 0)[
                "person_id"
            ]
            for i in range(MEMBERS)
        ]
        funds = [
            app.establish_fund(
                actor=ACTOR,
                owner_org_id=org,
                kind=kind,
                name_zh=f"第{c + 1}社区{name}",
                allowed_purposes=["aid", "activities"],
                custody={"kind": "bank_account", "ref": f"acct{c}-{kind}"},
                policy={"stipends_allowed": kind == "activity"},
                established_on=date(FIRST_YEAR, 1, 1),
            )["fund_id"]
            for kind, name in (("mutual_aid", "互助金"), ("activity", "活动经费"))
        ]
        app.change_organisation(
            org, "appoint", actor=ACTOR, person_id=members[0], role="secretary", from_date=date(2020, 1, 1)
        )
        app.change_organisation(
            org,
            "set_stipend_terms",
            actor=ACTOR,
            person_id=members[0],
            role="secretary",
            monthly_fen=STIPEND_FEN,
            from_month=f"{FIRST_YEAR}-01",
            fund_id=funds[1],
            doc_ref="补贴通知",
        )
        out.append(Community(org, members, funds[0], funds[1], {funds[0]: 0, funds[1]: 0}))
    return out


def fill(
    writer: Writer,
    communities: list[Community],
    seed: int = 7,
    *,
    months: int = YEARS * 12,
    per_month: int = PER_MONTH,
) -> None:
    """The first ``months`` months of every fund, each then closed (see the module's docstring)."""
    rnd = random.Random(seed)
    fund_ids = [f for c in communities for f in (c.mutual_aid, c.activity)]
    for period in periods()[:months]:
        for community in communities:
            for fund_id in (community.mutual_aid, community.activity):
                n = rnd.randint(per_month // 2, per_month * 3 // 2)
                _month(writer, community, fund_id, period, n, rnd)
        writer.close(fund_ids, period)


def _month(
    writer: Writer, community: Community, fund_id: str, period: str, n: int, rnd: random.Random
) -> None:
    end = last_day(period)
    month: list[tuple[str, int]] = []  # this month's (voucher, signed fen), for reversals
    balances = community.balances
    for k in range(n):
        day = end.replace(day=1 + k * (end.day - 1) // n)
        roll = rnd.random()
        member = rnd.choice(community.members[1:])
        if k == n // 2 and fund_id == community.activity and balances[fund_id] >= STIPEND_FEN:
            args: dict[str, Any] = dict(
                amount_fen=STIPEND_FEN,
                person_id=community.members[0],
                months=[period],
                handled_by="会计",
                doc_refs=["签收单"],
            )
            signed, command = -STIPEND_FEN, "pay_stipend"
        elif roll < 0.5 or balances[fund_id] < 300_000:
            amount = rnd.randint(1_000, 50_000)
            args = dict(amount_fen=amount, donor_kind="member", donor_person_id=member, doc_refs=["收据"])
            signed, command = amount, "receive_donation"
        elif roll < 0.55:
            args = dict(
                amount_fen=200_000, grant_kind="dues_rebate", grantor_name="社区党委", doc_refs=["拨款"]
            )
            signed, command = 200_000, "receive_grant"
        elif roll < 0.56:
            amount = rnd.randint(1, 999)
            args, signed, command = dict(amount_fen=amount, bank_ref="结息"), amount, "credit_interest"
        elif roll < 0.985 or not month:
            amount = rnd.randint(100, 20_000)
            args = dict(
                amount_fen=amount,
                category="aid" if fund_id == community.mutual_aid else "activities",
                payee="慰问对象",
                payee_person_id=member,
                handled_by="会计",
                approved_by="主任",
                doc_refs=["发票"],
            )
            signed, command = -amount, "pay_expense"
        else:  # a mistake found within the month: the exact negation of one of its vouchers
            voucher, amount = month.pop(rnd.randrange(len(month)))
            if balances[fund_id] - amount < 0:
                continue
            writer.reverse(fund_id, voucher_no=voucher, occurred_on=day, reason="记账错误，冲销")
            balances[fund_id] -= amount
            continue
        voucher = writer.entry(fund_id, command, occurred_on=day, **args)
        balances[fund_id] += signed
        month.append((voucher, signed))


def build_history(app: Ledger, n_events: int, seed: int = 7) -> int:
    """Set up and fill a history of about ``n_events``; returns the log's last position."""
    fill(Bulk(app), set_up(app, funds_for(n_events)), seed)
    return app.recorder.max_notification_id() or 0

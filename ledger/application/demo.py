"""The demo: a deterministic history built from the real practice in docs/concepts/practice.md.

- 红星街道党工委 → 阳光社区党委 → 第一、第二离退休党支部 → 楼栋党小组, and the residents' side
  阳光社区居委会 → 居民小组; a second community 和平社区 with four levels down to a building group.
- 阳光社区党员互助金: 128 contributing members raise exactly 25,000.00 from 2018; 275 aid
  payments, each from an aid case applied for, signed by an approver of the community (周建国
  or 吴志强, users with the approver role), publicised for the fund's 7-day window and then
  paid by the cashier; never overdrawn; bank interest each year.
- Two retired branches' activity funds, fed since 2017 by dues rebates and unit guarantees
  (35,000.00 for activities), plus the veteran-cadre bureau's half-yearly stipend money (a
  fiscal grant): each branch secretary is paid 300.00 a month from 2018-03, under stipend terms
  recorded on the office (the schedule shows no month unpaid through 2024-12).
- Two collections (集资, AA制), each settled with its surplus refunded, then closed: the 3号楼
  residents' pooled purchase of a ping-pong table (6 residents × 200.00) and the first retired
  branch's autumn outing 2024 (10 members, an equal split of 1,500.00).
- A 50,000.00 special fund spent on desks, chairs, a computer, a printer, a water dispenser and
  sofas, each entered in the asset register; a partner unit's donation for a wall repair, and
  its direct payment for painting the activity room (a gift in kind); a few reversals.
- A year of Party dues for the first retired branch (2023): bases declared, quarters paid,
  handed up whole to the community committee, the 2024 rebate checked against its share
  (``ledger.application.demo_dues``); no fund's figure changes.
Every command goes through the Ledger, so the demo obeys every rule a custodian does. The
Ledger's business date follows the history as it is replayed (each step runs on its own day),
so signatures, approvals and notice windows carry the dates they would have had.
Periods are closed each January for the year before, and finally through 2024-11.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ledger.application import Ledger
from ledger.application.demo_dues import dues_steps
from ledger.domain.periods import period_of

ADMIN = "demo-admin"
DONATION_TOTAL_FEN = 2_500_000
AID_PAYMENTS = 275
MEMBERS = 128
ROLL_CONTRIBUTION_FEN = 1_000  # 10.00 a year, by the association's charter
ACTIVITY_GRANTS_FEN = 3_500_000
STIPEND_FEN = 30_000
SPECIAL_FUND_FEN = 5_000_000
LAST_CLOSED = "2024-11"
APPROVERS = ("community_secretary", "discipline")
RESIDENTS = ("赵大妈", "钱大爷", "孙阿姨", "李师傅", "周老师", "吴奶奶")
AID_KINDS = {  # public category → aid kind
    "生活困难救助": "one_off",
    "慰问因病住院党员": "hospitalisation",
    "节日走访慰问": "festival_visit",
    "党员去世慰问家属": "bereavement",
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国秀兰桂英玉珍淑华志强国华明德凤英金花文斌永福丽娟振华春生"

Step = tuple[date, int, Callable[[], Any]]


@dataclass
class Demo:
    """Ids of what the demo created, for tests and for printing."""

    orgs: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    funds: dict[str, str] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # the approvers' logins


def member_name(i: int) -> str:
    g = GIVEN[(i * 2) % len(GIVEN)] + GIVEN[(i * 7 + 1) % len(GIVEN)]
    return SURNAMES[i % len(SURNAMES)] + g


def load_demo(app: Ledger, progress: Callable[[int, int], None] | None = None) -> Demo:
    demo = Demo()
    _build_trees(app, demo)
    _build_people(app, demo)
    _build_funds(app, demo)
    _set_stipend_terms(app, demo)
    steps = _money_steps(app, demo)
    steps.sort(key=lambda s: (s[0], s[1]))
    real_today = app.today
    try:
        for done, (day, _, step) in enumerate(steps, 1):
            app.today = lambda day=day: day  # the business date of the history being replayed
            step()
            if progress is not None:
                progress(done, len(steps))
    finally:
        app.today = real_today
    for fund_id in demo.funds.values():
        fund = app.fund(fund_id)
        if fund.first_open_period() <= LAST_CLOSED:
            app.close_periods_through(fund_id, actor=demo.people["bookkeeper"], period=LAST_CLOSED)
    return demo


def _org(
    app: Ledger,
    demo: Demo,
    key: str,
    kind: str,
    name: str,
    parent: str | None,
    established_on: date = date(2010, 1, 1),
    branch_kind: str | None = None,
) -> None:
    demo.orgs[key] = app.register_organisation(
        actor=ADMIN,
        kind=kind,
        name_zh=name,
        established_on=established_on,
        branch_kind=branch_kind,
        parent_org_id=demo.orgs[parent] if parent else None,
    )["org_id"]


def _build_trees(app: Ledger, demo: Demo) -> None:
    _org(app, demo, "street", "street_committee", "红星街道党工委", None)
    _org(app, demo, "sunshine", "community_committee", "阳光社区党委", "street")
    _org(
        app,
        demo,
        "branch1",
        "branch",
        "阳光社区第一离退休党支部",
        "sunshine",
        branch_kind="retiree",
    )
    _org(
        app,
        demo,
        "branch2",
        "branch",
        "阳光社区第二离退休党支部",
        "sunshine",
        branch_kind="retiree",
    )
    _org(app, demo, "group1", "party_group", "1号楼党小组", "branch1")
    _org(app, demo, "group2", "party_group", "2号楼党小组", "branch1")
    _org(app, demo, "group3", "party_group", "3号楼党小组", "branch2")
    _org(app, demo, "residents", "residents_committee", "阳光社区居民委员会", None)
    _org(app, demo, "residents3", "residents_group", "3号楼居民小组", "residents")
    _org(app, demo, "peace", "community_committee", "和平社区党委", "street")
    _org(app, demo, "peace_branch", "branch", "和平小区党支部", "peace")
    _org(app, demo, "peace_group", "party_group", "5号楼党小组", "peace_branch")


def _person(app: Ledger, name: str, public: bool = False) -> str:
    return app.register_person(actor=ADMIN, name_zh=name, public_notice=public)["person_id"]


def _build_people(app: Ledger, demo: Demo) -> None:
    officials = {
        "secretary1": "郑德明",
        "secretary2": "钱淑芬",
        "community_secretary": "周建国",
        "bookkeeper": "孙丽华",
        "cashier": "李秀兰",
        "discipline": "吴志强",
        "peace_secretary": "冯永福",
    }
    for key, name in officials.items():
        demo.people[key] = _person(app, name, public=True)
    for i in range(MEMBERS):
        person_id = _person(app, member_name(i), public=i % 5 == 0)
        demo.members.append(person_id)
        branch = "branch1" if i < MEMBERS // 2 else "branch2"
        app.change_person(
            person_id,
            "join_branch",
            actor=ADMIN,
            org_id=demo.orgs[branch],
            effective_on=date(2015, 1, 1),
        )
    # Two members move between the branches; their history stays theirs (R30).
    for i, to in ((3, "branch2"), (100, "branch1")):
        app.change_person(
            demo.members[i],
            "transfer",
            actor=ADMIN,
            to_org_id=demo.orgs[to],
            effective_on=date(2021, 4, 1),
            letter_no=f"转2021-{i:03d}",
        )
    for key, branch in (("secretary1", "branch1"), ("secretary2", "branch2")):
        app.change_organisation(
            demo.orgs[branch],
            "appoint",
            actor=ADMIN,
            person_id=demo.people[key],
            role="secretary",
            from_date=date(2017, 6, 1),
        )
    for key, role in (("community_secretary", "secretary"), ("discipline", "discipline_member")):
        app.change_organisation(
            demo.orgs["sunshine"], "appoint", actor=ADMIN, person_id=demo.people[key], role=role,
            from_date=date(2016, 1, 1),
        )  # fmt: skip
    for i, name in enumerate(RESIDENTS):  # residents of 3号楼, not Party members
        demo.people[f"resident{i}"] = _person(app, name)
    for key in APPROVERS:  # they sign the mutual-aid fund's aid cases (R21)
        demo.users[key] = app.register_user(actor=ADMIN, person_id=demo.people[key])["user_id"]
        app.change_role(demo.users[key], "grant", actor=ADMIN, role="approver", org_id=demo.orgs["sunshine"])


def _fund(
    app: Ledger,
    demo: Demo,
    key: str,
    owner: str,
    kind: str,
    name: str,
    purposes: list[str],
    established_on: date,
    policy: dict[str, Any] | None = None,
) -> None:
    fund_id = app.establish_fund(
        actor=ADMIN,
        owner_org_id=demo.orgs[owner],
        kind=kind,
        name_zh=name,
        allowed_purposes=purposes,
        custody={"kind": "bank_account", "ref": f"居委会账户-{key}"},
        established_on=established_on,
        policy=policy,
    )["fund_id"]
    demo.funds[key] = fund_id
    for role in ("bookkeeper", "cashier"):
        app.record(
            fund_id,
            "assign_custodian",
            actor=ADMIN,
            role=role,
            person_id=demo.people[role],
            from_date=established_on,
        )


def _collection_steps(app: Ledger, demo: Demo) -> list[Step]:
    """集资 for a ping-pong table (per head, surplus pro rata) and an autumn outing (AA: an
    equal split, surplus refunded equally); each settled, then closed (R32)."""
    keeper = demo.people["bookkeeper"]
    plans = (
        (
            "ping_pong",
            "residents3",
            "3号楼乒乓球台集资",
            "ping_pong_table",
            date(2024, 5, 6),
            [demo.people[f"resident{i}"] for i in range(len(RESIDENTS))],
            {"basis": "per_head", "fee_fen": 20_000},
            [(118_000, "体育用品商店", "乒乓球台一张")],
            "pro_rata",
        ),
        (
            "autumn_outing",
            "branch1",
            "第一离退休党支部2024秋游（AA）",
            "outing",
            date(2024, 10, 8),
            demo.members[:10],
            {"basis": "equal_split", "target_fen": 150_000},
            [(120_000, "夕阳红旅行社", "大巴及门票"), (12_000, "农家乐", "午餐")],
            "equal",
        ),
    )
    steps: list[Step] = []
    for key, owner, name, purpose, day, people, assessment, spends, rule in plans:
        _fund(app, demo, key, owner, "collection", name, [purpose], day.replace(day=1))
        fund_id = demo.funds[key]
        steps.append(
            (
                day,
                0,
                _call(app.record, fund_id, "assess_fees", actor=keeper, participants=people, **assessment),
            )
        )
        for n, person in enumerate(people):
            steps.append(
                (
                    day,
                    1,
                    _call(
                        app.record,
                        fund_id,
                        "pay_fee",
                        actor=keeper,
                        occurred_on=day,
                        amount_fen=assessment.get("fee_fen") or assessment["target_fen"] // len(people),
                        person_id=person,
                        doc_refs=[f"{key}-收据{n + 1:02d}"],
                    ),
                )
            )
        spent_on = day.replace(day=day.day + 5)
        for n, (amount, payee, memo) in enumerate(spends):
            steps.append(
                (
                    spent_on,
                    1,
                    _call(
                        app.record,
                        fund_id,
                        "pay_expense",
                        actor=keeper,
                        occurred_on=spent_on,
                        amount_fen=amount,
                        category=purpose,
                        payee=payee,
                        handled_by=people[0],
                        approved_by=people[1],
                        doc_refs=[f"{key}-发票{n + 1}"],
                        memo=memo,
                        public_summary=memo,
                    ),
                )
            )
        settled_on = day.replace(day=day.day + 10)
        steps.append(
            (
                settled_on,
                2,
                _call(
                    app.record,
                    fund_id,
                    "settle_collection",
                    actor=keeper,
                    occurred_on=settled_on,
                    rule=rule,
                    doc_refs=[f"{key}-结算公示"],
                ),
            )
        )
        steps.append((settled_on, 3, _call(app.record, fund_id, "close_collection", actor=keeper)))
    return steps


def _build_funds(app: Ledger, demo: Demo) -> None:
    _fund(
        app,
        demo,
        "mutual_aid",
        "sunshine",
        "mutual_aid",
        "阳光社区党员互助金",
        ["hardship_aid"],
        date(2018, 1, 1),
    )
    for n in ("1", "2"):
        _fund(
            app,
            demo,
            f"activity{n}",
            f"branch{n}",
            "activity",
            f"第{'一' if n == '1' else '二'}离退休党支部活动经费",
            ["activities", "study_materials", "visits"],
            date(2017, 1, 1),
            {"stipends_allowed": True},
        )
    _fund(
        app,
        demo,
        "venue",
        "sunshine",
        "special_project",
        "党群活动阵地建设专项经费",
        ["venue_equipment"],
        date(2019, 4, 1),
    )
    _fund(
        app,
        demo,
        "wall",
        "sunshine",
        "special_project",
        "围墙修缮专项",
        ["wall_repair"],
        date(2022, 5, 1),
    )
    _fund(
        app,
        demo,
        "peace_activity",
        "peace_branch",
        "activity",
        "和平小区党支部活动经费",
        ["activities", "study_materials"],
        date(2023, 1, 1),
    )


def _set_stipend_terms(app: Ledger, demo: Demo) -> None:
    """Each branch secretary: 300.00 a month from 2018-03, paid by the branch's activity fund."""
    for n in ("1", "2"):
        app.change_organisation(
            demo.orgs[f"branch{n}"],
            "set_stipend_terms",
            actor=ADMIN,
            person_id=demo.people[f"secretary{n}"],
            role="secretary",
            monthly_fen=STIPEND_FEN,
            from_month="2018-03",
            fund_id=demo.funds[f"activity{n}"],
            doc_ref="区委老干部局补贴通知2018",
        )


def _money_steps(app: Ledger, demo: Demo) -> list[Step]:
    rnd = random.Random(20180701)
    steps: list[Step] = []
    steps += _closing_steps(app, demo)
    steps += _mutual_aid_steps(app, demo, rnd)
    steps += _activity_steps(app, demo, rnd)
    steps += _special_steps(app, demo)
    steps += _collection_steps(app, demo)
    # 2023's dues of the first branch (ADR 0160): its members that year (one moved out, one in)
    branch1 = [m for i, m in enumerate(demo.members) if (i < MEMBERS // 2) != (i in (3, 100))]
    steps += dues_steps(app, demo.orgs["branch1"], branch1, demo.people["bookkeeper"])
    return steps


def _closing_steps(app: Ledger, demo: Demo) -> list[Step]:
    """Each January, close every fund's books for the year before (before any entry)."""
    steps: list[Step] = []
    for year in range(2018, 2025):
        for fund_id in demo.funds.values():

            def close(fund_id: str = fund_id, year: int = year) -> None:
                fund = app.fund(fund_id)
                if fund.first_open_period() <= f"{year - 1}-12":
                    # 审核: the discipline member of 阳光社区 (ADR 0081), for its own funds
                    may_review = {c.person_id for c in app.reviewers(fund, app.today())}
                    discipline = demo.people["discipline"]
                    app.close_periods_through(
                        fund_id,
                        actor=demo.people["bookkeeper"],
                        period=f"{year - 1}-12",
                        reviewed_by=discipline if discipline in may_review else None,
                    )

            steps.append((date(year, 1, 2), 0, close))
    return steps


def _donation_amounts(rnd: random.Random) -> list[tuple[date, int, int]]:
    """(date, member index, fen): 100.00 from each member on 2018-07-01, then yearly "七一"
    and "一日捐" campaigns until exactly 25,000.00 are raised."""
    plan = [(date(2018, 7, 1), i, 10_000) for i in range(MEMBERS)]
    total = sum(p[2] for p in plan)
    year = 2019
    while total < DONATION_TOTAL_FEN:
        for i in rnd.sample(range(MEMBERS), 75):
            amount = min(rnd.choice((1_000, 2_000, 3_000, 5_000)), DONATION_TOTAL_FEN - total)
            if amount == 0:
                break
            day = date(year, 7, 1) if i % 2 else date(year, 3, 5)
            plan.append((day, i, amount))
            total += amount
        year += 1
    return plan


def _mutual_aid_steps(app: Ledger, demo: Demo, rnd: random.Random) -> list[Step]:
    """A member's first gift of a year pays that year's contribution to the roll (the same
    voucher, linked); any other gift is a plain donation. The figures are the seeds' either way."""
    fund_id, people = demo.funds["mutual_aid"], demo.people
    plan = _donation_amounts(rnd)
    steps: list[Step] = _roll_steps(app, demo, plan)
    paid: set[tuple[int, int]] = set()
    for n, (day, i, amount) in enumerate(plan):
        gift = {
            "actor": people["bookkeeper"],
            "occurred_on": day,
            "amount_fen": amount,
            "publish_donor_name": i % 5 == 0,
            "campaign": "july_1" if day.month == 7 else "one_day_pay",
            "receipt_no": f"HZ{day.year}-{n:04d}",
            "doc_refs": [f"收据HZ{day.year}-{n:04d}"],
        }
        if (i, day.year) in paid:
            donor = {"donor_kind": "member", "donor_person_id": demo.members[i]}
            step = _call(app.record, fund_id, "receive_donation", **gift, **donor)
        else:
            paid.add((i, day.year))
            step = _call(app.pay_roll_contribution, fund_id, person_id=demo.members[i], year=day.year, **gift)
        steps.append((day, 1, step))
    kinds = ("生活困难救助", "慰问因病住院党员", "节日走访慰问", "党员去世慰问家属")
    for k in range(AID_PAYMENTS):
        year = 2018 + k * 7 // AID_PAYMENTS
        day = date(year, 8 if year == 2018 else 1 + (k * 5) % 12, 1 + (k * 11) % 27)
        if year == 2018 and day.month < 8:
            day = day.replace(month=8)
        beneficiary = demo.members[(k * 37) % MEMBERS]
        steps += _aid_case_steps(
            app, demo, k, day, beneficiary, rnd.choice((5_000, 6_000, 8_000)), kinds[k % 4]
        )
    for year in range(2018, 2025):
        steps.append(
            (
                date(year, 12, 21),
                3,
                _call(
                    app.record,
                    fund_id,
                    "credit_interest",
                    actor=people["bookkeeper"],
                    occurred_on=date(year, 12, 21),
                    amount_fen=1_000 + year % 7 * 137,
                    bank_ref=f"结息单{year}",
                ),
            )
        )
    steps += _aid_reversal_steps(app, demo)
    return steps


def _roll_steps(app: Ledger, demo: Demo, plan: list[tuple[date, int, int]]) -> list[Step]:
    """The association's roll (ADR 0130): all 128 members enrol on 2018-06-01; each January the
    charter's contribution for the year is set (10.00, due 30 September); from 2019, the first
    two members who gave nothing in a year are waived for hardship by the community's secretary
    (an approver). The rest who gave nothing are behind."""
    fund_id, keeper = demo.funds["mutual_aid"], demo.people["bookkeeper"]
    enrolled = date(2018, 6, 1)
    steps: list[Step] = [
        (enrolled, 0, _call(app.enrol_in_roll, fund_id, actor=keeper, person_id=person, enrolled_on=enrolled))
        for person in demo.members
    ]
    for year in range(2018, 2025):
        charge = {"year": year, "amount_fen": ROLL_CONTRIBUTION_FEN, "due_on": date(year, 9, 30)}
        charge["charter_ref"] = "互助会章程第五条"
        steps.append((date(year, 1, 3), 0, _call(app.set_roll_contribution, fund_id, actor=keeper, **charge)))
        givers = {i for day, i, _ in plan if day.year == year}
        for i in [i for i in range(MEMBERS) if i not in givers][:2]:
            waive = _call(
                app.waive_roll_contribution,
                fund_id,
                actor=demo.users["community_secretary"],
                person_id=demo.members[i],
                year=year,
                reason="因病致困，支委会评议后申请减免",
            )
            steps.append((date(year, 10, 15), 0, waive))
    return steps


def _aid_case_steps(
    app: Ledger, demo: Demo, k: int, day: date, beneficiary: str, amount_fen: int, category: str
) -> list[Step]:
    """申请 and 审批 ten days before the payment (the approval posts the 7-day notice), then
    发放 by the cashier on the day, with the beneficiary's signed receipt."""
    applied_on = day - timedelta(days=10)
    holder: dict[str, str] = {}

    def apply_and_sign() -> None:
        holder["case"] = app.apply_for_aid(
            actor=demo.people["bookkeeper"],
            fund_id=demo.funds["mutual_aid"],
            beneficiary_person_id=beneficiary,
            applicant_person_id=beneficiary,
            aid_kind=AID_KINDS[category],
            requested_fen=amount_fen,
            reason_private=f"{category}（详见申请表）",
            reason_public_category=category,
            publicity_consent=k % 5 == 0,
            evidence_refs=[f"救助申请表{day.year}-{k:03d}"],
        )["case_id"]
        app.sign_aid_case(holder["case"], actor=demo.users[APPROVERS[k % 2]])

    def pay() -> None:
        app.pay_aid_case(
            holder["case"],
            actor=demo.people["cashier"],
            paid_on=day,
            doc_refs=[f"签收单{day.year}-{k:03d}"],
            memo=category,
        )

    return [(applied_on, 2, apply_and_sign), (day, 2, pay)]


def _aid_reversal_steps(app: Ledger, demo: Demo) -> list[Step]:
    """A mistyped donation (1,000.00 for 100.00), reversed and re-entered, as on paper."""
    fund_id, keeper = demo.funds["mutual_aid"], demo.people["bookkeeper"]
    day = date(2023, 9, 12)
    holder: dict[str, str] = {}

    def wrong() -> None:
        holder["no"] = app.record(
            fund_id,
            "receive_donation",
            actor=keeper,
            occurred_on=day,
            amount_fen=100_000,
            donor_kind="resident",
            donor_name="社区居民",
            doc_refs=["收据HZ2023-R1"],
        )["voucher_no"]

    def reverse() -> None:
        app.reverse_entry(
            fund_id,
            actor=keeper,
            voucher_no=holder["no"],
            occurred_on=day,
            reason="金额错记，多记900元",
        )

    def right() -> None:
        app.record(
            fund_id,
            "receive_donation",
            actor=keeper,
            occurred_on=day,
            amount_fen=10_000,
            donor_kind="resident",
            donor_name="社区居民",
            doc_refs=["收据HZ2023-R1"],
            memo=f"订正{holder['no']}",
        )

    return [(day, 4, wrong), (day, 5, reverse), (day, 6, right)]


def _activity_steps(app: Ledger, demo: Demo, rnd: random.Random) -> list[Step]:
    steps: list[Step] = []
    keeper = demo.people["bookkeeper"]
    for n in ("1", "2"):
        fund_id, secretary = demo.funds[f"activity{n}"], demo.people[f"secretary{n}"]
        grants = [(date(2017, 3, 1), "unit_guarantee", 500_000)]
        grants += [(date(y, 4, 10), "dues_rebate", 150_000) for y in range(2017, 2025)]
        grants += [(date(2021, 6, 1), "unit_guarantee", 50_000)]
        assert sum(g[2] for g in grants) * 2 == ACTIVITY_GRANTS_FEN
        for day, kind, amount in grants:
            steps.append(
                (
                    day,
                    1,
                    _call(
                        app.record,
                        fund_id,
                        "receive_grant",
                        actor=keeper,
                        occurred_on=day,
                        amount_fen=amount,
                        grant_kind=kind,
                        grantor_name="原单位离退休管理处" if kind == "unit_guarantee" else "阳光社区党委",
                        purpose="支部活动",
                        doc_refs=[f"拨款通知{day.year}-{kind}"],
                    ),
                )
            )
        steps += _stipend_steps(app, demo, fund_id, secretary)
        for year in range(2017, 2025):
            day = date(year, 10, 15)
            steps.append(
                (
                    day,
                    3,
                    _call(
                        app.record,
                        fund_id,
                        "pay_expense",
                        actor=keeper,
                        occurred_on=day,
                        amount_fen=rnd.choice((60_000, 80_000, 95_000)),
                        category="activities",
                        payee="重阳节活动",
                        handled_by=secretary,
                        approved_by=demo.people["community_secretary"],
                        doc_refs=[f"发票{year}-CY{n}"],
                        memo="重阳节敬老活动",
                        public_summary="重阳节敬老活动",
                    ),
                )
            )
    steps += _activity_reversal_steps(app, demo)
    return steps


def _stipend_steps(app: Ledger, demo: Demo, fund_id: str, secretary: str) -> list[Step]:
    """The unit sends each half-year's stipend money; the secretary is paid monthly."""
    steps: list[Step] = []
    keeper = demo.people["bookkeeper"]
    for year in range(2018, 2025):
        for half in (1, 7):
            day = date(year, half, 8)
            steps.append(
                (
                    day,
                    1,
                    _call(
                        app.record,
                        fund_id,
                        "receive_grant",
                        actor=keeper,
                        occurred_on=day,
                        amount_fen=STIPEND_FEN * 6,
                        grant_kind="fiscal",
                        grantor_name="区委老干部局",
                        purpose="离退休党支部书记工作补贴",
                        doc_refs=[f"补贴拨付{year}-{half:02d}"],
                    ),
                )
            )
    month = "2018-03"
    while month <= "2024-12":
        day = date(int(month[:4]), int(month[5:]), 25)
        steps.append(
            (
                day,
                2,
                _call(
                    app.record,
                    fund_id,
                    "pay_stipend",
                    actor=keeper,
                    occurred_on=day,
                    amount_fen=STIPEND_FEN,
                    person_id=secretary,
                    months=[month],
                    handled_by=demo.people["cashier"],
                    doc_refs=[f"补贴签收{month}"],
                ),
            )
        )
        month = period_of(date(day.year + day.month // 12, day.month % 12 + 1, 1))
    return steps


def _activity_reversal_steps(app: Ledger, demo: Demo) -> list[Step]:
    fund_id, keeper = demo.funds["activity1"], demo.people["bookkeeper"]
    day = date(2024, 5, 20)
    holder: dict[str, str] = {}

    def wrong() -> None:
        holder["no"] = app.record(
            fund_id,
            "pay_expense",
            actor=keeper,
            occurred_on=day,
            amount_fen=12_000,
            category="study_materials",
            payee="新华书店",
            handled_by=demo.people["secretary1"],
            approved_by=demo.people["community_secretary"],
            doc_refs=["发票2024-XH"],
            memo="学习资料（重复登记）",
            public_summary="购置学习资料",
        )["voucher_no"]

    def reverse() -> None:
        app.reverse_entry(
            fund_id,
            actor=keeper,
            voucher_no=holder["no"],
            occurred_on=day,
            reason="同一张发票重复登记",
        )

    return [(day, 4, wrong), (day, 5, reverse)]


def _special_steps(app: Ledger, demo: Demo) -> list[Step]:
    keeper, people = demo.people["bookkeeper"], demo.people
    venue, wall = demo.funds["venue"], demo.funds["wall"]
    steps: list[Step] = [
        (
            date(2019, 5, 6),
            1,
            _call(
                app.record,
                venue,
                "receive_grant",
                actor=keeper,
                occurred_on=date(2019, 5, 6),
                amount_fen=SPECIAL_FUND_FEN,
                grant_kind="special_project",
                grantor_name="红星街道党工委",
                purpose="党群活动阵地建设",
                doc_refs=["街党工委〔2019〕12号"],
            ),
        )
    ]
    purchases = [
        (date(2019, 6, 3), "办公桌", 1_200_000, "家具城"),
        (date(2019, 6, 3), "椅子", 800_000, "家具城"),
        (date(2019, 6, 18), "电脑", 650_000, "电脑城"),
        (date(2019, 6, 18), "打印机", 230_000, "电脑城"),
        (date(2019, 7, 2), "饮水机", 120_000, "家电商场"),
        (date(2019, 7, 9), "沙发", 980_000, "家具城"),
    ]
    for day, item, amount, payee in purchases:
        pay = _call(
            app.record,
            venue,
            "pay_expense",
            actor=keeper,
            occurred_on=day,
            amount_fen=amount,
            category="venue_equipment",
            payee=payee,
            handled_by=people["cashier"],
            approved_by=people["community_secretary"],
            doc_refs=[f"发票-{item}"],
            memo=f"购置{item}",
            public_summary=f"购置{item}",
        )
        steps.append((day, 2, _bought(app, demo, pay, day, item, amount)))
    steps.append(
        (
            date(2022, 5, 16),
            1,
            _call(
                app.record,
                wall,
                "receive_donation",
                actor=keeper,
                occurred_on=date(2022, 5, 16),
                amount_fen=800_000,
                donor_kind="partner_unit",
                donor_name="共建单位阳光物业公司",
                publish_donor_name=True,
                doc_refs=["共建协议2022-03", "收据WX2022-01"],
            ),
        )
    )
    steps.append(
        (
            date(2022, 6, 20),
            2,
            _call(
                app.record,
                wall,
                "pay_expense",
                actor=keeper,
                occurred_on=date(2022, 6, 20),
                amount_fen=765_000,
                category="wall_repair",
                payee="市政维修队",
                handled_by=people["cashier"],
                approved_by=people["community_secretary"],
                doc_refs=["发票-围墙修缮", "验收单"],
                memo="小区围墙修缮",
                public_summary="小区围墙修缮",
            ),
        )
    )
    steps.append((date(2023, 9, 12), 1, _partner_paid_directly(app, demo)))
    peace = demo.funds["peace_activity"]
    steps.append(
        (
            date(2023, 4, 10),
            1,
            _call(
                app.record,
                peace,
                "receive_grant",
                actor=keeper,
                occurred_on=date(2023, 4, 10),
                amount_fen=200_000,
                grant_kind="fiscal",
                grantor_name="红星街道党工委",
                purpose="街道党建经费",
                doc_refs=["街党工委〔2023〕5号"],
            ),
        )
    )
    return steps


def _bought(
    app: Ledger, demo: Demo, pay: Callable[[], Any], day: date, item: str, fen: int
) -> Callable[[], Any]:
    """Pay for an item of the special fund, then enter it in the community's asset register
    (ADR 0140): the notice lists what the fund bought; no figure of the books changes."""

    def step() -> None:
        voucher_no = pay()["voucher_no"]
        app.register_asset(
            demo.orgs["sunshine"],
            actor=demo.people["bookkeeper"],
            acquired_on=day,
            source="purchase",
            fund_id=demo.funds["venue"],
            voucher_no=voucher_no,
            value_fen=fen,
            public_name=item,
            keeper_person_id=demo.people["cashier"],
            place="党群服务中心活动室",
        )

    return step


def _partner_paid_directly(app: Ledger, demo: Demo) -> Callable[[], Any]:
    """The partner unit paid the painters of the activity room itself: a gift in kind of that
    service, at the value of its receipt; no fund's cash or bank moves."""
    return _call(
        app.receive_in_kind,
        demo.orgs["sunshine"],
        actor=demo.people["bookkeeper"],
        received_on=date(2023, 9, 12),
        kind="service",
        value_fen=300_000,
        donor_kind="partner_unit",
        donor_name="共建单位阳光物业公司",
        public_summary="共建单位直接支付党群服务中心活动室粉刷",
        description="物业公司直接付款给粉刷队，附对方付款凭证复印件",
        supplier="粉刷队",
        fund_id=demo.funds["venue"],
        evidence_refs=["物业公司来函2023-09", "付款凭证复印件"],
    )


def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], Any]:
    return lambda: fn(*args, **kwargs)

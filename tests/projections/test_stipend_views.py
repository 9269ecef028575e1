"""The stipend schedule view against the aggregates' own reckoning (``Organisation.months_due``
minus ``Fund.stipend_months``): a term ending in November, months paid, one payment reversed
(its month due again), on both stores and through a rebuild."""

from __future__ import annotations

from datetime import date

from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import queries, runner

ACTOR = "bookkeeper-1"


def test_the_schedule_view_equals_the_aggregates_months_due_less_months_paid(open_ledger, database_url):
    app = open_ledger(today=date(2025, 1, 10))
    branch = app.register_organisation(
        actor=ACTOR, kind="branch", name_zh="第一支部", established_on=date(2020, 1, 1)
    )["org_id"]
    secretary = app.register_person(actor=ACTOR, name_zh="郑德明")["person_id"]
    app.change_organisation(
        branch,
        "appoint",
        actor=ACTOR,
        person_id=secretary,
        role="secretary",
        from_date=date(2024, 6, 1),
        term_end=date(2024, 11, 30),
    )
    fund = app.establish_fund(
        actor=ACTOR,
        owner_org_id=branch,
        kind="activity",
        name_zh="活动经费",
        allowed_purposes=["activities"],
        custody={"kind": "cash_box"},
        established_on=date(2024, 6, 1),
        policy={"stipends_allowed": True},
    )["fund_id"]
    app.record(
        fund,
        "receive_grant",
        actor=ACTOR,
        occurred_on=date(2024, 6, 2),
        amount_fen=200_000,
        grant_kind="fiscal",
        grantor_name="老干部局",
        doc_refs=["拨款"],
    )
    app.change_organisation(
        branch,
        "set_stipend_terms",
        actor=ACTOR,
        person_id=secretary,
        role="secretary",
        monthly_fen=30_000,
        from_month="2024-07",
        fund_id=fund,
    )
    paid = {}
    for month in ("2024-07", "2024-08", "2024-09"):
        paid[month] = app.record(
            fund,
            "pay_stipend",
            actor=ACTOR,
            occurred_on=date(2024, 10, 5),
            amount_fen=30_000,
            person_id=secretary,
            months=[month],
            handled_by="出纳",
            doc_refs=["签收"],
        )["voucher_no"]
    app.reverse_entry(
        fund, actor=ACTOR, voucher_no=paid["2024-08"], occurred_on=date(2024, 10, 6), reason="重复"
    )

    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        [row] = queries.stipend_schedule(views, through="2025-01")
        org, book = app.organisation(branch), app.fund(fund)
        terms = org.stipend_terms(secretary, "secretary", fund)
        expected_due = org.months_due(terms, "2025-01")
        expected_unpaid = [m for m in expected_due if m not in book.stipend_months[secretary]]

        assert row.months_due == expected_due == ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11"]
        assert row.months_unpaid == expected_unpaid == ["2024-08", "2024-10", "2024-11"]
        before = views.digest()
        views.reset()
        runner.catch_up(views)
        assert views.digest() == before
    finally:
        views.close()

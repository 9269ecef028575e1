"""The statement model: the worked example (docs/concepts/practice.md) cell by cell, totals equal to the
ledger's (R33), privacy for the public and for members (R34), reversals as their own rows
(R35), provisional until closed, and the seal once the period's close carries one."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.config import DEFAULT_PUBLIC_BASE_URL
from ledger.domain import errors
from ledger.domain.money import format_amount
from ledger.exports import statement as board
from ledger.exports.html import check_url, qr_svg, render_html
from ledger.projections import queries, runner
from tests.exports.conftest import pay

# the worked example, with the group rows' vouchers as the ledger numbers them (see conftest), and the lines
# about a person as the board prints them since issue 16: the category and the masked name, never
# the memo (the paper example's 慰问因病住院党员 … were free text; ADR 0080).
WORKED_EXAMPLE = [
    (None, "2024-07-01", "—", "上期结余", None, None, "6,842.50", "", ""),
    (
        1,
        "2024-07-01",
        "202407-001等36张",
        "“七一”党员捐献（第一党支部，36人）",
        "1,820.00",
        None,
        "8,662.50",
        "周建国",
        "",
    ),
    (
        2,
        "2024-07-01",
        "202407-037等41张",
        "“七一”党员捐献（第二党支部，41人）",
        "2,050.00",
        None,
        "10,712.50",
        "周建国",
        "",
    ),
    (
        3,
        "2024-07-12",
        "202407-078",
        "共建单位××物业公司捐赠",
        "2,000.00",
        None,
        "12,712.50",
        "周建国",
        "社会捐赠",
    ),
    (
        4,
        "2024-07-20",
        "202407-079",
        "困难党员救助 王*明（第一党支部）",
        None,
        "500.00",
        "12,212.50",
        "李秀兰",
        "",
    ),
    (
        5,
        "2024-08-05",
        "202408-001",
        "困难党员救助 陈*英（第三党支部）",
        None,
        "800.00",
        "11,412.50",
        "李秀兰",
        "",
    ),
    (
        6,
        "2024-08-18",
        "202408-002",
        "困难党员救助 赵*（第二党支部）",
        None,
        "1,000.00",
        "10,412.50",
        "李秀兰",
        "",
    ),
    (7, "2024-09-10", "202409-001", "银行存款利息", "6.35", None, "10,418.85", "周建国", ""),
    (
        8,
        "2024-09-14",
        "202409-002",
        "中秋走访慰问高龄困难党员8人",
        None,
        "1,600.00",
        "8,818.85",
        "李秀兰",
        "",
    ),
    (None, None, "", "本期合计", "5,876.35", "3,900.00", None, "", ""),
    (None, None, "", "本期结余", None, None, "8,818.85", "", "其中银行存款8,818.85，库存现金0.00"),
]
CAPITALS = [
    ("capital_opening", "人民币陆仟捌佰肆拾贰元伍角整"),
    ("capital_income", "人民币伍仟捌佰柒拾陆元叁角伍分"),
    ("capital_expense", "人民币叁仟玖佰元整"),
    ("capital_closing", "人民币捌仟捌佰壹拾捌元捌角伍分"),
]


def _shown(line: board.Line) -> tuple:
    def money(fen):
        return None if fen is None else format_amount(fen)

    return (
        line.no,
        line.day,
        line.voucher,
        line.summary,
        money(line.income_fen),
        money(line.expense_fen),
        money(line.balance_fen),
        line.handler,
        line.note,
    )


def test_the_worked_example_of_the_domain_is_reproduced_cell_by_cell(example, caught_up):
    st = board.build(caught_up, example.fund, "2024-Q3")

    assert [_shown(line) for line in st.lines] == WORKED_EXAMPLE
    assert st.capitals() == CAPITALS
    assert st.title("zh") == "中共××街道××社区委员会 党员互助基金收支情况公示（2024年第三季度）"
    assert (st.posting_from, st.posting_to) == (date(2024, 10, 14), date(2024, 10, 20))
    assert st.signatures == {"bookkeeper": "孙××", "cashier": "周建国", "reviewer": "吴××", "leader": "郑××"}
    assert st.provisional is False


def test_the_worked_example_page_shows_the_footer_and_objection_text(example, caught_up):
    page = render_html(board.build(caught_up, example.fund, "2024-Q3"))

    for text in ("会计：孙××", "出纳：周建国", "审核：吴××", "负责人（书记）：郑××", "2024年10月14日"):
        assert text in page
    assert "公示期：2024年10月14日至2024年10月20日" in page
    assert "公示单位：中共××街道××社区委员会（盖章）" in page
    assert "可署名亦可匿名；我们将在10日内予以答复" in page


def _balance(views, fund_id: str, day: date) -> queries.FundBalance:
    """The ledger's balances as of ``day`` (zero before the fund was established)."""
    found = [b for b in queries.fund_balances(views, as_of=day) if b.fund_id == fund_id]
    return found[0] if found else queries.FundBalance(fund_id, "", "", "", 0, 0, 0, 0, 0)


@pytest.mark.parametrize("period", ["2024-07", "2024-08", "2024-09", "2024-Q3", "2024"])
def test_statement_totals_equal_the_ledgers_for_months_quarters_and_years(example, caught_up, period):
    st = board.build(caught_up, example.fund, period)
    start, end = st.start, st.end
    before = _balance(caught_up, example.fund, date.fromordinal(start.toordinal() - 1))
    after = _balance(caught_up, example.fund, end)

    assert st.opening_fen == before.balance_fen
    assert st.closing_fen == after.balance_fen
    assert st.income_fen == after.income_fen - before.income_fen
    assert st.expense_fen == after.expense_fen - before.expense_fen
    entries = [line for line in st.lines if line.no is not None]
    assert sum(line.income_fen or 0 for line in entries) == st.income_fen
    assert sum(line.expense_fen or 0 for line in entries) == st.expense_fen
    assert (entries[-1].balance_fen if entries else st.opening_fen) == st.closing_fen
    assert st.bank_fen + st.cash_fen == st.closing_fen


def test_public_statement_never_shows_an_unconsenting_recipients_full_name(example, caught_up):
    page = render_html(board.build(caught_up, example.fund, "2024-Q3"))

    for name in ("王小明", "陈秀英", "赵四", "党员100号", "党员240号"):
        assert name not in page
    assert "王*明" in page


def test_internal_board_names_members_with_internal_consent_and_not_the_others(example, caught_up):
    example.app.change_person(
        example.people["wang"], "change_consent", actor="seed", public_notice=False, internal_notice=True
    )
    runner.catch_up(caught_up)

    internal = board.build(caught_up, example.fund, "2024-Q3", audience=board.INTERNAL)
    public = board.build(caught_up, example.fund, "2024-Q3")

    summaries = " ".join(line.summary for line in internal.lines)
    assert "困难党员救助 王小明（第一党支部）" in summaries
    assert "陈秀英" not in summaries and "赵四" not in summaries  # no internal consent
    assert "王小明" not in " ".join(line.summary for line in public.lines)


def test_recipients_of_a_category_with_fewer_than_three_are_not_broken_out_by_name(example, caught_up):
    st = board.build(caught_up, example.fund, "2024-08")

    summaries = [line.summary for line in st.lines]
    assert summaries.count("困难党员救助") == 2  # the category only: never the internal memo
    assert not any("陈*英" in s or "赵*" in s or "第三党支部" in s for s in summaries)


def test_a_donor_who_consented_is_named_and_the_others_stay_grouped(example, caught_up):
    donor = example.people["chen"]
    example.app.record(
        example.fund,
        "receive_donation",
        actor="seed",
        occurred_on=date(2024, 10, 8),
        amount_fen=10_000,
        donor_kind="member",
        donor_person_id=donor,
        publish_donor_name=True,
        doc_refs=["收据"],
    )
    example.app.record(
        example.fund,
        "receive_donation",
        actor="seed",
        occurred_on=date(2024, 10, 8),
        amount_fen=20_000,
        donor_kind="member",
        donor_person_id=example.people["wang"],
        doc_refs=["收据"],
    )
    runner.catch_up(caught_up)

    summaries = [line.summary for line in board.build(caught_up, example.fund, "2024-10").lines]

    assert "党员捐献 陈秀英（第三党支部）" in summaries
    assert "党员捐献（第一党支部，1人）" in summaries


def test_a_reversal_stays_its_own_row_with_a_minus_and_without_its_reason(example, caught_up):
    voucher = pay(example, date(2024, 10, 9), 30_000, "救助生活困难党员", person=example.people["chen"])
    example.app.reverse_entry(
        example.fund,
        actor="seed",
        voucher_no=voucher,
        occurred_on=date(2024, 10, 10),
        reason="重复支付，私人原因",
    )
    runner.catch_up(caught_up)

    st = board.build(caught_up, example.fund, "2024-10")

    reversal = [line for line in st.lines if line.kind == "reversal"]
    assert [(r.summary, r.expense_fen) for r in reversal] == [("冲销10月9日202410-001号凭证", -30_000)]
    assert st.expense_fen == 0
    assert "私人原因" not in render_html(st)


def test_an_open_period_is_marked_provisional_and_has_no_posting_window(example, caught_up):
    st = board.build(caught_up, example.fund, "2024-10")

    assert st.provisional is True
    assert st.posting_from is None
    assert 'id="provisional"' in render_html(st)


def test_a_period_closed_through_the_ledger_is_sealed_with_the_chain_head_it_recorded(example, caught_up):
    st = board.build(caught_up, example.fund, "2024-Q3")

    (chain_hash,) = caught_up.fetch("SELECT hash FROM v_chain WHERE position = ?", (st.seal.position,))[0]
    assert st.seal.hash == chain_hash
    assert st.seal.fingerprint in render_html(st)


def test_a_closed_period_without_a_seal_says_not_sealed_yet(example, caught_up):
    # Closes now carry the chain head (issue 6); a close recorded without one is written as its
    # view row would be.
    with caught_up.backend.write() as cur:
        cur.execute(
            caught_up.backend.sql(
                "UPDATE v_period_close SET seal_position = NULL, seal_hash = NULL "
                "WHERE fund_id = ? AND period = ?"
            ),
            (example.fund, "2024-09"),
        )
    page = render_html(board.build(caught_up, example.fund, "2024-Q3"))

    assert "尚未封存" in page and "not sealed yet" in page
    assert "<svg" not in page


def test_a_sealed_period_shows_the_fingerprint_and_its_qr_code(example, caught_up):
    # a seal written straight into the view row, to pin how a given fingerprint is rendered
    seal_hash = "9f2c4e1ab37d5c60" + "ab" * 24
    with caught_up.backend.write() as cur:
        cur.execute(
            caught_up.backend.sql(
                "UPDATE v_period_close SET seal_position = ?, seal_hash = ? WHERE fund_id = ? AND period = ?"
            ),
            (4242, seal_hash, example.fund, "2024-09"),
        )

    st = board.build(caught_up, example.fund, "2024-Q3")
    page = render_html(st)

    assert st.seal == board.Seal(4242, seal_hash)
    assert st.seal.fingerprint == "9f2c4e1ab37d5c60"
    assert "9f2c4e1ab37d5c60" in page and seal_hash not in page
    assert qr_svg(check_url(st, DEFAULT_PUBLIC_BASE_URL)) in page  # the check page's URL (issue 16)
    assert f"{DEFAULT_PUBLIC_BASE_URL}/check/9f2c4e1ab37d5c60/2024-Q3" in page
    assert "尚未封存" not in page


def test_a_statement_of_an_unknown_fund_is_fund_not_found(caught_up):
    with pytest.raises(errors.FundNotFound):
        board.build(caught_up, "no-such-fund", "2024-Q3")


def test_a_statement_of_a_malformed_period_is_period_invalid(example, caught_up):
    with pytest.raises(errors.PeriodInvalid):
        board.build(caught_up, example.fund, "2024-Q5")


def test_a_reversed_aid_payment_shows_in_the_month_it_is_posted_and_the_recipient_stays_masked(
    example, caught_up
):
    """R35 and ADR 0033: the payment stays on October's notice; November's carries the red-ink
    line and the payment made again, the recipient masked as before, never the reason."""
    app = example.app
    approver = app.register_user(actor="seed", person_id=example.people["secretary"])["user_id"]
    app.change_role(approver, "grant", actor="seed", role="approver", org_id=example.orgs["community"])
    case = app.apply_for_aid(
        actor="seed",
        fund_id=example.fund,
        beneficiary_person_id=example.people["chen"],
        applicant_person_id=example.people["chen"],
        aid_kind="hospitalisation",
        requested_fen=20_000,
        reason_private="住院",
        reason_public_category="慰问因病住院党员",
        evidence_refs=["发票"],
    )["case_id"]
    app.today = lambda: date(2024, 10, 20)
    app.sign_aid_case(case, actor=approver)
    app.today = lambda: date(2024, 11, 5)
    paid = app.pay_aid_case(case, actor="seed", paid_on=date(2024, 10, 28), doc_refs=["签收单"])["voucher_no"]
    app.reverse_entry(
        example.fund,
        actor="seed",
        voucher_no=paid,
        occurred_on=date(2024, 11, 3),
        reason="金额错付，私人原因",
    )
    again = app.pay_aid_case(case, actor="seed", paid_on=date(2024, 11, 4), doc_refs=["签收单"])["voucher_no"]
    runner.catch_up(caught_up)

    october = board.build(caught_up, example.fund, "2024-10")
    november = board.build(caught_up, example.fund, "2024-11")

    assert [(line.voucher, line.expense_fen) for line in october.lines if line.kind == "entry"][-1] == (
        "202410-001",
        20_000,
    )
    assert october.expense_fen == 20_000  # history is not rewritten
    rows = [
        (line.kind, line.summary, line.expense_fen)
        for line in november.lines
        if line.kind in ("entry", "reversal")
    ]
    assert rows == [
        ("reversal", "冲销10月28日202410-001号凭证", -20_000),
        ("entry", "慰问因病住院党员", 20_000),  # the public category; one masked recipient: no name
    ]
    assert again == "202411-002" and november.expense_fen == 0
    page = render_html(november) + render_html(october)
    assert "陈秀英" not in page and "私人原因" not in page
    assert queries.aid_case(caught_up, case)["voucher_no"] == again

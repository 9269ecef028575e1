"""The bulk import decides every row as the same rows imported one at a time would (issue 20
item 4): the same rows accepted with the same voucher numbers, the same rows refused with the
same code and message, the same rows skipped as already imported, the same balances in the
funds and the same lines in the views; and a file with any bad row is refused whole.

Generated books mix donations, expenses, cash moves and transfers between two funds, dated out
of order (so the running balance of every day counts, not only the last), with overdrafts,
wrong running balances, a signer approving their own expense, control characters, impossible
dates, unknown kinds and rows repeated within the file.
"""

from __future__ import annotations

import csv
import itertools
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application.bootstrap import build_views
from ledger.application.bulk_import import read_file
from ledger.config import Settings
from ledger.projections import queries, runner

ACTOR = "digitiser"
HEADER = ["基金", "类别", "日期", "凭证号", "摘要", "收入", "支出", "余额", "经办人", "审批人", "对方"]
HEADER += ["用途", "转入基金", "决议"]
_sets = itertools.count()

ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "fund": st.sampled_from([0, 1]),
            "kind": st.sampled_from(["捐款", "捐款", "支出", "存现", "取现", "转出", "拨款", "利息", "捐赠"]),
            "day": st.sampled_from(["2024-03-01", "2024-03-05", "2024-03-09", "2024-04-02", "2024-02-30"]),
            "fen": st.sampled_from([1, 50, 1000, 2550, 9999]),
            "summary": st.sampled_from(["居民捐款", "购买茶叶", "坏\x07字"]),
            "signers": st.sampled_from([("李四", "王五"), ("李四", "李四")]),
            "balance": st.none() | st.sampled_from([0, 1000, 2550]),
            "voucher": st.integers(1, 6),
            "again": st.sampled_from([False, False, False, True]),  # the row twice in the file
        }
    ),
    min_size=1,
    max_size=14,
)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _cells(row: dict, names: list[str]) -> list[str]:
    kind, money = row["kind"], _yuan(row["fen"])
    out = kind in ("支出", "转出")
    handled, approved = row["signers"] if kind == "支出" else ("", "")
    return [
        names[row["fund"]],
        kind,
        row["day"],
        f"记-{row['voucher']}",
        row["summary"],
        "" if out else money,
        money if out else "",
        "" if row["balance"] is None else _yuan(row["balance"]),
        handled,
        approved,
        "超市" if kind == "支出" else "张大爷",
        "activities" if kind == "支出" else "",
        names[1 - row["fund"]] if kind == "转出" else "",
        "支委会决议" if kind == "转出" else "",
    ]


def _funds(ledger, org: str) -> list[str]:
    """Two fresh activity funds (names unique in the store), cash box and bank account."""
    n = next(_sets)
    names = [f"基金{n}-{i}" for i in range(2)]
    for name in names:
        ledger.establish_fund(
            actor=ACTOR,
            owner_org_id=org,
            kind="activity",
            name_zh=name,
            allowed_purposes=["activities"],
            custody={"kind": "cash_box", "ref": "box-1"},
            established_on=date(2024, 1, 1),
        )
    return names


def _book(tmp_path, rows: list[dict], names: list[str]):
    path = tmp_path / f"{names[0]}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerows([_cells(row, names)] * (2 if row["again"] else 1))
    return read_file(path)


def _decisions(result) -> tuple:
    """What an import decided, row by row (line numbers; voucher numbers; codes and messages)."""
    return (
        [(line, voucher) for line, _, voucher in result.accepted],
        [(line, error.code, error.message) for line, error in result.rejected],
        list(result.already_imported),
    )


def _state(ledger, views, names: list[str]) -> list:
    """Each fund's balances as the aggregate holds them and as the views show them, and its
    journal lines (what identifies a fund or a request left out)."""
    by_name = {b.name_zh: b for b in queries.fund_balances(views)}
    state = []
    for name in names:
        balance = by_name[name]
        fund = ledger.fund(balance.fund_id)
        lines = queries.journal(views, balance.fund_id, page_size=100).rows
        shown = ("voucher_no", "occurred_on", "entry_kind", "income_fen", "expense_fen", "cash_fen")
        shown += ("bank_fen", "balance_fen", "counterparty", "memo", "handled_by", "category")
        state.append(
            (
                dict(fund.balances_fen),
                (balance.income_fen, balance.expense_fen, balance.cash_fen, balance.bank_fen),
                [{key: line[key] for key in shown} for line in lines],
            )
        )
    return state


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_a_bulk_import_decides_every_row_as_importing_the_rows_one_by_one_does(
    database_url, ledger, tmp_path, rows
):
    org = ledger.register_organisation(
        actor=ACTOR, kind="branch", name_zh=f"支部{next(_sets)}", established_on=date(2010, 1, 1)
    )["org_id"]
    bulk_names, single_names, whole_names = _funds(ledger, org), _funds(ledger, org), _funds(ledger, org)

    bulk = ledger.import_rows(_book(tmp_path, rows, bulk_names), actor=ACTOR, skip_invalid=True)
    singles = [ledger.import_rows([row], actor=ACTOR) for row in _book(tmp_path, rows, single_names)]
    one_by_one: tuple[list, list, list] = ([], [], [])
    for single in singles:
        for decided, part in zip(one_by_one, _decisions(single), strict=True):
            decided.extend(part)
    assert _decisions(bulk) == one_by_one

    before = ledger.recorder.max_notification_id()
    whole = ledger.import_rows(_book(tmp_path, rows, whole_names), actor=ACTOR)
    assert whole.written == (not bulk.rejected and bool(bulk.accepted))
    if bulk.rejected:  # one bad row: nothing of the file is written, every bad row named
        assert ledger.recorder.max_notification_id() == before
        assert _decisions(whole)[1] == _decisions(bulk)[1]

    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        assert _state(ledger, views, bulk_names) == _state(ledger, views, single_names)
    finally:
        views.close()

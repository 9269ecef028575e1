"""The noticeboard over random histories (the views' property world: donations, payments,
stipends, transfers, reversals, cash moves, member transfers, closes): for every fund and every
month, quarter and year, the statement's lines add up to the ledger's totals (R33), the running
balance ends at the closing balance, the CSV carries the same amounts, and no member's full name
appears on the public board (none of them consented), nor any phone, ID or card number."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings

from ledger.domain.money import parse_amount
from ledger.domain.public_text import private_number_kind
from ledger.exports import formats
from ledger.exports import statement as board
from ledger.projections import queries
from tests.conftest import is_postgres
from tests.properties.test_views_properties import PERIODS, QUICK, histories, world

BOARD_SETTINGS = settings(max_examples=10 if is_postgres() else 25, **QUICK)


@BOARD_SETTINGS
@given(history=histories)
def test_statements_add_up_to_the_ledger_and_name_no_one_when_random_histories_are_recorded(
    store_templates, history
):
    with world(store_templates, history) as w:
        names = [row[0] for row in w.store.fetch("SELECT name_zh FROM v_person")]
        for fund in w.funds:
            for period in PERIODS:
                view = queries.statement(w.store, fund, period)
                st = board.build(w.store, fund, period)
                entries = [line for line in st.lines if line.no is not None]

                assert (st.opening_fen, st.income_fen, st.expense_fen, st.closing_fen) == (
                    view.opening_fen,
                    view.income_fen,
                    view.expense_fen,
                    view.closing_fen,
                )
                assert sum(line.income_fen or 0 for line in entries) == view.income_fen
                assert sum(line.expense_fen or 0 for line in entries) == view.expense_fen
                assert (entries[-1].balance_fen if entries else view.opening_fen) == view.closing_fen
                assert st.provisional is not view.closed
                shown = " ".join(f"{line.summary} {line.note}" for line in st.lines)
                assert [name for name in names if name in shown] == []
                assert private_number_kind(shown) is None  # no phone, ID or card number (issue 16)
                published = formats.to_json(st).decode()
                assert all(line.summary in published for line in st.lines if line.kind == "entry")
                rows = list(csv.reader(io.StringIO(formats.to_csv(st).decode("utf-8-sig"))))
                csv_income = sum(
                    parse_amount(r[4], allow_negative=True) for r in rows[2 : 1 + len(entries) + 1] if r[4]
                )
                assert csv_income == view.income_fen

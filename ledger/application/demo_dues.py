"""The demo's year of Party dues for one branch (ADR 0160): 2023 for 第一离退休党支部.

Each member's pension base is declared from January (3,000.00 up, so the 2008 table gives 15.00
to 61.50 a month); each pays a quarter in the quarter's last month, a few with a voluntary
extra; one payment entered ten times too large is reversed and entered again; the branch hands
everything up to the community committee after each quarter; in April 2024 the committee's
rebate for 2023 is checked against the 8% share the branch was told of. Nothing here touches a
fund: the rebate's money is the activity fund's existing grant of that day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ledger.application.ledger import Ledger
from ledger.domain.dues_rates import TABLE_2008, standard_fen

YEAR = 2023
REBATE_SHARE_BP = 800
REBATE_FEN = 150_000  # the activity fund's dues rebate grant of 2024-04-10
QUARTERS = (
    (3, ("01", "02", "03")),
    (6, ("04", "05", "06")),
    (9, ("07", "08", "09")),
    (12, ("10", "11", "12")),
)
Step = tuple[date, int, Callable[[], Any]]


def base_fen(k: int) -> int:
    return 300_000 + 5_000 * k


class _Year:
    def __init__(self, app: Ledger, branch: str, keeper: str) -> None:
        self.app, self.branch, self.keeper = app, branch, keeper
        self.steps: list[Step] = []
        self.payments = 0  # D2023-001 … in the order entered

    def at(self, day: date, fn: Callable[..., Any], **kwargs: Any) -> None:
        self.steps.append((day, 4, lambda: fn(self.branch, actor=self.keeper, **kwargs)))

    def pay(self, day: date, person: str, months: tuple[str, ...], amount: int) -> str:
        self.payments += 1
        number = f"D{YEAR}-{self.payments:03d}"
        self.at(
            day,
            self.app.pay_dues,
            person_id=person,
            months=[f"{YEAR}-{m}" for m in months],
            amount_fen=amount,
            paid_on=day,
            receipt_ref=f"党费收据{number}",
        )
        return number


def dues_steps(app: Ledger, branch: str, members: list[str], keeper: str) -> list[Step]:
    """The branch's dues commands of the year, each on its business date."""
    year = _Year(app, branch, keeper)
    january = date(YEAR, 1, 3)
    year.at(
        january,
        app.configure_dues,
        from_month=f"{YEAR}-01",
        rebate_share_bp=REBATE_SHARE_BP,
        decision_ref="社区党委关于党费返还比例的通知",
    )
    standards = []
    for k, person in enumerate(members):
        year.at(
            january,
            app.declare_dues_base,
            person_id=person,
            from_month=f"{YEAR}-01",
            category="retired",
            base_fen=base_fen(k),
        )
        standards.append(standard_fen(TABLE_2008, "retired", base_fen(k), None))
    for month, months in QUARTERS:
        day, held = date(YEAR, month, 5), 0
        for k, person in enumerate(members):
            amount = 3 * standards[k] + (10_000 if k % 20 == 7 and month == 6 else 0)  # 自愿多交
            if k == 11 and month == 9:  # entered ten times too large, reversed, entered again
                wrong = year.pay(day, person, months, amount * 10)
                year.at(
                    day, app.reverse_dues_payment, payment_no=wrong, reversed_on=day, reason="金额多录一位"
                )
            year.pay(day, person, months, amount)
            held += amount
        year.at(
            date(YEAR, month, 25),
            app.hand_up_dues,
            handed_on=date(YEAR, month, 25),
            amount_fen=held,
            receipt_ref=f"党费上缴回单{YEAR}-{month:02d}",
        )
    year.at(
        date(YEAR + 1, 4, 10),
        app.receive_dues_rebate,
        received_on=date(YEAR + 1, 4, 10),
        amount_fen=REBATE_FEN,
        period_from=f"{YEAR}-01",
        period_to=f"{YEAR}-12",
        decision_ref=f"党费返还通知{YEAR}",
    )
    return year.steps

"""The public noticeboard: a sealed notice or a month's statement that does not exist, a board busy
rendering.
"""

from __future__ import annotations

from ledger.domain.errors.base import NotFound, Unavailable, leaf

CheckNotFound = leaf(
    NotFound,
    "check_not_found",
    "没有找到封存指纹为 {fingerprint} 的公示：请核对二维码或指纹是否完整",
    "No notice is sealed with the fingerprint {fingerprint}: check that the code was read whole.",
)
StatementPeriodOutOfRange = leaf(
    NotFound,
    "statement_period_out_of_range",
    "该基金在 {period} 没有收支公示（基金成立于 {established_on}，今天是 {today}）",
    "The fund has no statement for {period} (established on {established_on}; today is {today}).",
)
BoardBusy = leaf(
    Unavailable,
    "board_busy",
    "公示栏正忙于生成其他文件，请 {retry_after_s} 秒后再试",
    "The noticeboard is busy rendering other files; try again in {retry_after_s} seconds.",
)

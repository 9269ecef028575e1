"""The public noticeboard: a sealed notice or a month's statement that does not exist, a board busy
rendering.
"""

from __future__ import annotations

from ledger.domain.errors.base import InvalidRequest, NotFound, Unavailable, leaf

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
StatementCursorInvalid = leaf(
    InvalidRequest,
    "statement_cursor_invalid",
    "翻页参数 after 无效：{cursor}（请使用上一页答复中的 next 链接，或从第一页重新开始）",
    "The page cursor 'after' is not valid: {cursor} (follow the 'next' link of the previous page,"
    " or start again from the first page).",
)
BoardBusy = leaf(
    Unavailable,
    "board_busy",
    "公示栏正忙于生成其他文件，请 {retry_after_s} 秒后再试",
    "The noticeboard is busy rendering other files; try again in {retry_after_s} seconds.",
)

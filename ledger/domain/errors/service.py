"""Requests and this server: idempotency, concurrency, a read-only replica, the views' position, an
empty store for init, history queries, and a body that is not JSON (ADR 0064).
"""

from __future__ import annotations

from ledger.domain.errors.base import (
    Conflict,
    InvalidRequest,
    LedgerError,
    Unauthenticated,
    Unavailable,
    leaf,
)

IdempotencyKeyReusedWithDifferentRequest = leaf(
    Conflict,
    "idempotency_key_reused_with_different_request",
    "请求编号 {request_id} 已用于另一项不同的请求",
    "Request id {request_id} was already used for a different request.",
)
ConcurrentUpdateRetryExhausted = leaf(
    Conflict,
    "concurrent_update_retry_exhausted",
    "同时有其他人在修改，请稍后重试",
    "Others kept changing the same records; try again.",
)
StoreNotEmpty = leaf(
    Conflict,
    "store_not_empty",
    "账本已有 {events} 条记录，初始化只用于空账本，未写入任何内容",
    "The store already holds {events} events; init sets up an empty store only, and wrote nothing.",
)
ReadOnlyReplica = leaf(
    Unavailable,
    "read_only_replica",
    "此服务器是只读副本（公示栏），不能登录或登记；请到主服务器办理",
    "This server is a read-only replica (the public board): no sign-in, nothing is recorded here. "
    "Use the primary server.",
)
ViewsLagging = leaf(
    Conflict,
    "views_lagging",
    "查询视图尚未更新到位置 {position}，请稍后重试",
    "The views have not reached log position {position} yet; try again shortly.",
)
MinPositionNeedsToken = leaf(
    Unauthenticated,
    "min_position_needs_token",
    "min_position（等待查询视图更新）仅供已登录的请求使用：请提供访问令牌，或去掉该参数",
    "min_position (waiting for the views) is for signed-in clients: send a bearer token or drop it.",
)
HistorySubjectRequired = leaf(
    InvalidRequest,
    "history_subject_required",
    "请给出 fund_id 或 person_id 其中之一",
    "Give exactly one of fund_id or person_id.",
)


class MalformedBody(LedgerError):
    """A body that is not JSON at all: bytes that are not UTF-8, broken syntax, or nesting
    deeper than the JSON reader follows. A body that is JSON but does not fit the schema is
    422 ``invalid_request`` instead."""

    status = 400
    code = "malformed_body"
    zh = "请求内容不是可读的 JSON（须为 UTF-8 编码、语法完整、嵌套不过深）"
    en = "The request body is not readable JSON (it must be UTF-8, well-formed and not nested too deeply)."

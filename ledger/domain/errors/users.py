"""Users, tokens, roles and signing in (the HTTP API and the console)."""

from __future__ import annotations

from ledger.domain.errors.base import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    Throttled,
    Unauthenticated,
    leaf,
)

AuthenticationRequired = leaf(
    Unauthenticated,
    "authentication_required",
    "请提供有效的访问令牌（Authorization: Bearer …）",
    "Send a valid bearer token (Authorization: Bearer …).",
)
TokenInvalid = leaf(
    Unauthenticated, "token_invalid", "访问令牌无效或已撤销", "The token is unknown or revoked."
)
RoleRequired = leaf(
    Forbidden,
    "role_required",
    "需要 {role} 角色（{org_id} 或其上级组织）",
    "This needs the {role} role for organisation {org_id} or one above it.",
)
SessionExpired = leaf(
    Unauthenticated,
    "session_expired",
    "登录已过期，请重新登录",
    "The console session has expired; sign in again.",
)
CsrfInvalid = leaf(
    Forbidden,
    "csrf_invalid",
    "表单已失效（防伪校验未通过），请重新打开页面后再提交",
    "The form's anti-forgery check failed; reopen the page and submit again.",
)
PasswordInvalid = leaf(
    Unauthenticated, "password_invalid", "登录名或密码不正确", "The login name or password is wrong."
)
SigninThrottled = leaf(
    Throttled,
    "signin_throttled",
    "登录失败次数过多，请 {retry_after_min} 分钟后再试",
    "Too many failed sign-ins; try again in {retry_after_min} minutes.",
)
PasswordTooShort = leaf(
    InvalidRequest,
    "password_too_short",
    "密码至少 {min_len} 个字符",
    "The password needs at least {min_len} characters.",
)
LoginTaken = leaf(Conflict, "login_taken", "登录名 {login} 已被他人使用", "The login name {login} is taken.")
UserNotFound = leaf(NotFound, "user_not_found", "用户不存在：{user_id}", "No user {user_id}.")
RoleAlreadyHeld = leaf(Conflict, "role_already_held", "该用户已有此角色", "The user already holds this role.")
RoleNotHeld = leaf(Conflict, "role_not_held", "该用户没有此角色", "The user does not hold this role.")
TokenNotFound = leaf(
    NotFound, "token_not_found", "该用户没有编号为 {token_id} 的令牌", "The user has no token {token_id}."
)
TokenAlreadyRevoked = leaf(
    Conflict, "token_already_revoked", "令牌 {token_id} 已撤销", "Token {token_id} is already revoked."
)
TokenExpired = leaf(
    Unauthenticated,
    "token_expired",
    "访问令牌已过期，请使用新的令牌",
    "The token has expired; use a new one.",
)
TokenExpiryInvalid = leaf(
    InvalidRequest,
    "token_expiry_invalid",
    "令牌到期时间须带时区、晚于现在，且不超过 {max_days} 天",
    "A token's expiry needs a time zone, lies in the future and at most {max_days} days ahead.",
)
UserOutsideSubtree = leaf(
    Forbidden,
    "user_outside_subtree",
    "用户 {user_id} 在您管理的组织范围之外（{org_id}），不能管理其令牌或角色",
    "User {user_id} belongs outside the organisations you administer ({org_id}); "
    "you cannot manage their tokens or roles.",
)

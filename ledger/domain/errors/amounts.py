"""Amounts refused as typed (R1): not a decimal, too many decimals, not positive, above the maximum,
capital numerals that do not read.
"""

from __future__ import annotations

from ledger.domain.errors.base import InvalidRequest, leaf

AmountInvalid = leaf(
    InvalidRequest,
    "amount_invalid",
    "金额格式不正确：{text}",
    "The amount {text!r} is not a valid amount.",
)
AmountFloatNotAllowed = leaf(
    InvalidRequest,
    "amount_float_not_allowed",
    '金额须写成字符串（如 "1680.32"），不能是数字（Python 接口用整数分）',
    'Send amounts as decimal strings such as "1680.32", not numbers (integer fen in Python).',
)
AmountTooManyDecimals = leaf(
    InvalidRequest,
    "amount_too_many_decimals",
    "金额最多两位小数（分）：{text}",
    "An amount has at most two decimals (fen): {text}.",
)
AmountMustBePositive = leaf(
    InvalidRequest,
    "amount_must_be_positive",
    "金额必须大于零",
    "The amount must be greater than zero.",
)
AmountNegative = leaf(InvalidRequest, "amount_negative", "金额不能为负数", "The amount may not be negative.")
AmountAboveMaximum = leaf(
    InvalidRequest,
    "amount_above_maximum",
    "金额超过上限 {max_yuan}",
    "The amount is above the maximum of {max_yuan}.",
)
AmountNotUnderstood = leaf(
    InvalidRequest,
    "amount_not_understood",
    "看不懂这个金额：{text}。请写成 358.50、358.5元 或 叁佰伍拾捌元伍角 这样",
    "Cannot read the amount {text!r}. Write it like 358.50, 358.5元 or 叁佰伍拾捌元伍角.",
)
CapitalNumeralInvalid = leaf(
    InvalidRequest,
    "capital_numeral_invalid",
    "人民币大写金额不正确：{text}",
    "{text!r} is not a valid amount in capital numerals.",
)

"""Texts, choices and dates refused as typed (limits, control characters, periods, source documents
R8), and the texts the public board prints that would name a person (R34).
"""

from __future__ import annotations

from ledger.domain.errors.base import InvalidRequest, leaf

TextRequired = leaf(
    InvalidRequest,
    "text_required",
    "请填写{field_name}（这一项不能空着）",
    "Please fill in {field_name}: it is required.",
)
TextTooLong = leaf(
    InvalidRequest,
    "text_too_long",
    "{field_name} 超过 {max_len} 个字符",
    "{field_name} is longer than {max_len}.",
)
ControlCharacter = leaf(
    InvalidRequest,
    "control_character",
    "{field_name} 含有不允许的控制字符 {code_point}（如 NUL）；只有多行文字可含制表符和换行",
    "{field_name} holds a control character ({code_point}, e.g. NUL) it may not hold; only multi-line "
    "texts keep tab and line breaks.",
)
TooManyItems = leaf(
    InvalidRequest,
    "too_many_items",
    "{field_name} 最多 {max_items} 项",
    "{field_name} has more than {max_items} items.",
)
DatesOutOfOrder = leaf(
    InvalidRequest,
    "dates_out_of_order",
    "{field_name} 不能早于 {earlier_field_name}",
    "{field_name} cannot be before {earlier_field_name}.",
)
ValueNotAllowed = leaf(
    InvalidRequest,
    "value_not_allowed",
    "{field_name} 的取值 {value} 不在允许范围内（{allowed}）",
    "{field_name}: {value} is not one of {allowed}.",
)
DateInvalid = leaf(
    InvalidRequest,
    "date_invalid",
    "{field_name} 不是有效日期：{value}",
    "{field_name} is not a valid date: {value}.",
)
PeriodInvalid = leaf(
    InvalidRequest,
    "period_invalid",
    "{field_name} 不是有效的会计期间（YYYY-MM）：{value}",
    "{field_name} is not a period of the form YYYY-MM: {value}.",
)
DateInFuture = leaf(
    InvalidRequest,
    "date_in_future",
    "{field_name} 日期 {date} 晚于今天 {today}",
    "{field_name} {date} is after today ({today}).",
)
SourceDocumentRequired = leaf(
    InvalidRequest,
    "source_document_required",
    "每笔收支须附至少一份原始凭证（{field_name}）",
    "Every income or expense entry needs at least one source document ({field_name}), R8.",
)
PublicTextNamesPerson = leaf(
    InvalidRequest,
    "public_text_names_person",
    "{field_name} 将在公示栏公开，不能含有未同意公示的登记人员的姓名（请只写类别，姓名由系统按规则遮蔽）",
    "{field_name} is printed on the public board and may not hold the full name of a registered "
    "person who has not consented to public notice (write the category; the board masks names).",
)
PublicTextHasPhone = leaf(
    InvalidRequest,
    "public_text_has_phone",
    "{field_name} 将在公示栏公开，不能含有手机号码",
    "{field_name} is printed on the public board and may not hold a phone number.",
)
PublicTextHasIdNumber = leaf(
    InvalidRequest,
    "public_text_has_id_number",
    "{field_name} 将在公示栏公开，不能含有身份证号码",
    "{field_name} is printed on the public board and may not hold an ID-card number.",
)
PublicTextHasBankCard = leaf(
    InvalidRequest,
    "public_text_has_bank_card",
    "{field_name} 将在公示栏公开，不能含有银行卡号",
    "{field_name} is printed on the public board and may not hold a bank-card number.",
)
PublicSummaryConcernsPerson = leaf(
    InvalidRequest,
    "public_summary_concerns_person",
    "涉及个人的款项在公示栏只显示类别和遮蔽后的姓名，不能另写公示摘要",
    "A line that pays or concerns a person is printed as its category and the masked name only; "
    "it takes no typed public summary.",
)

"""The bulk import of paper books: files, columns, rows, names, balances."""

from __future__ import annotations

from ledger.domain.errors.base import InvalidRequest, leaf

ImportFormatUnknown = leaf(
    InvalidRequest,
    "import_format_unknown",
    "无法识别的文件格式：{path}（支持 .csv 和 .jsonl）",
    "Unknown file format: {path} (use .csv or .jsonl).",
)
ImportFileNotUtf8 = leaf(
    InvalidRequest, "import_file_not_utf8", "文件不是 UTF-8 编码：{path}", "The file is not UTF-8: {path}."
)
ImportFileEmpty = leaf(InvalidRequest, "import_file_empty", "文件为空", "The file is empty.")
ImportColumnMissing = leaf(
    InvalidRequest, "import_column_missing", "缺少必需的列：{column}", "Required column missing: {column}."
)
ImportColumnUnknown = leaf(
    InvalidRequest, "import_column_unknown", "无法识别的列：{column}", "Unknown column: {column}."
)
ImportRowMalformed = leaf(
    InvalidRequest, "import_row_malformed", "此行格式错误：{detail}", "The row is malformed: {detail}."
)
ImportValueNotText = leaf(
    InvalidRequest,
    "import_value_not_text",
    '这些字段必须写成文本（金额如 "50.00"）：{column}',
    'These values must be strings (amounts like "50.00"): {column}.',
)
ImportAmountColumnWrong = leaf(
    InvalidRequest,
    "import_amount_column_wrong",
    "类别“{kind}”的金额只能填在“{column}”列",
    "A {kind} row has its amount in the {column} column only.",
)
ImportPersonUnknown = leaf(
    InvalidRequest,
    "import_person_unknown",
    "名册中找不到 {where} 的 {name}：请先登记此人（及其组织关系或职务），或在 人员编号 列写明其编号",
    "No {name} in the register of {where}: register the person (and membership or office) first, "
    "or write their id in the person_id column.",
)
ImportPersonAmbiguous = leaf(
    InvalidRequest,
    "import_person_ambiguous",
    "{where} 的 {name} 在名册中不止一人：{candidates}。请在 人员编号 列写明是哪一位",
    "{name} of {where} names more than one person in the register: {candidates}. "
    "Write the right one's id in the person_id column.",
)
ImportBalanceMismatch = leaf(
    InvalidRequest,
    "import_balance_mismatch",
    "余额与账本不符：纸质账本 {expected_yuan}，计算得 {actual_yuan}",
    "The balance does not match: the paper book says {expected_yuan}, the ledger {actual_yuan}.",
)

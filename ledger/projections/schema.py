"""The view tables, in SQL that SQLite and PostgreSQL both accept (``?`` placeholders; the
PostgreSQL store turns them into ``%s``). Every table is a fold of events; none holds a clock
or anything else that a rebuild could not reproduce byte for byte."""

from __future__ import annotations

# Bump when the fold or the tables change: a store built by another version rebuilds itself.
SCHEMA_VERSION = "8"
VIEW_NAMES = ("funds", "journal", "period_closes", "organisations", "people", "chain")

TABLES: dict[str, str] = {
    "v_fund": (
        "fund_id TEXT PRIMARY KEY, owner_org_id TEXT NOT NULL, kind TEXT NOT NULL, "
        "name_zh TEXT NOT NULL, custody_kind TEXT NOT NULL, established_on TEXT NOT NULL, "
        "allowed_purposes TEXT NOT NULL, policy TEXT NOT NULL, position BIGINT NOT NULL, "
        "income_fen BIGINT NOT NULL, expense_fen BIGINT NOT NULL, cash_fen BIGINT NOT NULL, "
        "bank_fen BIGINT NOT NULL, reserved_fen BIGINT NOT NULL"
    ),
    "v_custodian": (
        "fund_id TEXT NOT NULL, role TEXT NOT NULL, person_id TEXT NOT NULL, "
        "from_date TEXT NOT NULL, position BIGINT PRIMARY KEY"
    ),
    "v_journal": (
        # fund_no: the log position of the fund's establishment (= v_fund.position), a short
        # integer key instead of 36 characters of UUID in every row and index entry.
        "position BIGINT PRIMARY KEY, fund_no BIGINT NOT NULL, voucher_no TEXT NOT NULL, "
        "seq BIGINT NOT NULL, occurred_on TEXT NOT NULL, entry_kind TEXT NOT NULL, "
        "income_fen BIGINT NOT NULL, expense_fen BIGINT NOT NULL, cash_fen BIGINT NOT NULL, "
        "bank_fen BIGINT NOT NULL, person_id TEXT, person_role TEXT, category TEXT, "
        "reverses_voucher_no TEXT"
    ),
    "v_period_close": (
        "fund_id TEXT NOT NULL, period TEXT NOT NULL, opening_fen BIGINT NOT NULL, "
        "income_fen BIGINT NOT NULL, expense_fen BIGINT NOT NULL, closing_fen BIGINT NOT NULL, "
        "cash_fen BIGINT NOT NULL, bank_fen BIGINT NOT NULL, closed_on TEXT NOT NULL, "
        "closed_by TEXT NOT NULL, reviewed_by TEXT, seal_position BIGINT, seal_hash TEXT, "
        "position BIGINT NOT NULL, PRIMARY KEY (fund_id, period)"
    ),
    "v_org": (
        "org_id TEXT PRIMARY KEY, kind TEXT NOT NULL, branch_kind TEXT, "
        "established_on TEXT NOT NULL, position BIGINT NOT NULL, dissolved_on TEXT"
    ),
    "v_org_name": (
        "org_id TEXT NOT NULL, effective_on TEXT NOT NULL, position BIGINT NOT NULL, "
        "name_zh TEXT NOT NULL, PRIMARY KEY (org_id, position)"
    ),
    "v_org_parent": (
        "org_id TEXT NOT NULL, effective_on TEXT NOT NULL, position BIGINT NOT NULL, "
        "parent_org_id TEXT, PRIMARY KEY (org_id, position)"
    ),
    "v_office": (
        "org_id TEXT NOT NULL, person_id TEXT NOT NULL, role TEXT NOT NULL, "
        "from_date TEXT NOT NULL, term_end TEXT, position BIGINT PRIMARY KEY, to_date TEXT"
    ),
    "v_person": (
        "person_id TEXT PRIMARY KEY, name_zh TEXT NOT NULL, display_mask TEXT NOT NULL, "
        "public_notice BIGINT NOT NULL, internal_notice BIGINT NOT NULL, position BIGINT NOT NULL, "
        "deceased_on TEXT"
    ),
    "v_membership": (
        "person_id TEXT NOT NULL, org_id TEXT NOT NULL, from_date TEXT NOT NULL, to_date TEXT, "
        "position BIGINT PRIMARY KEY"
    ),
    # The hash chain (ledger/audit/chain.py): the link after each stored event.
    "v_chain": "position BIGINT PRIMARY KEY, hash TEXT NOT NULL",
}
# Every table's primary key, for dumping rows in a stable order.
ORDER_BY = {
    "v_fund": "fund_id",
    "v_custodian": "position",
    "v_journal": "position",
    "v_period_close": "fund_id, period",
    "v_org": "org_id",
    "v_org_name": "org_id, position",
    "v_org_parent": "org_id, position",
    "v_office": "position",
    "v_person": "person_id",
    "v_membership": "position",
    "v_chain": "position",
}
# Made after a rebuild's last batch (the fold keeps what reversals need in memory meanwhile).
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS v_journal_voucher ON v_journal (fund_no, voucher_no)",
    "CREATE INDEX IF NOT EXISTS v_journal_order ON v_journal (fund_no, occurred_on, seq)",
    "CREATE INDEX IF NOT EXISTS v_journal_person ON v_journal (person_id) WHERE person_id IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS v_membership_person ON v_membership (person_id)",
)
TRACKING = "v_tracking"
TRACKING_DDL = "view_name TEXT PRIMARY KEY, position BIGINT NOT NULL"
META = "v_meta"
META_DDL = "key TEXT PRIMARY KEY, value TEXT NOT NULL"

# The row operations of fold.Batch.ops, by name.
OPS: dict[str, str] = {
    "fund": "INSERT INTO v_fund VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0)",
    "custodian": "INSERT INTO v_custodian VALUES (?, ?, ?, ?, ?)",
    "period_close": "INSERT INTO v_period_close VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "org": "INSERT INTO v_org VALUES (?, ?, ?, ?, ?, NULL)",
    "org_name": "INSERT INTO v_org_name VALUES (?, ?, ?, ?)",
    "org_parent": "INSERT INTO v_org_parent VALUES (?, ?, ?, ?)",
    "org_dissolved": "UPDATE v_org SET dissolved_on = ? WHERE org_id = ?",
    "office": "INSERT INTO v_office VALUES (?, ?, ?, ?, ?, ?, NULL)",
    "office_left": (
        "UPDATE v_office SET to_date = ? WHERE org_id = ? AND person_id = ? AND role = ? AND to_date IS NULL"
    ),
    "person": "INSERT INTO v_person VALUES (?, ?, ?, ?, ?, ?, NULL)",
    "consent": "UPDATE v_person SET public_notice = ?, internal_notice = ? WHERE person_id = ?",
    "person_deceased": "UPDATE v_person SET deceased_on = ? WHERE person_id = ?",
    "membership": "INSERT INTO v_membership VALUES (?, ?, ?, ?, ?)",
    "membership_end": "UPDATE v_membership SET to_date = ? WHERE person_id = ? AND to_date IS NULL",
}
CHAIN_INSERT = "INSERT INTO v_chain VALUES (?, ?)"
JOURNAL_INSERT = "INSERT INTO v_journal VALUES (" + ", ".join(["?"] * 14) + ")"
FUND_DELTA = (
    "UPDATE v_fund SET income_fen = income_fen + ?, expense_fen = expense_fen + ?, "
    "cash_fen = cash_fen + ?, bank_fen = bank_fen + ? WHERE position = ?"
)

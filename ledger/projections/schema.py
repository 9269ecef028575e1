"""The view tables, in SQL that SQLite and PostgreSQL both accept (``?`` placeholders; the
PostgreSQL store turns them into ``%s``). Every table is a fold of events; none holds a clock
or anything else that a rebuild could not reproduce byte for byte."""

from __future__ import annotations

import re

# Bump when the fold or the tables change: a store built by another version rebuilds itself.
# 15: v_handover (R22, ADR 0032); 16: v_membership.status (R31); 17: v_roll_* (ADR 0130);
# 18: v_in_kind, v_asset (ADR 0140); 19: v_dues_* (a branch's dues book, ADR 0160)
SCHEMA_VERSION = "19"
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
        # status: full or probationary, as joined; a transfer keeps it (R31 counts full members)
        "person_id TEXT NOT NULL, org_id TEXT NOT NULL, from_date TEXT NOT NULL, to_date TEXT, "
        "position BIGINT PRIMARY KEY, status TEXT NOT NULL"
    ),
    # Aid cases (issue 5): never the private reason; the public category and the consent.
    "v_aid_case": (
        "case_id TEXT PRIMARY KEY, fund_id TEXT NOT NULL, owner_org_id TEXT NOT NULL, "
        "beneficiary_person_id TEXT NOT NULL, applicant_person_id TEXT NOT NULL, "
        "aid_kind TEXT NOT NULL, public_category TEXT NOT NULL, publicity_consent BIGINT NOT NULL, "
        "requested_fen BIGINT NOT NULL, signatures_required BIGINT NOT NULL, "
        "decision_required BIGINT NOT NULL, applied_on TEXT NOT NULL, position BIGINT NOT NULL, "
        "status TEXT NOT NULL, approved_on TEXT, window_end TEXT, open_objections BIGINT NOT NULL, "
        "voucher_no TEXT, paid_on TEXT, escalated_objections BIGINT NOT NULL"
    ),
    # Objections on a case (R36, ADR 0031): never the text, never who raised or answered them.
    "v_aid_objection": (
        "case_id TEXT NOT NULL, objection_no TEXT NOT NULL, raised_on TEXT NOT NULL, "
        "position BIGINT NOT NULL, answered_on TEXT, escalated_on TEXT, escalated_to_org_id TEXT, "
        "PRIMARY KEY (case_id, objection_no)"
    ),
    "v_aid_signature": (
        "case_id TEXT NOT NULL, person_id TEXT NOT NULL, user_id TEXT NOT NULL, "
        "signed_on TEXT NOT NULL, position BIGINT PRIMARY KEY"
    ),
    # Stipend schedules (issue 5): the terms of an office, and every month paid (until reversed).
    "v_stipend_terms": (
        "org_id TEXT NOT NULL, person_id TEXT NOT NULL, role TEXT NOT NULL, monthly_fen BIGINT NOT NULL, "
        "from_month TEXT NOT NULL, fund_id TEXT NOT NULL, position BIGINT PRIMARY KEY"
    ),
    "v_stipend_month": (
        "fund_id TEXT NOT NULL, person_id TEXT NOT NULL, month TEXT NOT NULL, voucher_no TEXT NOT NULL, "
        "PRIMARY KEY (fund_id, person_id, month)"
    ),
    # Collections (issue 5): per participant owed, paid (net of reversals) and refunded.
    "v_fee": (
        "fund_id TEXT NOT NULL, person_id TEXT NOT NULL, owed_fen BIGINT NOT NULL, "
        "paid_fen BIGINT NOT NULL, refunded_fen BIGINT NOT NULL, seq BIGINT NOT NULL, "
        "PRIMARY KEY (fund_id, person_id)"
    ),
    "v_voucher_objection": (
        "objection_id TEXT PRIMARY KEY, fund_id TEXT NOT NULL, voucher_no TEXT NOT NULL, "
        "raised_on TEXT NOT NULL, position BIGINT NOT NULL, outcome TEXT, escalated_on TEXT, "
        "escalated_to_org_id TEXT"
    ),
    "v_collection_status": ("fund_id TEXT NOT NULL, status TEXT NOT NULL, position BIGINT PRIMARY KEY"),
    # Money held for approved aid cases, as dated movements (reserved +, released or paid -), so
    # that balances as of a past date show what was reserved then.
    "v_reservation": (
        "position BIGINT PRIMARY KEY, fund_id TEXT NOT NULL, day TEXT NOT NULL, delta_fen BIGINT NOT NULL"
    ),
    # Custody handovers (R22, ADR 0032): who handed which role to whom before which supervisor,
    # the books and the count at that day, and the differences recorded (never booked).
    "v_handover": (
        "position BIGINT PRIMARY KEY, fund_id TEXT NOT NULL, role TEXT NOT NULL, "
        "from_person_id TEXT NOT NULL, to_person_id TEXT NOT NULL, supervisor_person_id TEXT NOT NULL, "
        "handed_over_on TEXT NOT NULL, book_cash_fen BIGINT NOT NULL, book_bank_fen BIGINT NOT NULL, "
        "cash_counted_fen BIGINT NOT NULL, bank_balance_fen BIGINT NOT NULL, "
        "cash_difference_fen BIGINT NOT NULL, bank_difference_fen BIGINT NOT NULL, "
        "difference_note TEXT, last_voucher_no TEXT, inventory_ref TEXT NOT NULL, recorded_by TEXT NOT NULL"
    ),
    # The mutual-aid association's roll (issue 21 item 1): each time on the roll, the charter's
    # yearly contributions, hardship waivers (never the reason) and the vouchers that paid.
    "v_roll_member": (
        "position BIGINT PRIMARY KEY, fund_id TEXT NOT NULL, person_id TEXT NOT NULL, "
        "enrolled_on TEXT NOT NULL, left_on TEXT"
    ),
    "v_roll_charge": (
        "fund_id TEXT NOT NULL, year BIGINT NOT NULL, amount_fen BIGINT NOT NULL, due_on TEXT NOT NULL, "
        "charter_ref TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (fund_id, year)"
    ),
    "v_roll_waiver": (
        "fund_id TEXT NOT NULL, person_id TEXT NOT NULL, year BIGINT NOT NULL, approved_by TEXT NOT NULL, "
        "approved_on TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (fund_id, person_id, year)"
    ),
    "v_roll_payment": (
        "position BIGINT PRIMARY KEY, fund_id TEXT NOT NULL, person_id TEXT NOT NULL, year BIGINT NOT NULL, "
        "voucher_no TEXT NOT NULL, amount_fen BIGINT NOT NULL, paid_on TEXT NOT NULL"
    ),
    # Gifts in kind and the asset register (ADR 0140): what the board may print (the public
    # summary, the donor, the public name) and the figures; never the description, the supplier,
    # the place or the write-off reason, which stay in the events.
    "v_in_kind": (
        "org_id TEXT NOT NULL, gift_no TEXT NOT NULL, received_on TEXT NOT NULL, kind TEXT NOT NULL, "
        "value_fen BIGINT NOT NULL, donor_kind TEXT NOT NULL, donor_name TEXT NOT NULL, "
        "public_summary TEXT NOT NULL, fund_id TEXT, position BIGINT NOT NULL, PRIMARY KEY (org_id, gift_no)"
    ),
    "v_asset": (
        "org_id TEXT NOT NULL, asset_no TEXT NOT NULL, acquired_on TEXT NOT NULL, source TEXT NOT NULL, "
        "fund_id TEXT, voucher_no TEXT, gift_no TEXT, value_fen BIGINT NOT NULL, public_name TEXT NOT NULL, "
        "keeper_person_id TEXT NOT NULL, position BIGINT NOT NULL, written_off_on TEXT, "
        "PRIMARY KEY (org_id, asset_no)"
    ),
    # A branch's dues book (ADR 0160): private rows (a member's base and dues are read by the
    # member and the branch's officers only; the board prints branch totals). Never a fund's.
    "v_dues_base": (
        "org_id TEXT NOT NULL, person_id TEXT NOT NULL, from_month TEXT NOT NULL, category TEXT NOT NULL, "
        "base_fen BIGINT, fixed_fen BIGINT, position BIGINT NOT NULL, "
        "PRIMARY KEY (org_id, person_id, from_month)"
    ),
    "v_dues_payment": (
        "org_id TEXT NOT NULL, payment_no TEXT NOT NULL, person_id TEXT NOT NULL, months TEXT NOT NULL, "
        "amount_fen BIGINT NOT NULL, standard_fen BIGINT NOT NULL, paid_on TEXT NOT NULL, "
        "position BIGINT NOT NULL, handup_no TEXT, reversed_on TEXT, PRIMARY KEY (org_id, payment_no)"
    ),
    "v_dues_month": (
        "org_id TEXT NOT NULL, person_id TEXT NOT NULL, month TEXT NOT NULL, standard_fen BIGINT NOT NULL, "
        "payment_no TEXT NOT NULL, PRIMARY KEY (org_id, person_id, month)"
    ),
    "v_dues_handup": (
        "org_id TEXT NOT NULL, handup_no TEXT NOT NULL, to_org_id TEXT NOT NULL, handed_on TEXT NOT NULL, "
        "period_from TEXT NOT NULL, period_to TEXT NOT NULL, amount_fen BIGINT NOT NULL, "
        "position BIGINT NOT NULL, PRIMARY KEY (org_id, handup_no)"
    ),
    "v_dues_rebate": (
        "org_id TEXT NOT NULL, rebate_no TEXT NOT NULL, from_org_id TEXT NOT NULL, "
        "received_on TEXT NOT NULL, "
        "period_from TEXT NOT NULL, period_to TEXT NOT NULL, amount_fen BIGINT NOT NULL, "
        "rebate_share_bp BIGINT NOT NULL, handed_up_fen BIGINT NOT NULL, expected_fen BIGINT NOT NULL, "
        "position BIGINT NOT NULL, PRIMARY KEY (org_id, rebate_no)"
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
    "v_aid_case": "case_id",
    "v_aid_signature": "position",
    "v_aid_objection": "case_id, objection_no",
    "v_stipend_terms": "position",
    "v_stipend_month": "fund_id, person_id, month",
    "v_fee": "fund_id, person_id",
    "v_collection_status": "position",
    "v_voucher_objection": "objection_id",
    "v_reservation": "position",
    "v_handover": "position",
    "v_roll_member": "position",
    "v_roll_charge": "fund_id, year",
    "v_roll_waiver": "fund_id, person_id, year",
    "v_roll_payment": "position",
    "v_in_kind": "org_id, gift_no",
    "v_asset": "org_id, asset_no",
    "v_dues_base": "org_id, person_id, from_month",
    "v_dues_payment": "org_id, payment_no",
    "v_dues_month": "org_id, person_id, month",
    "v_dues_handup": "org_id, handup_no",
    "v_dues_rebate": "org_id, rebate_no",
    "v_chain": "position",
}
# Made after a rebuild's last batch (the fold keeps what reversals need in memory meanwhile).
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS v_journal_voucher ON v_journal (fund_no, voucher_no)",
    "CREATE INDEX IF NOT EXISTS v_journal_order ON v_journal (fund_no, occurred_on, seq)",
    "CREATE INDEX IF NOT EXISTS v_journal_person ON v_journal (person_id) WHERE person_id IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS v_membership_person ON v_membership (person_id)",
    "CREATE INDEX IF NOT EXISTS v_aid_case_status ON v_aid_case (status, position)",
    "CREATE INDEX IF NOT EXISTS v_aid_signature_case ON v_aid_signature (case_id)",
    "CREATE INDEX IF NOT EXISTS v_aid_objection_up ON v_aid_objection (escalated_to_org_id) "
    "WHERE escalated_to_org_id IS NOT NULL AND answered_on IS NULL",
)
TRACKING = "v_tracking"
TRACKING_DDL = "view_name TEXT PRIMARY KEY, position BIGINT NOT NULL"
META = "v_meta"
META_DDL = "key TEXT PRIMARY KEY, value TEXT NOT NULL"

# The row operations of fold.Batch.ops, by name.
OPS: dict[str, str] = {
    "fund": "INSERT INTO v_fund VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0)",
    "custodian": "INSERT INTO v_custodian VALUES (?, ?, ?, ?, ?)",
    "handover": "INSERT INTO v_handover VALUES (" + ", ".join(["?"] * 17) + ")",
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
    "membership": "INSERT INTO v_membership VALUES (?, ?, ?, ?, ?, ?)",
    "membership_end": "UPDATE v_membership SET to_date = ? WHERE person_id = ? AND to_date IS NULL",
    # a transfer: the new membership keeps the open one's status, then the open one ends
    "membership_moved": (
        "INSERT INTO v_membership SELECT ?, ?, ?, NULL, ?, status FROM v_membership "
        "WHERE person_id = ? AND to_date IS NULL"
    ),
    "membership_end_before": (
        "UPDATE v_membership SET to_date = ? WHERE person_id = ? AND to_date IS NULL AND position < ?"
    ),
    # aid cases and reservations (issue 5)
    "fund_reserved": "UPDATE v_fund SET reserved_fen = reserved_fen + ? WHERE fund_id = ?",
    "reservation": "INSERT INTO v_reservation VALUES (?, ?, ?, ?)",
    "aid_case": (
        "INSERT INTO v_aid_case VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "'applied', NULL, NULL, 0, NULL, NULL, 0)"
    ),
    "aid_signature": "INSERT INTO v_aid_signature VALUES (?, ?, ?, ?, ?)",
    "aid_approved": "UPDATE v_aid_case SET status = 'approved', approved_on = ? WHERE case_id = ?",
    "aid_window": "UPDATE v_aid_case SET window_end = ? WHERE case_id = ?",
    "aid_status": "UPDATE v_aid_case SET status = ? WHERE case_id = ?",
    "aid_paid": "UPDATE v_aid_case SET status = 'paid', voucher_no = ?, paid_on = ? WHERE case_id = ?",
    "aid_payment_reversed": (
        "UPDATE v_aid_case SET status = 'approved', voucher_no = NULL, paid_on = NULL WHERE case_id = ?"
    ),
    "aid_objections": "UPDATE v_aid_case SET open_objections = open_objections + ? WHERE case_id = ?",
    "aid_objection": "INSERT INTO v_aid_objection VALUES (?, ?, ?, ?, NULL, NULL, NULL)",
    # before the objection's row is marked answered: an escalated one leaves the case's count
    "aid_escalation_answered": (
        "UPDATE v_aid_case SET escalated_objections = escalated_objections - (SELECT COUNT(*) "
        "FROM v_aid_objection o WHERE o.case_id = ? AND o.objection_no = ? AND o.escalated_on IS NOT NULL "
        "AND o.answered_on IS NULL) WHERE case_id = ?"
    ),
    "aid_objection_answered": (
        "UPDATE v_aid_objection SET answered_on = ? WHERE case_id = ? AND objection_no = ?"
    ),
    "aid_escalated": (
        "UPDATE v_aid_case SET escalated_objections = escalated_objections + 1 WHERE case_id = ?"
    ),
    "aid_objection_escalated": (
        "UPDATE v_aid_objection SET escalated_on = ?, escalated_to_org_id = ? "
        "WHERE case_id = ? AND objection_no = ?"
    ),
    "stipend_terms": "INSERT INTO v_stipend_terms VALUES (?, ?, ?, ?, ?, ?, ?)",
    "stipend_month": "INSERT INTO v_stipend_month VALUES (?, ?, ?, ?)",
    "stipend_month_reversed": "DELETE FROM v_stipend_month WHERE fund_id = ? AND voucher_no = ?",
    "fee_assessed": "INSERT INTO v_fee VALUES (?, ?, ?, 0, 0, ?)",
    "fee_paid": "UPDATE v_fee SET paid_fen = paid_fen + ? WHERE fund_id = ? AND person_id = ?",
    "fee_refunded": "UPDATE v_fee SET refunded_fen = refunded_fen + ? WHERE fund_id = ? AND person_id = ?",
    "collection_status": "INSERT INTO v_collection_status VALUES (?, ?, ?)",
    "voucher_objection": "INSERT INTO v_voucher_objection VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL)",
    "voucher_objection_escalated": (
        "UPDATE v_voucher_objection SET escalated_on = ?, escalated_to_org_id = ? WHERE objection_id = ?"
    ),
    "voucher_objection_answered": "UPDATE v_voucher_objection SET outcome = ? WHERE objection_id = ?",
    "roll_member": "INSERT INTO v_roll_member VALUES (?, ?, ?, ?, NULL)",
    "roll_member_left": (
        "UPDATE v_roll_member SET left_on = ? WHERE fund_id = ? AND person_id = ? AND left_on IS NULL"
    ),
    "roll_charge": "INSERT INTO v_roll_charge VALUES (?, ?, ?, ?, ?, ?)",
    "roll_waiver": "INSERT INTO v_roll_waiver VALUES (?, ?, ?, ?, ?, ?)",
    "roll_payment": "INSERT INTO v_roll_payment VALUES (?, ?, ?, ?, ?, ?, ?)",
    "in_kind": "INSERT INTO v_in_kind VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "asset": "INSERT INTO v_asset VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
    "asset_written_off": "UPDATE v_asset SET written_off_on = ? WHERE org_id = ? AND asset_no = ?",
    # a declaration for a month already declared replaces it (DuesBook.declare_base)
    "dues_base_replaced": "DELETE FROM v_dues_base WHERE org_id = ? AND person_id = ? AND from_month = ?",
    "dues_base": "INSERT INTO v_dues_base VALUES (?, ?, ?, ?, ?, ?, ?)",
    "dues_payment": "INSERT INTO v_dues_payment VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
    "dues_month": "INSERT INTO v_dues_month VALUES (?, ?, ?, ?, ?)",
    "dues_reversed": "UPDATE v_dues_payment SET reversed_on = ? WHERE org_id = ? AND payment_no = ?",
    "dues_months_reversed": "DELETE FROM v_dues_month WHERE org_id = ? AND payment_no = ?",
    "dues_handup": "INSERT INTO v_dues_handup VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    # every payment held until now goes up with it (the book's clearing balance becomes zero)
    "dues_handed_up": (
        "UPDATE v_dues_payment SET handup_no = ? "
        "WHERE org_id = ? AND handup_no IS NULL AND reversed_on IS NULL"
    ),
    "dues_rebate": "INSERT INTO v_dues_rebate VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}
CHAIN_INSERT = "INSERT INTO v_chain VALUES (?, ?)"
JOURNAL_INSERT = "INSERT INTO v_journal VALUES (" + ", ".join(["?"] * 14) + ")"
FUND_DELTA = (
    "UPDATE v_fund SET income_fen = income_fen + ?, expense_fen = expense_fen + ?, "
    "cash_fen = cash_fen + ?, bank_fen = bank_fen + ? WHERE position = ?"
)

# Every table a generation of the views consists of (its rows, its positions, its version).
ALL_TABLES = (*TABLES, TRACKING, META)
INDEX_NAMES = tuple(index.split(" IF NOT EXISTS ")[1].split()[0] for index in INDEXES)


class Names:
    """The table and index names of one generation of the views (ADR 0052).

    Generation 0 and the live views use the plain names (``v_fund``). A rebuild folds into the
    next generation's tables beside them (``v_fund_g3``), then renames them to the plain names
    in one short transaction. Indexes cannot be renamed on SQLite, so they keep their
    generation's name (``v_journal_voucher_g3``), which never collides with the live ones."""

    def __init__(self, generation: int = 0) -> None:
        self.generation = generation
        self.suffix = f"_g{generation}" if generation else ""
        names = (*ALL_TABLES, *INDEX_NAMES)
        self._pattern = re.compile(r"\b(" + "|".join(names) + r")\b") if generation else None
        self._cache: dict[str, str] = {}

    def table(self, name: str) -> str:
        return name + self.suffix

    def sql(self, statement: str) -> str:
        """``statement`` with every view table and index named as in this generation."""
        if self._pattern is None:
            return statement
        renamed = self._cache.get(statement)
        if renamed is None:
            renamed = self._cache[statement] = self._pattern.sub(
                lambda m: m.group(1) + self.suffix, statement
            )
        return renamed

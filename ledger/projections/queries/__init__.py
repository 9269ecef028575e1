"""Reading the views, one module per question asked of them (ADR 0155):

    views            one read snapshot per query, the page bound, each view's lag
    funds            a fund's balances (now, as of a date, at a log position) and description
    organisations    the tree as it was on a date (R30), rollups over it, branch sizes (R31)
    members          per-member totals by the branch of the business date
    journal          the journal with running balances, one voucher, statements (R35), entry totals
    statement_pages  the keyset pages of a statement's rows: limit, cursor (ADR 0175)
    aid              aid cases, their objections, the notices on the board
    stipends         stipend schedules (R12)
    fee_collections  collections' fees and status (R32)
    objections       objections on vouchers (R36)
    custody          custody handovers (R22)

The gifts in kind and the asset register are read by ``ledger.projections.asset_queries``, the
roll by ``ledger.projections.roll``, income by kind by ``ledger.projections.income``.

Every name is re-exported here, so ``from ledger.projections import queries; queries.journal(...)``
works for the seventy-odd modules and tests that read the views that way. A new query goes into
the module of its question and into the imports and ``__all__`` below.

Every amount is integer fen.
"""

from __future__ import annotations

from ledger.projections.queries.aid import (
    AID_CASE_COLUMNS,
    AidCasePage,
    aid_case,
    aid_cases,
    aid_notices,
    aid_objections,
)
from ledger.projections.queries.custody import (
    Handover,
    handovers,
)
from ledger.projections.queries.fee_collections import (
    FeeTotal,
    collection_members,
    collection_status,
)
from ledger.projections.queries.funds import (
    FundBalance,
    fund_balance,
    fund_balances,
    fund_meta,
)
from ledger.projections.queries.journal import (
    JOURNAL_SELECT,
    EntryTotal,
    JournalPage,
    Statement,
    entry_totals,
    journal,
    journal_voucher,
    statement,
    statement_people,
    statement_recipients,
    statement_row_pages,
)
from ledger.projections.queries.members import (
    MemberTotal,
    member_totals,
)
from ledger.projections.queries.objections import (
    open_voucher_objections,
    voucher_objections,
)
from ledger.projections.queries.organisations import (
    BRANCH_FULL_MEMBERS_MIN,
    BRANCH_MEMBERS_MAX,
    BRANCH_WARNING_TEXTS,
    BranchWarning,
    OrgRollup,
    branch_warnings,
    org_rollups,
    tree_on,
)
from ledger.projections.queries.statement_pages import (
    STATEMENT_PAGE_DEFAULT,
    STATEMENT_PAGE_MAX,
    statement_cursor,
)
from ledger.projections.queries.stipends import (
    StipendDue,
    stipend_schedule,
)
from ledger.projections.queries.views import (
    PAGE_SIZE_MAX,
    check_page,
    one_snapshot,
    view_status,
)

__all__ = [
    "AID_CASE_COLUMNS",
    "BRANCH_FULL_MEMBERS_MIN",
    "BRANCH_MEMBERS_MAX",
    "BRANCH_WARNING_TEXTS",
    "JOURNAL_SELECT",
    "PAGE_SIZE_MAX",
    "STATEMENT_PAGE_DEFAULT",
    "STATEMENT_PAGE_MAX",
    "AidCasePage",
    "BranchWarning",
    "EntryTotal",
    "FeeTotal",
    "FundBalance",
    "Handover",
    "JournalPage",
    "MemberTotal",
    "OrgRollup",
    "Statement",
    "StipendDue",
    "aid_case",
    "aid_cases",
    "aid_notices",
    "aid_objections",
    "branch_warnings",
    "check_page",
    "collection_members",
    "collection_status",
    "entry_totals",
    "fund_balance",
    "fund_balances",
    "fund_meta",
    "handovers",
    "journal",
    "journal_voucher",
    "member_totals",
    "one_snapshot",
    "open_voucher_objections",
    "org_rollups",
    "statement",
    "statement_cursor",
    "statement_people",
    "statement_recipients",
    "statement_row_pages",
    "stipend_schedule",
    "tree_on",
    "view_status",
    "voucher_objections",
]

"""The custodians' web console under ``/console``: server-rendered pages, Chinese first.

- ``session``: sign-in with a token, the session cookie, CSRF, sign-out;
- ``vouchers``: a fund's page, a voucher's page and the internal board of a period;
- ``entries``: record money in and out, reverse a voucher (form → check → confirm);
- ``aid_cases``: aid cases — the list, a case, an approver's signature;
- ``aid_forms``: applying for aid and the cashier's payment (form → check → confirm);
- ``collections``: collections (集资/活动费) — the list, one collection, assess, settle, close;
- ``stipends``: the stipends due of my organisations, with links to the stipend entry form;
- ``assets``: gifts in kind and the asset register of my organisations (ADR 0140);
- ``dues``: the Party dues books of the branches I am an officer of (ADR 0160), read-only;
- ``aid_decisions``: objections to a case and their answers, rejecting and cancelling a case;
- ``voucher_objections``: objections to a fund's voucher (R36) and their answers;
- ``handovers``: a fund's custody handovers (移交, R22), recorded with the count read back;
- ``auditor``: verify the books (chain, seals, invariants, views) and download the exports;
- ``setup``: the administrators' setup pages (organisations, people, funds, users; issue 17);
- ``supervision``: an organisation's supervision channels, printed on its notices (admin);
- ``closing``: close a period: the vouchers it seals, the reviewer, a confirmation;
- ``books``: home, members, the auditor's view (and the console's 404 page).
"""

from __future__ import annotations

from fastapi import APIRouter

from ledger.web.console import (
    aid_cases,
    aid_decisions,
    aid_forms,
    assets,
    auditor,
    books,
    closing,
    collections,
    dues,
    entries,
    handovers,
    income,
    roll,
    session,
    setup,
    stipends,
    supervision,
    voucher_objections,
    vouchers,
)
from ledger.web.console.pages import PREFIX
from ledger.web.console.session import refusal_page

__all__ = ["PREFIX", "refusal_page", "router"]

router = APIRouter()
for module in (
    session,
    vouchers,
    entries,
    aid_forms,  # before aid_cases: its /aid-cases/new is not a case's /aid-cases/{case_id}
    aid_cases,
    collections,
    stipends,
    roll,
    assets,
    dues,
    income,
    aid_decisions,
    voucher_objections,
    handovers,
    setup,
    auditor,
    supervision,
    closing,
    books,
):  # books last: it ends with the catch-all 404
    router.include_router(module.router)

"""The custodians' web console under ``/console``: server-rendered pages, Chinese first.

- ``session``: sign-in with a token, the session cookie, CSRF, sign-out;
- ``vouchers``: a fund's page and a voucher's page;
- ``entries``: record money in and out, reverse a voucher (form → check → confirm);
- ``aid_cases``: aid cases — the list, a case, an approver's signature, the cashier's payment;
- ``books``: home, close a period, members, the auditor's view (and the console's 404 page).

Collections, stipends due and verify/exports pages are added beside these.
"""

from __future__ import annotations

from fastapi import APIRouter

from ledger.web.console import aid_cases, books, entries, session, vouchers

router = APIRouter()
for module in (session, vouchers, entries, aid_cases, books):  # books last: it ends with the catch-all 404
    router.include_router(module.router)

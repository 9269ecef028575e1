"""Objections on vouchers (R36): a fund's, and the unanswered ones an organisation must answer."""

from __future__ import annotations

from typing import Any

from ledger.projections.store import ViewStore


def voucher_objections(store: ViewStore, fund_id: str) -> list[dict[str, Any]]:
    """A fund's voucher objections, oldest first; ``outcome`` is None while unanswered. Never
    the text, the answer or who raised it."""
    rows = store.fetch(
        "SELECT objection_id, voucher_no, raised_on, outcome, escalated_on, escalated_to_org_id "
        "FROM v_voucher_objection "
        "WHERE fund_id = ? ORDER BY position",
        (fund_id,),
    )
    keys = ("objection_id", "voucher_no", "raised_on", "outcome", "escalated_on", "escalated_to_org_id")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def open_voucher_objections(store: ViewStore, org_ids: list[str]) -> list[dict[str, Any]]:
    """Unanswered voucher objections of funds owned by ``org_ids``, or escalated to one of them
    (R36), oldest first. Never the text, the answer or who raised it."""
    if not org_ids:
        return []
    marks = ", ".join("?" * len(org_ids))
    rows = store.fetch(
        "SELECT o.objection_id, o.fund_id, o.voucher_no, o.raised_on, o.escalated_on, "
        "o.escalated_to_org_id FROM v_voucher_objection o JOIN v_fund f ON f.fund_id = o.fund_id "
        f"WHERE o.outcome IS NULL AND (f.owner_org_id IN ({marks}) OR o.escalated_to_org_id IN ({marks})) "
        "ORDER BY o.position",
        (*org_ids, *org_ids),
    )
    keys = ("objection_id", "fund_id", "voucher_no", "raised_on", "escalated_on", "escalated_to_org_id")
    return [dict(zip(keys, row, strict=True)) for row in rows]

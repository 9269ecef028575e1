"""Income by kind per organisation over a range of years (issue 21 item 5), over HTTP and from
the CLI, on the API's seeded world (each fund took a 2025-07-01 dues rebate: the community's
mutual-aid fund 1000.00, branch A's activity fund 500.00, branch B's 200.00)."""

from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from ledger.cli import app as cli
from tests.api.conftest import SEED, World, error_of


def grant(world: World, fund: str, on: date, fen: int, kind: str) -> str:
    return world.ledger.record(
        fund,
        "receive_grant",
        actor=SEED,
        occurred_on=on,
        amount_fen=fen,
        grant_kind=kind,
        grantor_name="街道党工委",
        doc_refs=["拨款通知"],
    )["voucher_no"]


def donate(world: World, fund: str, on: date, fen: int) -> str:
    return world.ledger.record(
        fund,
        "receive_donation",
        actor=SEED,
        occurred_on=on,
        amount_fen=fen,
        donor_kind="member",
        donor_person_id=world.people["member"],
        doc_refs=["收据"],
    )["voucher_no"]


def shown(amounts: dict) -> dict[str, str]:
    """Kind → the decimal string of each money value (the API also gives integer fen)."""
    return {kind: value["amount"] for kind, value in amounts.items()}


def history(world: World) -> str:
    """Branch A: a unit guarantee, a donation, a donation reversed, a transfer out to B (not
    income on either side); the community: interest; branch B: a special fund running since 2023
    with a special-project grant in 2023 and a donation in 2024."""
    a, b, aid = world.funds["activity_a"], world.funds["activity_b"], world.funds["mutual_aid"]
    grant(world, a, date(2025, 7, 2), 30_000, "unit_guarantee")
    donate(world, a, date(2025, 7, 3), 5_000)
    wrong = donate(world, a, date(2025, 7, 3), 2_000)
    world.ledger.reverse_entry(a, actor=SEED, voucher_no=wrong, occurred_on=date(2025, 7, 4), reason="错记")
    moved = {"occurred_on": date(2025, 7, 5), "amount_fen": 10_000, "decision_ref": "支委会决定"}
    world.ledger.transfer_between_funds(actor=SEED, from_fund_id=a, to_fund_id=b, **moved)
    interest = {"occurred_on": date(2025, 7, 6), "amount_fen": 123, "bank_ref": "结息单"}
    world.ledger.record(aid, "credit_interest", actor=SEED, **interest)
    special = world.ledger.establish_fund(
        actor=SEED,
        owner_org_id=world.orgs["b"],
        kind="special_project",
        name_zh="阵地建设专项",
        allowed_purposes=["activities"],
        custody={"kind": "cash_box"},
        established_on=date(2023, 1, 1),
    )["fund_id"]
    grant(world, special, date(2023, 3, 1), 50_000, "special_project")
    donate(world, special, date(2024, 5, 1), 1_000)
    return special


def test_income_report_gives_each_kind_per_organisation_with_reversals_netted_when_asked_for_years(world):
    history(world)
    body = world.get("/organisations/income", "auditor", from_year=2023, to_year=2025).json()
    by_org = {row["org_id"]: row for row in body["data"]}
    a, b, community = (by_org[world.orgs[k]] for k in ("a", "b", "community"))
    assert (a["name_zh"], shown(a["by_kind"]), a["total"]["amount"]) == (
        "第一支部",
        {"dues_rebate": "500.00", "unit_guarantee": "300.00", "donation": "50.00"},
        "850.00",
    )
    assert shown(b["by_kind"]) == {"dues_rebate": "200.00", "special_project": "500.00", "donation": "10.00"}
    assert [(y["year"], shown(y["by_kind"])) for y in b["by_year"]] == [
        (2023, {"special_project": "500.00"}),
        (2024, {"donation": "10.00"}),
        (2025, {"dues_rebate": "200.00"}),
    ]
    assert shown(community["by_kind"]) == {"dues_rebate": "1000.00", "interest": "1.23"}
    assert shown(body["by_kind"]) == {
        "dues_rebate": "1700.00",
        "unit_guarantee": "300.00",
        "special_project": "500.00",
        "donation": "60.00",
        "interest": "1.23",
    }
    assert body["total"] == {"amount": "2561.23", "amount_fen": 256_123}
    assert body["kinds"][:4] == ["dues_rebate", "unit_guarantee", "special_project", "fiscal"]


def test_income_report_counts_only_the_years_asked_when_the_range_is_narrower(world):
    history(world)
    body = world.get("/organisations/income", "auditor", from_year=2023, to_year=2024).json()
    assert [(r["org_id"], shown(r["by_kind"])) for r in body["data"]] == [
        (world.orgs["b"], {"special_project": "500.00", "donation": "10.00"})
    ]
    assert world.get("/organisations/income", "auditor", from_year=2020, to_year=2022).json()["data"] == []


def test_income_report_shows_a_member_only_their_branch_when_a_member_of_branch_a_asks(world):
    history(world)
    body = world.get("/organisations/income", "member", from_year=2025, to_year=2025).json()
    assert [r["org_id"] for r in body["data"]] == [world.orgs["a"]]
    assert body["total"]["amount"] == "850.00"


def test_income_report_is_refused_with_dates_out_of_order_when_the_first_year_is_after_the_last(world):
    response = world.get("/organisations/income", "auditor", from_year=2025, to_year=2024)
    assert error_of(response) == (422, "dates_out_of_order")


def test_income_cli_prints_each_organisation_with_its_kinds_and_total_when_given_a_range(world, database_url):
    history(world)
    result = CliRunner().invoke(
        cli, ["income", "--from", "2017", "--to", "2025"], env={"FUNDBOOK_DATABASE_URL": database_url}
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "income 2017–2025"
    [line_a] = [line for line in lines if line.startswith("第一支部")]
    assert line_a.split()[1:] == [
        "dues_rebate",
        "500.00",
        "unit_guarantee",
        "300.00",
        "donation",
        "50.00",
        "total",
        "850.00",
    ]

"""What the board prints is checked before it is recorded (issue 16, ADR 0080): a public
summary, a grantor, a unit's donor name, a campaign or an aid case's public category holding a
non-consenting person's full name, a phone, an ID-card or a bank-card number is refused with its
own code, by the Ledger (every entry point), and nothing is written."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from ledger.domain import errors
from ledger.domain.public_text import PublicRegister, check_public_text, private_number_kind

ID_18 = "11010519491231002X"  # ISO 7064 MOD 11-2 check character X
ID_15 = "110105491231002"
PHONE = "13812345678"
CARD = "6222021234567890128"  # Luhn-valid, 19 digits
CARD_16 = "6217000000123451"
NAME = "吕淑明"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"慰问{PHONE}", "phone"),
        ("电话 138 1234 5678", "phone"),
        ("电话１３８１２３４５６７８", "phone"),  # full-width digits
        (f"身份证{ID_18}", "id_number"),
        (f"身份证{ID_18.lower()}", "id_number"),
        (f"老身份证{ID_15}", "id_number"),
        (f"卡号{CARD}", "bank_card"),
        (f"卡号 {CARD_16[:4]}-{CARD_16[4:8]}-{CARD_16[8:12]}-{CARD_16[12:]}", "bank_card"),
    ],
)
def test_private_number_kind_names_the_number_when_a_text_holds_one(text, kind):
    assert private_number_kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "购置活动用品 1,680.32 元",
        "记-07-003 2024年7月1日",
        "11010519491231002",  # 17 digits: no ID
        "110105194912310021",  # 18 digits, wrong check character, and not Luhn-valid
        "6222021234567890127",  # 19 digits, Luhn fails
        "23812345678",  # 11 digits not starting 13–19
        "138123456789",  # 12 digits
    ],
)
def test_private_number_kind_finds_nothing_when_a_text_holds_only_ordinary_numbers(text):
    assert private_number_kind(text) is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (f"慰问{PHONE}", errors.PublicTextHasPhone),
        (f"补助{ID_18}", errors.PublicTextHasIdNumber),
        (f"补助{ID_15}", errors.PublicTextHasIdNumber),
        (f"转账{CARD}", errors.PublicTextHasBankCard),
        (f"{NAME}脑梗住院慰问", errors.PublicTextNamesPerson),
    ],
)
def test_check_public_text_is_refused_with_its_code_when_the_text_holds_a_private_item(text, error):
    with pytest.raises(error) as raised:
        check_public_text("public_summary", text, PublicRegister.of([NAME, "赵四"]))
    assert raised.value.details == {"field": "public_summary"}
    assert "公示摘要" in raised.value.message_zh and "public board" in raised.value.message_en


def test_check_public_text_accepts_a_person_id_whose_digits_would_join_into_a_phone():
    """A handler given by person id (the board prints the name, never the id): the hyphens of a
    UUID must not join its digits into a phone (a random id did, now and then, in CI)."""
    person_id = "a1381234-5678-abcd-8def-0123456789ab"
    assert private_number_kind(person_id) == "phone"  # the digits alone look like one

    assert check_public_text("handled_by", person_id) == person_id
    with pytest.raises(errors.PublicTextHasPhone):  # the same digits typed as text are refused
        check_public_text("handled_by", "a1381234-5678 经办")


def test_check_public_text_accepts_a_name_when_its_person_consented_or_is_not_registered():
    assert check_public_text("public_summary", "慰问王小明", PublicRegister.of([NAME])) == "慰问王小明"


# --- through the Ledger: every entry point -----------------------------------------------------
@pytest.fixture
def books(ledger, activity_fund_id):
    person = ledger.register_person(actor="admin", name_zh=NAME)["person_id"]  # no consent
    consented = ledger.register_person(actor="admin", name_zh="王小明", public_notice=True)["person_id"]
    return ledger, activity_fund_id, person, consented


def _expense(**extra):
    return dict(
        occurred_on=date(2025, 1, 6),
        amount_fen=1_000,
        category="activities",
        payee="超市",
        handled_by="h",
        approved_by="a",
        doc_refs=["发票"],
        **extra,
    )


def _grant(**extra):
    return dict(
        occurred_on=date(2025, 1, 6),
        amount_fen=10_000,
        grant_kind="dues_rebate",
        grantor_name="社区党委",
        doc_refs=["通知"],
        **extra,
    )


@pytest.mark.parametrize(
    ("summary", "code"),
    [
        (f"{NAME}脑梗住院慰问", "public_text_names_person"),
        (f"联系电话{PHONE}", "public_text_has_phone"),
        (f"身份证{ID_18}", "public_text_has_id_number"),
        (f"身份证{ID_15}", "public_text_has_id_number"),
        (f"银行卡{CARD}", "public_text_has_bank_card"),
    ],
)
def test_a_public_summary_is_refused_and_nothing_recorded_when_it_holds_a_private_item(books, summary, code):
    ledger, fund, _, _ = books
    before = ledger.recorder.max_notification_id()
    for command, fields in (
        ("receive_grant", _grant(public_summary=summary)),
        ("pay_expense", _expense(public_summary=summary)),
    ):
        with pytest.raises(errors.LedgerError) as raised:
            ledger.record(fund, command, actor="bookkeeper", **fields)
        assert raised.value.code == code
    assert ledger.recorder.max_notification_id() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("grantor_name", f"{NAME}个人"), ("grantor_name", f"社区党委{PHONE}")],
)
def test_a_printed_counterparty_is_refused_when_it_holds_a_private_item(books, field, value):
    ledger, fund, _, _ = books
    with pytest.raises(errors.LedgerError) as raised:
        ledger.record(fund, "receive_grant", actor="bookkeeper", **{**_grant(), field: value})
    assert raised.value.code in ("public_text_names_person", "public_text_has_phone")


def test_a_units_donor_name_and_a_campaign_are_refused_when_they_name_a_person_without_consent(books):
    ledger, fund, _, _ = books
    donation = dict(occurred_on=date(2025, 1, 6), amount_fen=500, doc_refs=["收据"])
    with pytest.raises(errors.PublicTextNamesPerson):
        ledger.record(
            fund, "receive_donation", actor="b", donor_kind="company", donor_name=f"{NAME}商店", **donation
        )
    with pytest.raises(errors.PublicTextHasPhone):
        ledger.record(
            fund,
            "receive_donation",
            actor="b",
            donor_kind="company",
            donor_name="物业",
            campaign=PHONE,
            **donation,
        )


def test_a_public_summary_is_refused_when_the_line_pays_a_person(books):
    ledger, fund, person, _ = books
    with pytest.raises(errors.PublicSummaryConcernsPerson):
        ledger.record(
            fund, "pay_expense", actor="b", **_expense(payee_person_id=person, public_summary="活动用品")
        )


def test_a_public_summary_without_anything_private_is_recorded_and_the_memo_kept_apart(books):
    ledger, fund, _, _ = books
    ledger.record(fund, "receive_grant", actor="b", **_grant())
    expense = _expense(public_summary="购置活动用品", memo=f"{NAME}经手")
    ledger.record(fund, "pay_expense", actor="b", **expense)
    event = list(ledger.events.get(UUID(fund)))[-1]
    assert (event.public_summary, event.memo) == ("购置活动用品", f"{NAME}经手")


def test_an_aid_cases_public_category_is_refused_when_it_holds_a_phone(ledger):
    fund = ledger.establish_fund(
        actor="admin",
        owner_org_id=ledger.register_organisation(
            actor="admin", kind="community_committee", name_zh="社区", established_on=date(2020, 1, 1)
        )["org_id"],
        kind="mutual_aid",
        name_zh="互助金",
        allowed_purposes=["hardship_aid"],
        custody={"kind": "cash_box"},
        established_on=date(2024, 1, 1),
    )["fund_id"]
    person = ledger.register_person(actor="admin", name_zh="赵四")["person_id"]
    with pytest.raises(errors.PublicTextHasPhone):
        ledger.apply_for_aid(
            fund_id=fund,
            actor="admin",
            beneficiary_person_id=person,
            applicant_person_id=person,
            aid_kind="one_off",
            requested_fen=10_000,
            reason_private="住院",
            reason_public_category=f"慰问 {PHONE}",
            evidence_refs=["申请表"],
        )

"""Resident ID numbers (GB 11643): what is accepted, and a distinct message for each mistake."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import ValidationFailed
from app.identity.idcard import (
    IdNumberInvalid,
    check_character,
    mask_id_number,
    validate_id_number,
)

TODAY = date(2025, 6, 1)
# Check characters computed by hand with the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 (mod 11).
MAN_1990 = "150602199001011238"  # Dongsheng, 1990-01-01, sequence 123 (odd: male)
STANDARD_EXAMPLE = "11010519491231002X"  # the example in GB 11643 itself (female)
LEAP_DAY = "150102198802290044"


def reason(raw: str, today: date = TODAY) -> str:
    with pytest.raises(IdNumberInvalid) as caught:
        validate_id_number(raw, today=today)
    assert caught.value.code == "identity.id_number_invalid"
    assert caught.value.status_code == 422
    return str(caught.value.details["reason"])


def test_valid_number_is_parsed() -> None:
    parsed = validate_id_number(MAN_1990, today=TODAY)
    assert parsed.number == MAN_1990
    assert parsed.region_code == "150602"
    assert parsed.birth_date == date(1990, 1, 1)
    assert parsed.sex == "male"
    assert parsed.age_on(TODAY) == 35


def test_x_check_character_and_female() -> None:
    parsed = validate_id_number(STANDARD_EXAMPLE, today=TODAY)
    assert parsed.sex == "female"
    assert parsed.birth_date == date(1949, 12, 31)


def test_input_is_normalised() -> None:
    assert validate_id_number(" 11010519491231002x ", today=TODAY).number == STANDARD_EXAMPLE
    full_width = "１５０６０２ １９９００１０１ １２３８"
    assert validate_id_number(full_width, today=TODAY).number == MAN_1990


def test_leap_day_birth() -> None:
    parsed = validate_id_number(LEAP_DAY, today=TODAY)
    assert parsed.birth_date == date(1988, 2, 29)
    assert parsed.age_on(date(2025, 2, 28)) == 36
    assert parsed.age_on(date(2025, 3, 1)) == 37


def test_born_today_is_valid() -> None:
    body = "15060220250601001"
    number = body + check_character(body)
    assert validate_id_number(number, today=TODAY).age_on(TODAY) == 0


def test_errors_are_validation_failures() -> None:
    assert issubclass(IdNumberInvalid, ValidationFailed)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("150602900101123", "legacy_15_digits"),
        ("1506021990010112", "length"),
        ("1506021990010112381", "length"),
        ("15060219900101123A", "characters"),
        ("1506021990O1011238", "characters"),
        ("X50602199001011238", "characters"),
        ("١٥٠٦٠٢١٩٩٠٠١٠١١٢٣٨", "characters"),  # Arabic-Indic digits
        ("150602199013011235", "birth_date_invalid"),  # month 13
        ("150602199002301236", "birth_date_invalid"),  # 30 February
        ("150602189901011235", "birth_date_invalid"),  # before 1900
        ("150602202506021230", "birth_date_future"),
        ("150602199001011239", "check_digit"),
        ("15060219900101123X", "check_digit"),
    ],
)
def test_each_mistake_has_its_reason(raw: str, expected: str) -> None:
    assert reason(raw) == expected


def test_messages_are_distinct_and_chinese() -> None:
    raws = ["", "150602900101123", "1506021990010112", "15060219900101123A", "150602199013011235"]
    raws += ["150602202506021230", "150602199001011239"]
    messages = []
    for raw in raws:
        with pytest.raises(IdNumberInvalid) as caught:
            validate_id_number(raw, today=TODAY)
        messages.append(caught.value.message)
    assert len(set(messages)) == len(raws)
    assert "18位" in messages[1]
    assert all("身份证" in m for m in messages)


def test_masked_property() -> None:
    assert validate_id_number(STANDARD_EXAMPLE, today=TODAY).masked == "1101**********002X"
    assert mask_id_number(MAN_1990) == "1506**********1238"

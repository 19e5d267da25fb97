"""Unified social credit codes (GB 32100-2015): alphabet, region digits and the check character."""

from __future__ import annotations

import pytest

from app.core.errors import ValidationFailed
from app.employers.credit_code import (
    ALPHABET,
    CreditCodeInvalid,
    check_character,
    validate_credit_code,
)

# Codes printed on real business licences (public information).
REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110000802100433B",  # 北京百度网讯科技有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
]
# Computed by hand: weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, 31 - sum mod 31.
DONGSHENG_SHOP = "92150602DE0000001B"  # 个体工商户 (type 2 of authority 9)
DONGSHENG_INSTITUTION = "12150602DE0000002N"  # 事业单位 (authority 1)
DONGSHENG_COMPANY = "91150602DE0100000X"


def reason(raw: str) -> str:
    with pytest.raises(CreditCodeInvalid) as caught:
        validate_credit_code(raw)
    assert caught.value.code == "employer.credit_code_invalid"
    assert caught.value.status_code == 422
    return str(caught.value.details["reason"])


@pytest.mark.parametrize(
    "code", [*REAL_CODES, DONGSHENG_SHOP, DONGSHENG_INSTITUTION, DONGSHENG_COMPANY]
)
def test_valid_codes(code: str) -> None:
    assert validate_credit_code(code) == code


def test_lower_case_and_spaces_are_normalised() -> None:
    assert validate_credit_code("  91440300708461136t ") == "91440300708461136T"
    assert validate_credit_code("9144 0300 7084 6113 6T") == "91440300708461136T"
    assert validate_credit_code("９１４４０３００７０８４６１１３６Ｔ") == "91440300708461136T"


def test_check_character_zero_case() -> None:
    # A weighted sum divisible by 31 gives check value 31 → 0.
    bodies = (f"9115060200000{n:04d}" for n in range(10_000))
    body = next(b for b in bodies if check_character(b) == "0")
    assert validate_credit_code(body + "0") == body + "0"


def test_alphabet_excludes_confusable_letters() -> None:
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "empty"),
        ("9144030070846113", "length"),
        ("91440300708461136TT", "length"),
        ("91440300708461136I", "characters"),
        ("9144030070846113OT", "characters"),
        ("91440300708461136-", "characters"),
        ("9144030S708461136T", "characters"),
        ("91A40300708461136T", "region"),
        ("914403007084611360", "check_digit"),
        ("914403001922038217", "check_digit"),
    ],
)
def test_each_mistake_has_its_reason(raw: str, expected: str) -> None:
    assert reason(raw) == expected


def test_bad_characters_are_named() -> None:
    with pytest.raises(CreditCodeInvalid) as caught:
        validate_credit_code("9144030070846113OI")
    assert caught.value.details == {"reason": "characters", "invalid_characters": "OI"}
    assert "I、O、S、V、Z" in caught.value.message


def test_is_a_validation_failure() -> None:
    assert issubclass(CreditCodeInvalid, ValidationFailed)

"""Resident identity card numbers (居民身份证号码, GB 11643-1999).

18 characters: a 6-digit address code, the birth date as YYYYMMDD, a 3-digit sequence whose last
digit is odd for men and even for women, and an ISO 7064 MOD 11-2 check character (0-9 or X).
The address code is only checked for being digits: codes of abolished or renamed counties stay
valid on old cards, so a region table would reject real people.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.core.errors import ValidationFailed
from app.identity.masking import mask_id_number, mask_name, mask_phone

__all__ = [
    "IdNumber",
    "IdNumberInvalid",
    "check_character",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "validate_id_number",
]

Sex = Literal["male", "female"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_LEGACY_SHAPE = re.compile(r"[0-9]{15}")
_EARLIEST_BIRTH = date(1900, 1, 1)

_MESSAGES = {
    "empty": "请输入身份证号码",
    "legacy_15_digits": "请使用18位身份证号码（15位旧号码已停止使用，可到派出所换领新证）",
    "length": "身份证号码应为18位，请核对后重新输入",
    "characters": "身份证号码只能由数字组成，最后一位可以是X",
    "birth_date_invalid": "身份证号码中的出生日期不存在，请核对后重新输入",
    "birth_date_future": "身份证号码中的出生日期晚于今天，请核对后重新输入",
    "check_digit": "身份证号码校验位不正确，请核对后重新输入",
}


class IdNumberInvalid(ValidationFailed):
    """A malformed ID number; ``details["reason"]`` says which check failed."""

    code = "identity.id_number_invalid"
    message = "身份证号码无效"


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A valid, normalised 18-character ID number and what it encodes."""

    number: str
    region_code: str
    birth_date: date
    sex: Sex

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)

    def age_on(self, day: date) -> int:
        """Age in completed years on ``day`` (a 29 February birthday counts on 1 March)."""
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def _fail(reason: str) -> IdNumberInvalid:
    return IdNumberInvalid(_MESSAGES[reason], details={"reason": reason})


def _normalise(raw: str) -> str:
    # Full-width digits and spaces typed on a Chinese keyboard are common; so is a lower-case x.
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def _birth_date(value: str, today: date) -> date:
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise _fail("birth_date_invalid") from None
    if born < _EARLIEST_BIRTH:
        raise _fail("birth_date_invalid")
    if born > today:
        raise _fail("birth_date_future")
    return born


def validate_id_number(raw: str, *, today: date) -> IdNumber:
    """Parse and check an ID number, or raise ``IdNumberInvalid`` saying what is wrong.

    Checks run from the most to the least obvious mistake, so the message points at it: length,
    characters, birth date, then the check character.
    """
    value = _normalise(raw)
    if not value:
        raise _fail("empty")
    if _LEGACY_SHAPE.fullmatch(value):
        raise _fail("legacy_15_digits")
    if len(value) != 18:
        raise _fail("length")
    if not _SHAPE.fullmatch(value):
        raise _fail("characters")
    born = _birth_date(value, today)
    if check_character(value[:17]) != value[17]:
        raise _fail("check_digit")
    sex: Sex = "male" if int(value[16]) % 2 else "female"
    return IdNumber(number=value, region_code=value[:6], birth_date=born, sex=sex)

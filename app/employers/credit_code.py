"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

18 characters from 0-9 and the capital letters except I, O, S, V and Z: registration authority
(1), organisation type (1), administrative region (6 digits), organisation code (9), and a check
character computed modulo 31 with the weights of the standard.
"""

from __future__ import annotations

import re
import unicodedata

from app.core.errors import ValidationFailed

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {character: value for value, character in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_REGION = re.compile(r"[0-9]{6}")
_LENGTH = 18

_MESSAGES = {
    "empty": "请输入统一社会信用代码",
    "length": "统一社会信用代码应为18位，请对照营业执照核对",
    "characters": "统一社会信用代码只包含数字和大写字母（不含I、O、S、V、Z），请对照营业执照核对",
    "region": "统一社会信用代码第3至8位应为数字（行政区划代码），请对照营业执照核对",
    "check_digit": "统一社会信用代码校验位不正确，请对照营业执照核对",
}


class CreditCodeInvalid(ValidationFailed):
    """A malformed credit code; ``details["reason"]`` says which check failed."""

    code = "employer.credit_code_invalid"
    message = "统一社会信用代码无效"


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code (all from ``ALPHABET``)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _fail(reason: str, **extra: str) -> CreditCodeInvalid:
    return CreditCodeInvalid(_MESSAGES[reason], details={"reason": reason, **extra})


def validate_credit_code(raw: str) -> str:
    """The code upper-cased and stripped, or ``CreditCodeInvalid`` saying what is wrong."""
    code = "".join(unicodedata.normalize("NFKC", raw).split()).upper()
    if not code:
        raise _fail("empty")
    if len(code) != _LENGTH:
        raise _fail("length")
    wrong = [c for c in code if c not in _VALUE]
    if wrong:
        raise _fail("characters", invalid_characters="".join(dict.fromkeys(wrong)))
    if not _REGION.fullmatch(code[2:8]):
        raise _fail("region")
    if check_character(code[:17]) != code[17]:
        raise _fail("check_digit")
    return code

"""The built-in rules every job and gig posting is checked against before it is published.

``check_posting`` returns what is wrong, each finding with a stable rule code and a Chinese
message for the poster. The caller decides: any ``refuse`` finding → the poster must edit; any
``review`` finding → the posting waits in the staff queue; none → it may be published (after the
WeChat content check, which is separate).

Text is normalised first: NFKC (full-width letters, digits and punctuation become half-width),
lower case, and whitespace removed, so "限 男 性" and "ＨＢＶ" are caught like "限男性" and "hbv".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from app.moderation import discrimination, fraud
from app.moderation.findings import Field, Finding, Severity, find
from app.taxonomy import get_occupation
from app.taxonomy.enums import PayUnit
from app.taxonomy.pay import format_pay, format_yuan, to_monthly_fen

# Pay above this multiple of the occupation's 90th percentile is "unrealistically high".
PAY_REVIEW_MULTIPLE = 3

_WHITESPACE = re.compile(r"\s+")

__all__ = ["PAY_REVIEW_MULTIPLE", "Finding", "Severity", "check_posting", "overall_severity"]


def normalise(text: str) -> str:
    """The form every text rule is matched against."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text).lower())


def _check_text(text: str, field: Field) -> list[Finding]:
    normalised = normalise(text)
    masked = discrimination.mask_benign(normalised)
    findings = find(discrimination.RULES, masked, field, source=normalised)
    findings.extend(find(fraud.RULES, normalised, field))
    return findings


def _check_pay(
    occupation_code: str | None,
    pay_min_fen: int | None,
    pay_max_fen: int | None,
    pay_unit: PayUnit,
) -> list[Finding]:
    occupation = get_occupation(occupation_code) if occupation_code else None
    highest = max((p for p in (pay_min_fen, pay_max_fen) if p is not None), default=None)
    if occupation is None or highest is None:
        return []
    monthly = to_monthly_fen(highest, pay_unit)  # None for piece pay: no fair comparison
    if monthly is None or monthly <= PAY_REVIEW_MULTIPLE * occupation.pay_p90_fen:
        return []
    message = (
        f"薪资明显高于{occupation.name}的常见水平（多数不超过"
        f"{format_yuan(occupation.pay_p90_fen)}元/月），已转工作人员审核"
    )
    excerpt = format_pay(pay_min_fen, pay_max_fen, pay_unit)
    return [Finding("fraud.pay_above_range", Severity.REVIEW, message, excerpt, "pay")]


def _without_shadowed(findings: list[Finding]) -> list[Finding]:
    """Drop duplicates, and reviews of a rule already refused in the same field."""
    refused = {(f.rule, f.field) for f in findings if f.severity is Severity.REFUSE}
    kept = (
        f for f in findings if f.severity is Severity.REFUSE or (f.rule, f.field) not in refused
    )
    return list(dict.fromkeys(kept))


def check_posting(
    title: str,
    description: str,
    *,
    occupation_code: str | None,
    pay_min_fen: int | None,
    pay_max_fen: int | None,
    pay_unit: PayUnit,
) -> list[Finding]:
    """Every built-in rule the posting breaks, in a stable order; an empty list means none.

    Pay is compared, converted to a monthly figure (see ``app.taxonomy.pay``), with the typical
    pay of ``occupation_code``; piece pay and unknown occupations are not compared.
    """
    findings = _check_text(title, "title")
    findings.extend(_check_text(description, "description"))
    findings.extend(_check_pay(occupation_code, pay_min_fen, pay_max_fen, pay_unit))
    return _without_shadowed(findings)


def overall_severity(findings: Iterable[Finding]) -> Severity | None:
    """``refuse`` if any finding refuses, else ``review`` if any, else ``None`` (clean)."""
    severities = {f.severity for f in findings}
    if Severity.REFUSE in severities:
        return Severity.REFUSE
    return Severity.REVIEW if severities else None

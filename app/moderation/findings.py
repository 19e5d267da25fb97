"""What a moderation rule reports, and the text rules built from patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Field = Literal["title", "description", "pay"]


class Severity(StrEnum):
    """``refuse``: the poster must change the text; ``review``: staff decide before publishing."""

    REFUSE = "refuse"
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken rule: a stable ``rule`` code, what happens, why (in Chinese), and where."""

    rule: str
    severity: Severity
    message: str
    excerpt: str
    field: Field


@dataclass(frozen=True, slots=True)
class TextRule:
    """A pattern that breaks ``rule`` unless an excuse matches next to it in the same clause.

    ``unless_before`` is searched in up to ``window`` characters before the match and
    ``unless_after`` (anchored at the match's end) in up to ``window`` characters after it, both
    within the clause (text between sentence punctuation): "不收押金" passes, "包吃住，押金200元"
    does not.
    """

    rule: str
    severity: Severity
    message: str
    pattern: re.Pattern[str]
    unless_before: re.Pattern[str] | None = None
    unless_after: re.Pattern[str] | None = None
    window: int = 10


_CLAUSE_END = re.compile(r"[。！？!?；;，,\n]")


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    right_match = _CLAUSE_END.search(text, end)
    return left, right_match.start() if right_match else len(text)


def excused(rule: TextRule, text: str, match: re.Match[str]) -> bool:
    """Whether an excuse of ``rule`` stands next to ``match`` in its clause."""
    if rule.unless_before is None and rule.unless_after is None:
        return False
    left, right = _clause_bounds(text, match.start(), match.end())
    before = text[max(left, match.start() - rule.window) : match.start()]
    after = text[match.end() : min(right, match.end() + rule.window)]
    if rule.unless_before is not None and rule.unless_before.search(before):
        return True
    return rule.unless_after is not None and rule.unless_after.match(after) is not None


def find(
    rules: tuple[TextRule, ...], text: str, field: Field, *, source: str | None = None
) -> list[Finding]:
    """Every finding of ``rules`` in ``text`` (already normalised).

    ``source`` is the same text before masking (same offsets): excerpts are cut from it.
    """
    shown = text if source is None else source
    findings: list[Finding] = []
    for rule in rules:
        for match in rule.pattern.finditer(text):
            if not excused(rule, text, match):
                excerpt = shown[match.start() : match.end()]
                findings.append(Finding(rule.rule, rule.severity, rule.message, excerpt, field))
    return findings

"""The documented match score of a worker and a gig (see docs/gig-matching.md), with reasons.

Hard rules (an excluded pair is never scored; the lists apply them in SQL):
a required skill the worker lacks, a required certificate the worker does not hold, a gig outside
the worker's travel radius, a time the worker is not available (or a day off), and an existing
booking at an overlapping time.

The score is 0–100, the weighted sum of five components in [0, 1]:

====================  ======  =============================================================
component             weight  value
====================  ======  =============================================================
skill fit             35      mean over required skills of 0.8 × level fit + 0.2 × certificate
distance              25      exp(-distance_km / 10)
reliability           20      (completed + 4) / (completed + weighted cancellations + 5)
rating                15      (Bayesian average − 1) / 4, prior mean 4.0 with weight 5
pay fit               5       min(1, offered / expected) when comparable, else 0.5
====================  ======  =============================================================

Reliability and rating are the *counterpart's*: the worker's for the poster's ranking, the
poster's for the worker's ranking.

One definition, two evaluators: the weights are declared once (``WEIGHTS``) and each term is a
function of its inputs written with ``+ - * /`` and the few functions of :class:`Maths`. Called
with numbers and :data:`PYTHON` they give :func:`score_pair`, the reference; app.gigs.matching_sql
calls the same functions with SQLAlchemy columns and its SQL ``Maths`` to build the components
and the ``sql_score`` the lists rank by and show. Only the branching (which pay comparison
applies, which requirement is met) is spelled out on each side; tests/gigs/test_match_equivalence.py
holds the SQL to the reference.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.taxonomy import PayUnit, SkillLevel, certificates_by_code, skills_by_code
from app.taxonomy.pay import format_yuan

# The weight of each component (they sum to 100).
WEIGHTS: dict[str, float] = {
    "skill": 35.0,
    "distance": 25.0,
    "reliability": 20.0,
    "rating": 15.0,
    "pay": 5.0,
}

DISTANCE_SCALE_KM = 10.0
RELIABILITY_PRIOR_DONE = 4
RELIABILITY_PRIOR_TOTAL = 5
LATE_CANCEL_WEIGHT = 3  # a late cancellation counts as three
RATING_PRIOR_MEAN = 4.0
RATING_PRIOR_COUNT = 5
LEVEL_SHARE = 0.8
CERTIFICATE_SHARE = 0.2
NO_COMPARISON = 0.5  # pay fit when offered and expected pay cannot be compared


@dataclass(frozen=True, slots=True)
class Maths:
    """The functions a term may use beyond arithmetic, for one evaluator (Python or SQL)."""

    exp: Callable[[Any], Any]
    least: Callable[[Any, Any], Any]
    real: Callable[[Any], Any]  # a floating-point value of an integer expression


PYTHON = Maths(exp=math.exp, least=min, real=float)


# --- the terms: numbers with PYTHON, column expressions with the SQL evaluator ----------------


def distance_term(km: Any, m: Maths = PYTHON) -> Any:
    return m.exp(-km / DISTANCE_SCALE_KM)


def reliability_term(completed: Any, cancelled: Any, late_cancelled: Any, m: Maths = PYTHON) -> Any:
    """(completed + 4) / (completed + on-time cancellations + 3 × late ones + 5)."""
    weighted = (
        completed
        + (cancelled - late_cancelled)
        + LATE_CANCEL_WEIGHT * late_cancelled
        + RELIABILITY_PRIOR_TOTAL
    )
    return (completed + RELIABILITY_PRIOR_DONE) / m.real(weighted)


def rating_term(rating_count: Any, rating_sum: Any, m: Maths = PYTHON) -> Any:
    """The Bayesian average rating mapped from 1–5 onto 0–1."""
    prior = RATING_PRIOR_MEAN * RATING_PRIOR_COUNT
    average = (rating_sum + prior) / m.real(rating_count + RATING_PRIOR_COUNT)
    return (average - 1) / 4


def fit_term(have: Any, want: Any, m: Maths = PYTHON) -> Any:
    """How far ``have`` reaches ``want`` (a level rank, a day's pay), capped at 1."""
    return m.least(1.0, have / m.real(want))


def requirement_term(level_fit: Any, certificate: Any) -> Any:
    """One required skill's fit: mostly the level, partly the certificate (0 or 1)."""
    return LEVEL_SHARE * level_fit + CERTIFICATE_SHARE * certificate


def record_term(distance: Any, reliability: Any, rating: Any) -> Any:
    """The weighted distance, reliability and rating components, added in this order."""
    return (
        WEIGHTS["distance"] * distance
        + WEIGHTS["reliability"] * reliability
        + WEIGHTS["rating"] * rating
    )


def place_and_record_term(
    km: Any,
    completed: Any,
    cancelled: Any,
    late_cancelled: Any,
    rating_count: Any,
    rating_sum: Any,
    m: Maths = PYTHON,
) -> Any:
    """The weighted distance, reliability and rating parts of the score."""
    return record_term(
        distance_term(km, m),
        reliability_term(completed, cancelled, late_cancelled, m),
        rating_term(rating_count, rating_sum, m),
    )


@dataclass(frozen=True, slots=True)
class Track:
    """A party's history: bookings completed and cancelled, ratings received."""

    completed: int = 0
    cancelled: int = 0
    late_cancelled: int = 0
    rating_count: int = 0
    rating_sum: int = 0


@dataclass(frozen=True, slots=True)
class Requirement:
    skill: str
    min_level: str | None = None
    certificate_required: bool = False


@dataclass(frozen=True, slots=True)
class WorkerSkill:
    code: str
    level: str
    certificates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pay:
    """What a gig offers (``unit`` hour/day/piece) and how long one day of it lasts."""

    fen: int
    unit: str
    minutes_per_day: int


@dataclass(slots=True)
class MatchScore:
    score: float
    components: dict[str, float]
    reasons: list[str] = field(default_factory=list)


def reliability(track: Track) -> float:
    return float(reliability_term(track.completed, track.cancelled, track.late_cancelled))


def completion_rate(track: Track) -> float | None:
    finished = track.completed + track.cancelled
    return track.completed / finished if finished else None


def bayesian_rating(track: Track) -> float:
    prior = RATING_PRIOR_MEAN * RATING_PRIOR_COUNT
    return (prior + track.rating_sum) / (RATING_PRIOR_COUNT + track.rating_count)


def rating_component(track: Track) -> float:
    return float(rating_term(track.rating_count, track.rating_sum))


def distance_component(km: float) -> float:
    return float(distance_term(km))


def place_and_record(km: float, track: Track) -> float:
    """The distance, reliability and rating parts of the score."""
    t = track
    return float(
        place_and_record_term(
            km, t.completed, t.cancelled, t.late_cancelled, t.rating_count, t.rating_sum
        )
    )


def certificate_label(code: str) -> str:
    cert = certificates_by_code().get(code)
    if cert is None:
        return code
    return cert.aliases[0] if cert.aliases else cert.name


def skill_name(code: str) -> str:
    skill = skills_by_code().get(code)
    return skill.name if skill else code


def _rank(level: str | None) -> int:
    return SkillLevel(level).rank if level else 1


def skill_fit(requirements: Sequence[Requirement], skills: Sequence[WorkerSkill]) -> float | None:
    """Mean fit over required skills; None when a required skill or certificate is missing."""
    if not requirements:
        return 1.0
    held = {s.code: s for s in skills}
    total = 0.0
    for req in requirements:
        skill = held.get(req.skill)
        if skill is None:
            return None
        listed = skills_by_code()[req.skill].certificates if req.skill in skills_by_code() else ()
        has_cert = bool(set(skill.certificates) & set(listed))
        if req.certificate_required and not has_cert:
            return None
        level_fit = fit_term(_rank(skill.level), _rank(req.min_level))
        cert_part = 1.0 if has_cert or not listed else 0.0
        total += float(requirement_term(level_fit, cert_part))
    return total / len(requirements)


def skill_reasons(requirements: Sequence[Requirement], skills: Sequence[WorkerSkill]) -> list[str]:
    if not requirements:
        return ["不限技能"]
    held = {s.code: s for s in skills}
    certs: list[str] = []
    levels: list[str] = []
    for req in requirements:
        skill = held[req.skill]
        listed = skills_by_code()[req.skill].certificates if req.skill in skills_by_code() else ()
        for code in skill.certificates:
            label = certificate_label(code)
            if code in listed and label not in certs:
                certs.append(label)
        text = f"{skill_name(req.skill)}·{SkillLevel(skill.level).label}"
        if _rank(skill.level) < _rank(req.min_level):
            text += f"（要求{SkillLevel(req.min_level or 'junior').label}）"
        levels.append(text)
    return [f"持{c}" for c in certs] + levels


def _per_day(fen: int, unit: str, minutes_per_day: int) -> float | None:
    if unit == PayUnit.DAY:
        return float(fen)
    if unit == PayUnit.HOUR:
        return fen * minutes_per_day / 60
    return None


def pay_fit(pay: Pay, expected_fen: int | None, expected_unit: str | None) -> float:
    if expected_fen is None or expected_unit is None or expected_fen <= 0:
        return 1.0
    offered = _per_day(pay.fen, pay.unit, pay.minutes_per_day)
    wanted = _per_day(expected_fen, expected_unit, pay.minutes_per_day)
    if offered is not None and wanted is not None:
        return float(fit_term(offered, wanted))
    if pay.unit == expected_unit == PayUnit.PIECE:
        return float(fit_term(pay.fen, expected_fen))
    return NO_COMPARISON


def _money(fen: int, unit: str) -> str:
    return f"{format_yuan(fen)}{PayUnit(unit).label}"


def pay_reason(pay: Pay, expected_fen: int | None, expected_unit: str | None, fit: float) -> str:
    offered = f"报酬 {_money(pay.fen, pay.unit)}"
    if expected_fen is None or expected_unit is None:
        return offered
    wanted = _money(expected_fen, expected_unit)
    if fit >= 1.0:
        return f"{offered}，不低于期望 {wanted}"
    return f"{offered}，期望 {wanted}"


def track_reasons(track: Track, *, counterpart: str) -> list[str]:
    """``counterpart`` is ``""`` for a worker, ``"雇主"`` for a poster."""
    rate = completion_rate(track)
    out = [
        f"{counterpart}完成率 {round(rate * 100)}%"
        if rate is not None
        else ("新人，暂无完成记录" if not counterpart else "新雇主，暂无完成记录")
    ]
    if track.late_cancelled:
        out.append(f"{counterpart}临时取消 {track.late_cancelled} 次")
    if track.rating_count:
        average = track.rating_sum / track.rating_count
        out.append(f"{counterpart}评分 {average:.1f}（{track.rating_count} 次）")
    return out


@dataclass(frozen=True, slots=True)
class Pair:
    """Everything the score of one worker–gig pair needs, whichever side asks."""

    requirements: Sequence[Requirement]
    skills: Sequence[WorkerSkill]
    distance_km: float
    counterpart: Track
    pay: Pay
    expected_fen: int | None
    expected_unit: str | None
    availability_reason: str = ""


def score_pair(pair: Pair) -> MatchScore | None:
    """The score and its components; None when a required skill or certificate is missing.

    Reasons are added separately (``add_reasons``), only for the results actually returned.
    """
    fit = skill_fit(pair.requirements, pair.skills)
    if fit is None:
        return None
    components = {
        "skill": fit,
        "distance": distance_component(pair.distance_km),
        "reliability": reliability(pair.counterpart),
        "rating": rating_component(pair.counterpart),
        "pay": pay_fit(pair.pay, pair.expected_fen, pair.expected_unit),
    }
    total = (
        WEIGHTS["skill"] * components["skill"]
        + place_and_record(pair.distance_km, pair.counterpart)
        + WEIGHTS["pay"] * components["pay"]
    )
    rounded = {k: round(v, 4) for k, v in components.items()}
    return MatchScore(score=round(total, 2), components=rounded)


def reasons(pair: Pair, pay_component: float, *, for_poster: bool) -> list[str]:
    """Skills and certificates, distance, time, record, pay (``pay_component`` as shown)."""
    return [
        *skill_reasons(pair.requirements, pair.skills),
        f"距离 {pair.distance_km:.1f} 公里",
        pair.availability_reason,
        *track_reasons(pair.counterpart, counterpart="" if for_poster else "雇主"),
        pay_reason(pair.pay, pair.expected_fen, pair.expected_unit, pay_component),
    ]


def add_reasons(match: MatchScore, pair: Pair, *, for_poster: bool) -> MatchScore:
    """Fill ``match.reasons`` (see :func:`reasons`)."""
    match.reasons = reasons(pair, match.components["pay"], for_poster=for_poster)
    return match

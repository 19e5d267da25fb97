"""The pure parts: Shanghai times to UTC, availability coverage, and the documented score."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest

from app.gigs import scoring
from app.gigs.schedule import (
    availability_reason,
    build_occurrences,
    covers,
    merge_windows,
    occurrence_segments,
    parse_hhmm,
    weekday_mask,
)
from app.gigs.scoring import Pair, Pay, Requirement, Track, WorkerSkill

SATURDAY = date(2026, 12, 5)


def test_occurrences_and_overnight_segments() -> None:
    (day,) = build_occurrences([SATURDAY], parse_hhmm("08:00"), parse_hhmm("17:00"))
    assert day.starts_at == datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
    assert day.ends_at == datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    (night,) = build_occurrences([SATURDAY], parse_hhmm("22:00"), parse_hhmm("06:00"))
    pieces = occurrence_segments([(night.starts_at, night.ends_at)])
    assert [(p.local_date.isoweekday(), p.start, p.end) for p in pieces] == [
        (6, 22 * 60, 24 * 60),
        (7, 0, 6 * 60),
    ]
    assert weekday_mask([SATURDAY]) == 0b0100000


def test_coverage_needs_every_piece_in_one_window_and_no_day_off() -> None:
    (night,) = build_occurrences([SATURDAY], parse_hhmm("22:00"), parse_hhmm("06:00"))
    pieces = occurrence_segments([(night.starts_at, night.ends_at)])
    both = merge_windows([(6, 18 * 60, 24 * 60), (7, 0, 8 * 60)])
    assert covers(both, [], pieces)
    assert not covers(merge_windows([(6, 18 * 60, 24 * 60)]), [], pieces)
    assert not covers(both, [date(2026, 12, 6)], pieces)
    # Adjacent windows merge: 08–12 and 12–18 cover 09–17.
    (day,) = build_occurrences([SATURDAY], parse_hhmm("09:00"), parse_hhmm("17:00"))
    day_pieces = occurrence_segments([(day.starts_at, day.ends_at)])
    split = merge_windows([(6, 8 * 60, 12 * 60), (6, 12 * 60, 18 * 60)])
    assert covers(split, [], day_pieces)
    assert availability_reason(split, day_pieces) == "周六 08:00-18:00 有空"
    assert availability_reason(merge_windows([(6, 0, 1440)]), day_pieces) == "周六全天有空"


def test_skill_fit_excludes_missing_skills_and_certificates() -> None:
    weld = [Requirement("welding", "intermediate", True)]
    assert scoring.skill_fit(weld, [WorkerSkill("moving", "senior")]) is None
    assert scoring.skill_fit(weld, [WorkerSkill("welding", "senior")]) is None
    assert scoring.skill_fit(weld, [WorkerSkill("welding", "senior", ("welding",))]) == 1.0
    junior = scoring.skill_fit(weld, [WorkerSkill("welding", "junior", ("welding",))])
    assert junior == pytest.approx(0.8 * 0.5 + 0.2)
    # A certificate the gig does not require still adds its share.
    care = [Requirement("home_cleaning")]
    assert scoring.skill_fit(care, [WorkerSkill("home_cleaning", "junior")]) == pytest.approx(0.8)
    assert scoring.skill_fit([], []) == 1.0


def test_reliability_weighs_late_cancellations_more() -> None:
    assert scoring.reliability(Track()) == pytest.approx(0.8)
    on_time = scoring.reliability(Track(completed=10, cancelled=1))
    late = scoring.reliability(Track(completed=10, cancelled=1, late_cancelled=1))
    assert late < on_time < scoring.reliability(Track(completed=11))
    assert scoring.completion_rate(Track(completed=24, cancelled=1)) == pytest.approx(0.96)


def test_bayesian_rating_pulls_few_ratings_towards_the_prior() -> None:
    assert scoring.bayesian_rating(Track()) == 4.0
    one_five = scoring.bayesian_rating(Track(rating_count=1, rating_sum=5))
    many_fives = scoring.bayesian_rating(Track(rating_count=50, rating_sum=250))
    assert 4.0 < one_five < many_fives < 5.0


def test_pay_fit_compares_like_with_like() -> None:
    day_gig = Pay(25000, "day", 540)
    assert scoring.pay_fit(day_gig, 20000, "day") == 1.0
    assert scoring.pay_fit(day_gig, 50000, "day") == 0.5
    assert scoring.pay_fit(Pay(3000, "hour", 480), 3000, "hour") == 1.0  # 8 h × 30 元
    assert scoring.pay_fit(Pay(3000, "hour", 480), 30000, "day") == pytest.approx(0.8)
    assert scoring.pay_fit(Pay(500, "piece", 480), 20000, "day") == 0.5
    assert scoring.pay_fit(day_gig, None, None) == 1.0


def test_closer_scores_higher() -> None:
    def pair(km: float) -> Pair:
        return Pair(
            [Requirement("moving")],
            [WorkerSkill("moving", "junior")],
            km,
            Track(),
            Pay(25000, "day", 540),
            20000,
            "day",
        )

    near, far = scoring.score_pair(pair(1)), scoring.score_pair(pair(5))
    assert near is not None and far is not None and near.score > far.score
    # 搬家搬运 lists no certificate, so skill fit is 1; a newcomer has reliability 0.8 and
    # rating (4 − 1) / 4; 250 元/天 meets the 200 expected.
    expected = 35 * 1.0 + 25 * math.exp(-0.1) + 20 * 0.8 + 15 * 0.75 + 5
    assert near.score == pytest.approx(expected, abs=0.01)

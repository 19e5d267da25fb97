"""Small random helpers shared by the demo generators."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

from app.core.geo import destination_point
from app.demo import vocabulary as words
from app.taxonomy import Area

JITTER_KM = 3.0
_T = TypeVar("_T")


def weighted(rng: random.Random, items: Sequence[_T], weights: Sequence[float]) -> _T:
    return rng.choices(items, weights)[0]


def jitter(rng: random.Random, area: Area, radius_km: float = JITTER_KM) -> tuple[float, float]:
    """A point spread uniformly over the disc of ``radius_km`` around the area's centre."""
    distance = radius_km * math.sqrt(rng.random())
    lat, lng = destination_point(area.lat, area.lng, distance, rng.uniform(0, 360))
    return round(lat, 6), round(lng, 6)


def person_name(rng: random.Random) -> str:
    """A plausible name of someone from Dongsheng (some Mongolian names among them)."""
    if rng.random() < 0.08:
        return rng.choice(words.MONGOLIAN_NAMES)
    given = "".join(rng.choices(words.GIVEN_CHARACTERS, k=rng.choice((1, 2, 2))))
    return rng.choice(words.SURNAMES) + given


def round_fen(amount_fen: float, step_yuan: int) -> int:
    """``amount_fen`` rounded to a multiple of ``step_yuan`` yuan, at least one step."""
    step = step_yuan * 100
    return max(step, round(amount_fen / step) * step)

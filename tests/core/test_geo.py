"""Distances, search boxes and walking time."""

from __future__ import annotations

import math

import pytest

from app.core.geo import (
    bounding_box,
    destination_point,
    haversine_km,
    walking_minutes,
)

DONGSHENG = (39.82, 109.98)
KANGBASHI = (39.6086, 109.7813)  # Ordos government district, about 29 km south-west


def test_zero_distance() -> None:
    assert haversine_km(*DONGSHENG, *DONGSHENG) == 0


def test_known_distances() -> None:
    # One degree of latitude is 111.2 km on the mean-radius sphere.
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.01)
    assert haversine_km(*DONGSHENG, *KANGBASHI) == pytest.approx(29.0, abs=1.0)
    # Beijing to Shanghai: about 1,067 km.
    assert haversine_km(39.9042, 116.4074, 31.2304, 121.4737) == pytest.approx(1067, abs=5)


def test_symmetric() -> None:
    assert haversine_km(*DONGSHENG, *KANGBASHI) == haversine_km(*KANGBASHI, *DONGSHENG)


def test_antipodes_do_not_fail() -> None:
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088)


@pytest.mark.parametrize("radius", [0.5, 3, 10, 50])
@pytest.mark.parametrize("centre", [DONGSHENG, (0.0, 0.0), (-33.9, 18.4), (75.0, 20.0)])
def test_box_contains_the_whole_circle(centre: tuple[float, float], radius: float) -> None:
    min_lat, max_lat, min_lng, max_lng = bounding_box(*centre, radius)
    for bearing in range(0, 360, 5):
        lat, lng = destination_point(*centre, radius * 0.999999, bearing)
        assert min_lat <= lat <= max_lat
        assert min_lng <= lng <= max_lng


def test_box_is_tight() -> None:
    _, max_lat, _, max_lng = bounding_box(*DONGSHENG, 10)
    north = haversine_km(*DONGSHENG, max_lat, DONGSHENG[1])
    assert north == pytest.approx(10, rel=1e-9)
    # The widest point of the circle lies slightly poleward of the centre's latitude.
    widest = max(destination_point(*DONGSHENG, 10, b)[1] for b in range(60, 120))
    assert max_lng == pytest.approx(widest, abs=1e-4)


def test_box_over_a_pole_spans_all_longitudes() -> None:
    min_lat, max_lat, min_lng, max_lng = bounding_box(89.99, 0, 5)
    assert (max_lat, min_lng, max_lng) == (90.0, -180.0, 180.0)
    assert min_lat < 89.99


def test_zero_radius_box_is_the_point() -> None:
    assert bounding_box(*DONGSHENG, 0) == (39.82, 39.82, 109.98, 109.98)


@pytest.mark.parametrize("radius", [-1, math.inf, math.nan])
def test_box_rejects_bad_radius(radius: float) -> None:
    with pytest.raises(ValueError):
        bounding_box(*DONGSHENG, radius)


def test_destination_point_round_trip() -> None:
    lat, lng = destination_point(*DONGSHENG, 2.5, 45)
    assert haversine_km(*DONGSHENG, lat, lng) == pytest.approx(2.5, rel=1e-9)
    assert lat > DONGSHENG[0] and lng > DONGSHENG[1]


def test_walking_minutes() -> None:
    # 4.8 km/h on streets 1.3 times longer than the straight line: 16.25 minutes per km.
    assert walking_minutes(0) == 0
    assert walking_minutes(1) == 17
    assert walking_minutes(0.9) == 15  # the plan's "一刻钟服务圈"
    with pytest.raises(ValueError):
        walking_minutes(-0.1)

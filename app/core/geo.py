"""Distances on the earth's surface, the boxes that pre-filter them, and walking time.

The service finds "near me" results in two steps: an indexed latitude/longitude range
(``bounding_box``) narrows the rows, then ``haversine_km`` measures and re-ranks them. The box is
always a superset of the circle so the first step never loses a result.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088  # mean earth radius (IUGG)

# A relaxed adult pace, and how much longer real streets are than the straight line; together
# they turn the plan's "一刻钟就业服务圈" (a 15-minute walk) into about 0.9 km as the crow flies.
WALKING_SPEED_KMH = 4.8
DETOUR_FACTOR = 1.3


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres between two WGS-84 points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    """``(min_lat, max_lat, min_lng, max_lng)`` enclosing every point within ``radius_km``.

    Uses the exact spherical longitude extent (not ``radius / cos(lat)``, which is too narrow far
    from the equator). Near a pole, or for a radius covering it, the box spans every longitude.
    Longitudes are clamped to [-180, 180] rather than wrapped: the service covers China only.
    """
    if radius_km < 0 or not math.isfinite(radius_km):
        raise ValueError("radius_km must be a finite, non-negative number")
    angular = radius_km / EARTH_RADIUS_KM
    d_lat = math.degrees(angular)
    min_lat, max_lat = lat - d_lat, lat + d_lat
    if min_lat <= -90 or max_lat >= 90:
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    d_lng = math.degrees(math.asin(min(1.0, math.sin(angular) / math.cos(math.radians(lat)))))
    return min_lat, max_lat, max(lng - d_lng, -180.0), min(lng + d_lng, 180.0)


def destination_point(
    lat: float, lng: float, distance_km: float, bearing_deg: float
) -> tuple[float, float]:
    """The point ``distance_km`` away from (lat, lng) heading ``bearing_deg`` (0 = north)."""
    angular = distance_km / EARTH_RADIUS_KM
    phi1, lambda1 = math.radians(lat), math.radians(lng)
    theta = math.radians(bearing_deg)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(angular) + math.cos(phi1) * math.sin(angular) * math.cos(theta)
    )
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(angular) * math.cos(phi1),
        math.cos(angular) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lambda2) + 540) % 360 - 180


def walking_minutes(km: float) -> int:
    """Minutes on foot for a straight-line distance, rounded up (0 km → 0 minutes)."""
    if km < 0:
        raise ValueError("km must not be negative")
    return math.ceil(km * DETOUR_FACTOR / WALKING_SPEED_KMH * 60)

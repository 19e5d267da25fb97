"""Prometheus metrics: request counts and latency histograms by route template.

With several uvicorn workers, ``PROMETHEUS_MULTIPROC_DIR`` is set by ``serve`` and the exposition
aggregates every worker's files.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests by route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by route template",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)

READ_CACHE_LOOKUPS = Counter(
    "read_cache_lookups_total",
    "Lookups in the in-memory response caches (job detail, job search first pages) by result",
    ["cache", "result"],
)

WECHAT_CONFIGURATION_ERRORS = Counter(
    "wechat_configuration_errors_total",
    "WeChat refused the service's AppID, secret or server address (an operator must act)",
    ["errcode"],
)


def observe(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST

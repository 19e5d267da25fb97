"""The one cursor rule of app.core.keyset: what a cursor holds, what is refused, how a page is cut."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.core.keyset import (
    DATE_ID,
    ID,
    INTEGER,
    NUMBER,
    TEXT,
    TIME_ID,
    created_key,
    keyset,
    tag,
)
from app.core.pagination import InvalidCursor
from tests.support.factories import auth, make_user

IDENT = uuid.UUID("0b6c3f4e-1d2a-4c5b-9e8f-7a6b5c4d3e2f")


def _raw(values: Any) -> str:
    """A cursor made by hand, as a client tampering with one would."""
    text = json.dumps(values)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_a_time_id_key_round_trips_with_its_offset() -> None:
    beijing = timezone(timedelta(hours=8))
    for stamp in (
        datetime(2026, 1, 2, 3, 4, 5, 678901, UTC),
        datetime(2026, 6, 1, 9, tzinfo=beijing),
    ):
        key = TIME_ID.decode(TIME_ID.encode((stamp, IDENT)))
        assert key == (stamp, IDENT)
        assert key is not None and key[0].utcoffset() == stamp.utcoffset()


def test_other_keys_round_trip() -> None:
    assert DATE_ID.decode(DATE_ID.encode((date(2026, 3, 1), IDENT))) == (date(2026, 3, 1), IDENT)
    by_score = keyset(NUMBER, ID)
    assert by_score.decode(by_score.encode((87.5, IDENT))) == (87.5, IDENT)
    by_order = keyset(INTEGER, TEXT)
    assert by_order.decode(by_order.encode((3, "社保卡补办"))) == (3, "社保卡补办")
    tagged = keyset(tag("newest"), INTEGER, ID)
    assert tagged.decode(tagged.encode(("newest", 500_000, IDENT))) == ("newest", 500_000, IDENT)


def test_no_cursor_or_an_empty_one_is_the_first_page() -> None:
    assert TIME_ID.decode(None) is None
    assert TIME_ID.decode("") is None


def test_a_naive_timestamp_is_an_invalid_cursor() -> None:
    naive = _raw(["2026-01-02T03:04:05", str(IDENT)])
    with pytest.raises(InvalidCursor):
        TIME_ID.decode(naive)
    date_only = _raw(["2026-01-02", str(IDENT)])
    with pytest.raises(InvalidCursor):
        TIME_ID.decode(date_only)


def test_writing_a_naive_timestamp_is_a_bug() -> None:
    with pytest.raises(ValueError, match="offset"):
        TIME_ID.encode((datetime(2026, 1, 2), IDENT))


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",  # not base64 of JSON
        "%%%",
        _raw({"a": 1}),  # not a list
        _raw(["2026-01-02T03:04:05+00:00"]),  # too short
        _raw(["2026-01-02T03:04:05+00:00", str(IDENT), 1]),  # too long
        _raw([1, 2]),  # wrong kinds
        _raw(["yesterday", str(IDENT)]),  # not a timestamp
        _raw(["2026-01-02T03:04:05+00:00", "not-a-uuid"]),
        _raw(["2026-01-02T03:04:05+00:00", None]),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),  # not UTF-8
    ],
)
def test_garbage_is_an_invalid_cursor(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        TIME_ID.decode(cursor)


@pytest.mark.parametrize(
    ("shape", "values"),
    [
        (keyset(NUMBER, ID), [True, str(IDENT)]),  # a boolean is not a number
        (keyset(NUMBER, ID), ["1.5", str(IDENT)]),  # nor is a string
        (keyset(INTEGER, TEXT), [1.5, "a"]),  # a float is not an integer
        (keyset(INTEGER, TEXT), [1, "a\x00b"]),  # text holds no NUL
        (keyset(tag("newest"), INTEGER, ID), ["salary", 1, str(IDENT)]),  # another sort's cursor
    ],
)
def test_each_part_keeps_its_kind(shape: Any, values: list[Any]) -> None:
    with pytest.raises(InvalidCursor):
        shape.decode(_raw(values))


def test_a_non_finite_number_is_refused() -> None:
    cursor = base64.urlsafe_b64encode(f'[NaN,"{IDENT}"]'.encode()).decode()
    with pytest.raises(InvalidCursor):
        keyset(NUMBER, ID).decode(cursor)


class _Row:
    def __init__(self, n: int) -> None:
        self.created_at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
        self.id = uuid.UUID(int=n)
        self.n = n


def test_a_page_keeps_limit_rows_and_points_after_the_last() -> None:
    rows = [_Row(n) for n in range(4)]  # limit 3, fetched limit + 1
    page = TIME_ID.page(rows, 3, key=created_key, item=lambda r: r.n)
    assert page.items == [0, 1, 2]
    assert TIME_ID.decode(page.next_cursor) == (rows[2].created_at, rows[2].id)


def test_the_last_page_has_no_cursor() -> None:
    rows = [_Row(n) for n in range(3)]
    shown, next_cursor = TIME_ID.cut(rows, 3, key=created_key)
    assert [r.n for r in shown] == [0, 1, 2]
    assert next_cursor is None
    assert TIME_ID.page([], 3, key=created_key, item=lambda r: r.n).model_dump() == {
        "items": [],
        "next_cursor": None,
    }


async def test_lists_refuse_a_naive_timestamp_cursor(
    client: httpx.AsyncClient, app: FastAPI, session: Any
) -> None:
    """Lists whose private decoders used to assume UTC or accept naive stamps now refuse them."""
    user = await make_user(session, app)
    naive = _raw(["2026-01-02T03:04:05", str(IDENT)])
    aware = _raw(["2026-01-02T03:04:05+08:00", str(IDENT)])
    for url in (
        "/api/v1/me/applications",
        "/api/v1/me/employers",
        "/api/v1/me/subsidy-applications",
        "/api/v1/me/complaints",
        "/api/v1/me/gig-bookings",
    ):
        refused = await client.get(url, params={"cursor": naive}, headers=auth(app, user))
        assert refused.status_code == 422, url
        assert refused.json()["code"] == "pagination.cursor_invalid", url
        accepted = await client.get(url, params={"cursor": aware}, headers=auth(app, user))
        assert accepted.status_code == 200, url
        assert accepted.json() == {"items": [], "next_cursor": None}, url

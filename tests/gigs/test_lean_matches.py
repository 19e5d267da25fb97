"""The lean match lists answer exactly like the documented routes, and only when they can.

An unknown query parameter makes a request fall through to the full FastAPI route (which ignores
it), so each case is asked both ways and the answers compared byte for byte.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.routing import Match

from app.gigs import lean_matches
from app.gigs.lean_matches import GIG_MATCHES, WORKER_MATCHES, LeanMatchRoute
from app.identity.models import User
from tests.gigs.helpers import make_poster, make_worker, north_of_base, post_gig
from tests.support.factories import auth, make_staff


async def _both(
    client: httpx.AsyncClient, path: str, headers: dict[str, str] | None, **params: Any
) -> tuple[httpx.Response, httpx.Response]:
    lean = await client.get(path, params=params, headers=headers)
    full = await client.get(path, params={**params, "via": "full"}, headers=headers)
    assert lean.status_code == full.status_code, (lean.text, full.text)
    if lean.status_code == 200:
        assert lean.content == full.content
    else:  # the same error envelope; each request has its own id
        assert {**lean.json(), "request_id": None} == {**full.json(), "request_id": None}
    assert lean.headers["content-type"] == full.headers["content-type"]
    return lean, full


async def _workers(session: AsyncSession, app: FastAPI, count: int) -> list[User]:
    workers = []
    for i in range(count):
        lat, lng = north_of_base(0.5 + i * 0.7)
        workers.append(await make_worker(session, app, f"李{i}", home_lat=lat, home_lng=lng))
    return workers


async def test_both_lists_and_their_next_pages_are_byte_for_byte_the_full_ones(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gigs = [await post_gig(client, app, poster, title=f"仓库装卸工 {i} 号") for i in range(3)]
    workers = await _workers(session, app, 3)
    applied = await client.post(
        f"/api/v1/gigs/{gigs[0]['id']}/applications", json={}, headers=auth(app, workers[1])
    )
    assert applied.status_code == 201, applied.text

    path = f"/api/v1/gigs/{gigs[0]['id']}/matches"
    lean, _ = await _both(client, path, auth(app, poster), limit=2)
    page = lean.json()
    assert lean.status_code == 200 and len(page["items"]) == 2 and page["next_cursor"]
    assert page["items"][1]["contact_revealed"] is True  # the worker who applied
    rest, _ = await _both(client, path, auth(app, poster), limit=2, cursor=page["next_cursor"])
    assert [m["worker_id"] for m in rest.json()["items"]] == [str(workers[2].id)]
    await _both(client, path, auth(app, poster))  # the default limit

    mine, _ = await _both(client, GIG_MATCHES, auth(app, workers[0]), limit=2)
    assert len(mine.json()["items"]) == 2 and mine.json()["next_cursor"]
    cursor = mine.json()["next_cursor"]
    await _both(client, GIG_MATCHES, auth(app, workers[0]), limit=2, cursor=cursor)


async def test_errors_are_the_same_on_both_paths(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster)
    stranger = await make_poster(session, app, "钱老板")
    (worker,) = await _workers(session, app, 1)

    path = f"/api/v1/gigs/{gig['id']}/matches"
    foreign, _ = await _both(client, path, auth(app, stranger))
    assert foreign.status_code == 404 and foreign.json()["code"] == "gig.not_found"
    unknown, _ = await _both(client, f"/api/v1/gigs/{worker.id}/matches", auth(app, poster))
    assert unknown.status_code == 404
    no_profile, _ = await _both(client, GIG_MATCHES, auth(app, poster))
    assert no_profile.status_code == 409 and no_profile.json()["code"] == "gig.profile_required"

    await session.execute(update(User).where(User.id == worker.id).values(is_active=False))
    await session.flush()
    gone, _ = await _both(client, GIG_MATCHES, auth(app, worker))
    assert gone.status_code == 401 and gone.json()["code"] == "auth.token_invalid"


@pytest.mark.parametrize(
    "query",
    [
        b"limit=0",
        b"limit=51",
        b"limit=020",
        b"limit=2&limit=3",
        b"cursor=",
        b"cursor=%00",
        b"cursor=a%2Fb",
        b"other=1",
    ],
)
def test_unusual_queries_fall_through_to_the_documented_route(app: FastAPI, query: bytes) -> None:
    assert lean_matches._paging(query) is None


def test_usual_queries_take_the_lean_path() -> None:
    assert lean_matches._paging(b"") == (20, None)
    assert lean_matches._paging(b"limit=50&cursor=AbC-_1==") == (50, "AbC-_1==")


def _scope(app: FastAPI, path: str, headers: dict[str, str], method: str = "GET") -> Any:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return {"type": "http", "method": method, "path": path, "query_string": b"",
            "headers": raw, "app": app, "root_path": ""}  # fmt: skip


async def test_only_a_user_token_and_a_canonical_id_take_the_lean_path(
    app: FastAPI, session: AsyncSession
) -> None:
    user = await make_poster(session, app)
    staff = await make_staff(session)
    route = LeanMatchRoute(WORKER_MATCHES, lean_matches.worker_matches, methods=["GET"])
    gig_path = f"/api/v1/gigs/{user.id}/matches"

    def match(path: str, headers: dict[str, str], method: str = "GET") -> Match:
        return route.matches(_scope(app, path, headers, method))[0]

    assert match(gig_path, auth(app, user)) is Match.FULL
    assert match(gig_path, auth(app, user), "HEAD") is Match.NONE
    assert match(gig_path, {}) is Match.NONE
    assert match(gig_path, auth(app, staff)) is Match.NONE
    assert match(gig_path, {"Authorization": "Bearer not-a-token"}) is Match.NONE
    assert match(gig_path.replace("-", ""), auth(app, user)) is Match.NONE
    mine = LeanMatchRoute(GIG_MATCHES, lean_matches.gig_matches, methods=["GET"])
    assert mine.matches(_scope(app, GIG_MATCHES, auth(app, user)))[0] is Match.FULL


async def test_gigs_without_or_with_two_requirements_read_the_same_both_ways(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    """Every profile (no requirement) or one skill's entries tested for the second (two)."""
    poster = await make_poster(session, app)
    cleaner = [
        {"code": "moving", "level": "senior", "certificates": []},
        {"code": "home_cleaning", "level": "junior", "certificates": ["health"]},
    ]
    workers = await _workers(session, app, 2)
    workers.append(await make_worker(session, app, "周师傅", skills=cleaner))
    anyone = await post_gig(client, app, poster, required_skills=[])
    both = await post_gig(
        client,
        app,
        poster,
        required_skills=[
            {"skill": "moving", "min_level": "intermediate"},
            {"skill": "home_cleaning", "certificate_required": True},
        ],
    )
    page, _ = await _both(client, f"/api/v1/gigs/{anyone['id']}/matches", auth(app, poster))
    assert {m["worker_id"] for m in page.json()["items"]} == {str(w.id) for w in workers}
    page, _ = await _both(client, f"/api/v1/gigs/{both['id']}/matches", auth(app, poster))
    assert [m["worker_id"] for m in page.json()["items"]] == [str(workers[2].id)]
    mine, _ = await _both(client, GIG_MATCHES, auth(app, workers[2]))
    assert {g["gig"]["id"] for g in mine.json()["items"]} == {anyone["id"], both["id"]}

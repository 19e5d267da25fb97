"""The lean job detail answers exactly like the documented route; ETag and 304.

A query string makes a request fall through to the full FastAPI route (which ignores unknown
query parameters), so each case is asked both ways and the bodies compared byte for byte.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.jobs.models import Job
from tests.employers.factories import post_job
from tests.files.test_pictures import upload
from tests.jobs.conftest import Employers
from tests.support.clock import installed_clock, local
from tests.support.factories import auth, make_staff


async def _both(
    client: httpx.AsyncClient, job_id: object, headers: dict[str, str] | None = None
) -> tuple[httpx.Response, httpx.Response]:
    lean = await client.get(f"/api/v1/jobs/{job_id}", headers=headers)
    full = await client.get(f"/api/v1/jobs/{job_id}?via=full", headers=headers)
    assert "etag" not in full.headers
    assert lean.status_code != 200 or "etag" in lean.headers  # the lean path answered
    return lean, full


async def test_the_lean_detail_is_byte_for_byte_the_full_one(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    owner = employers.owner_a
    photos = [(await upload(client, app, owner, "job_photo"))["id"] for _ in range(2)]
    job = await post_job(client, app, owner, employers.employer_a.id, photo_file_ids=photos)

    lean, full = await _both(client, job["id"])

    assert lean.status_code == full.status_code == 200
    assert lean.content == full.content
    assert lean.headers["content-type"] == full.headers["content-type"] == "application/json"
    body = lean.json()
    assert body["moderation"] is None and body["photo_file_ids"] == photos
    assert len(body["photo_urls"]) == 2 and body["employer"]["name"] == employers.employer_a.name


async def test_an_expired_job_reads_the_same_on_both_paths(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    later = local(2099, 1, 1, 9)
    with installed_clock(app, later):
        lean, full = await _both(client, job["id"])
    assert lean.content == full.content
    assert lean.json()["is_expired"] is True and lean.json()["can_apply"] is False


async def test_unknown_unpublished_and_malformed_ids_answer_the_same_errors(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    await session.execute(update(Job).where(Job.id == job["id"]).values(status="pending_review"))
    await session.flush()

    for job_id in (uuid.uuid4(), job["id"]):
        lean = await client.get(f"/api/v1/jobs/{job_id}")
        full = await client.get(f"/api/v1/jobs/{job_id}?via=full")
        assert lean.status_code == full.status_code == 404
        lean_body, full_body = lean.json(), full.json()
        assert lean_body.pop("request_id") and full_body.pop("request_id")
        assert (
            lean_body
            == full_body
            == {
                "code": "job.not_found",
                "message": "岗位不存在或已下架",
                "details": None,
            }
        )

    for malformed in ("abc", "1" * 40, str(uuid.uuid4())[:-1]):
        response = await client.get(f"/api/v1/jobs/{malformed}")
        assert response.status_code == 422
        assert response.json()["code"] == "validation_error"


async def test_etag_and_if_none_match(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    first = await client.get(f"/api/v1/jobs/{job['id']}")
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.headers["cache-control"] == "no-cache"

    same = await client.get(f"/api/v1/jobs/{job['id']}", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["etag"] == etag
    weak = await client.get(f"/api/v1/jobs/{job['id']}", headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304
    other = await client.get(f"/api/v1/jobs/{job['id']}", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.content == first.content

    # A new day changes the answer (is_expired may flip, signed links move): a new ETag.
    with installed_clock(app, local(2099, 1, 1, 9) - timedelta(days=1)):
        moved = await client.get(f"/api/v1/jobs/{job['id']}", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["etag"] != etag


async def test_only_get_takes_the_lean_path(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    lean_head = await client.head(f"/api/v1/jobs/{job['id']}")
    full_head = await client.head(f"/api/v1/jobs/{job['id']}?via=full")
    assert lean_head.status_code == full_head.status_code
    assert "etag" not in lean_head.headers


async def test_a_user_token_takes_the_lean_path_with_the_same_answers(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    member, stranger = auth(app, employers.owner_a), auth(app, employers.seeker)

    for headers in (member, stranger):  # published: members also see the moderation
        lean, full = await _both(client, job["id"], headers)
        assert lean.status_code == 200 and lean.content == full.content
        assert lean.headers["cache-control"] == "private, no-cache"
    assert (await client.get(f"/api/v1/jobs/{job['id']}", headers=member)).json()["moderation"]
    assert (await client.get(f"/api/v1/jobs/{job['id']}", headers=stranger)).json()[
        "moderation"
    ] is None

    await session.execute(update(Job).where(Job.id == job["id"]).values(status="pending_review"))
    await session.flush()
    lean, full = await _both(client, job["id"], member)  # unpublished: the member only
    assert lean.status_code == 200 and lean.content == full.content
    lean, full = await _both(client, job["id"], stranger)
    assert lean.status_code == full.status_code == 404

    # A deactivated member is anyone: 404 on both paths.
    employers.owner_a.is_active = False
    await session.flush()
    lean, full = await _both(client, job["id"], member)
    assert lean.status_code == full.status_code == 404


async def test_staff_and_invalid_tokens_take_the_full_route(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    await session.execute(update(Job).where(Job.id == job["id"]).values(status="pending_review"))
    await session.flush()
    staff = await client.get(
        f"/api/v1/jobs/{job['id']}", headers=auth(app, await make_staff(session))
    )
    assert staff.status_code == 200 and "etag" not in staff.headers
    assert staff.json()["moderation"] is not None

    bad = await client.get(
        f"/api/v1/jobs/{job['id']}", headers={"Authorization": "Bearer not-a-token"}
    )
    assert bad.status_code == 401 and bad.json()["code"] == "auth.token_invalid"
    basic = await client.get(f"/api/v1/jobs/{job['id']}", headers={"Authorization": "Basic eA=="})
    assert basic.status_code == 404 and "etag" not in basic.headers  # anonymous, full route

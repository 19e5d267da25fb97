"""Who sees what: employers see their own applicants only; phones stay masked elsewhere."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.applications.helpers import (
    OTHER_PHONE,
    SEEKER_PHONE,
    World,
    add_member,
    apply,
    patch_status,
    put_resume,
)
from tests.support.factories import auth, make_user


async def _applied(client: httpx.AsyncClient, app: FastAPI, world: World) -> str:
    await put_resume(client, app, world.seeker)
    response = await apply(client, app, world.seeker, world.job_b.id)
    assert response.status_code == 201
    return str(response.json()["id"])


async def test_the_employer_sees_the_applicants_name_and_phone_in_full(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    response = await client.get(
        f"/api/v1/jobs/{world.job_b.id}/applications", headers=auth(app, world.recruiter_b)
    )
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["id"] == application_id
    assert item["applicant"] == {
        "user_id": str(world.seeker.id),
        "name": "张三",
        "phone": SEEKER_PHONE,
        "contact_visible": True,
    }
    assert item["resume"]["education"][0]["school"] == "内蒙古大学"
    detail = await client.get(
        f"/api/v1/applications/{application_id}", headers=auth(app, world.recruiter_b)
    )
    assert detail.json()["applicant"]["phone"] == SEEKER_PHONE


async def test_every_member_of_the_employer_sees_its_applicants(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    await _applied(client, app, world)
    colleague = await make_user(session, app)
    await add_member(session, world.employer_b, colleague)
    response = await client.get(
        f"/api/v1/jobs/{world.job_b.id}/applications", headers=auth(app, colleague)
    )
    assert len(response.json()["items"]) == 1


async def test_a_member_of_another_employer_sees_nothing_and_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    intruder = auth(app, world.recruiter_a)
    listing = await client.get(f"/api/v1/jobs/{world.job_b.id}/applications", headers=intruder)
    assert listing.status_code == 404
    assert listing.json()["code"] == "job.not_found"
    assert SEEKER_PHONE not in listing.text
    detail = await client.get(f"/api/v1/applications/{application_id}", headers=intruder)
    assert detail.status_code == 404
    assert SEEKER_PHONE not in detail.text
    patched = await patch_status(client, app, world.recruiter_a, application_id, "rejected")
    assert patched.status_code == 404
    # Nothing changed for the real employer.
    own = await client.get(
        f"/api/v1/applications/{application_id}", headers=auth(app, world.recruiter_b)
    )
    assert own.json()["status"] == "submitted"
    assert len(own.json()["history"]) == 1


async def test_a_non_applicants_phone_never_reaches_an_employer(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    await _applied(client, app, world)  # the seeker applied to B; the other seeker did not
    await put_resume(client, app, world.other_seeker)
    responses = [
        await client.get(f"/api/v1/jobs/{job.id}/applications", headers=auth(app, recruiter))
        for job, recruiter in ((world.job_a, world.recruiter_a), (world.job_b, world.recruiter_b))
    ]
    for response in responses:
        assert response.status_code == 200
        assert OTHER_PHONE not in response.text
        assert str(world.other_seeker.id) not in response.text
    # Employer A's own job has no applicants, so even the seeker's phone is not there.
    assert responses[0].json()["items"] == []
    assert SEEKER_PHONE not in responses[0].text


async def test_after_withdrawal_the_phone_is_masked(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    await client.post(
        f"/api/v1/applications/{application_id}/withdraw", headers=auth(app, world.seeker)
    )
    response = await client.get(
        f"/api/v1/jobs/{world.job_b.id}/applications", headers=auth(app, world.recruiter_b)
    )
    [item] = response.json()["items"]
    assert item["applicant"]["contact_visible"] is False
    assert item["applicant"]["phone"] != SEEKER_PHONE
    assert item["applicant"]["phone"].startswith(SEEKER_PHONE[:3])
    assert "*" in item["applicant"]["phone"]
    assert item["applicant"]["name"] != "张三"
    assert SEEKER_PHONE not in response.text


async def test_a_person_who_refuses_calls_stays_masked(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    world.seeker.contact_preferences = {"allow_phone_calls": False}
    await session.flush()
    await _applied(client, app, world)
    response = await client.get(
        f"/api/v1/jobs/{world.job_b.id}/applications", headers=auth(app, world.recruiter_b)
    )
    assert SEEKER_PHONE not in response.text
    assert response.json()["items"][0]["applicant"]["contact_visible"] is False


async def test_applicants_see_only_their_own_applications(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    await put_resume(client, app, world.other_seeker)
    await apply(client, app, world.other_seeker, world.job_a.id)

    mine = await client.get("/api/v1/me/applications", headers=auth(app, world.seeker))
    assert [i["id"] for i in mine.json()["items"]] == [application_id]
    theirs = await client.get("/api/v1/me/applications", headers=auth(app, world.other_seeker))
    assert [i["job"]["id"] for i in theirs.json()["items"]] == [str(world.job_a.id)]

    peek = await client.get(
        f"/api/v1/applications/{application_id}", headers=auth(app, world.other_seeker)
    )
    assert peek.status_code == 404
    # A job seeker is not a member of the employer: its applicant list is not theirs.
    listing = await client.get(
        f"/api/v1/jobs/{world.job_b.id}/applications", headers=auth(app, world.seeker)
    )
    assert listing.status_code == 404


async def test_the_applicants_own_view_carries_no_contact_data(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    detail = await client.get(
        f"/api/v1/applications/{application_id}", headers=auth(app, world.seeker)
    )
    assert detail.json()["viewer_role"] == "applicant"
    assert detail.json()["applicant"] is None
    assert SEEKER_PHONE not in detail.text


async def test_anonymous_callers_are_refused(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    for method, url in (
        ("GET", "/api/v1/me/applications"),
        ("GET", f"/api/v1/jobs/{world.job_b.id}/applications"),
        ("GET", f"/api/v1/applications/{application_id}"),
        ("POST", f"/api/v1/jobs/{world.job_b.id}/applications"),
        ("POST", f"/api/v1/applications/{application_id}/withdraw"),
        ("GET", "/api/v1/me/employment-events"),
    ):
        response = await client.request(method, url)
        assert response.status_code == 401, url

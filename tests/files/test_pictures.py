"""Pictures: avatars, logos and job photos from uploads; signed links; safe thumbnails."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import system_clock
from app.core.config import Settings
from app.core.file_links import BUCKET_SECONDS, FileLinkSigner
from app.files import images
from app.files.models import StoredFile
from app.identity.models import User
from tests.employers.factories import (
    add_recruiter,
    employer_payload,
    job_payload,
    job_put_body,
    make_employer,
    post_job,
)
from tests.support.clock import installed_clock
from tests.support.factories import auth, make_user


def picture(width: int = 800, height: int = 600, fmt: str = "JPEG", **save: Any) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    out = io.BytesIO()
    Image.new(mode, (width, height), (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient, app: FastAPI, user: User, purpose: str, data: bytes | None = None
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/files",
        headers=auth(app, user),
        files={"file": ("p.jpg", data if data is not None else picture(), "image/jpeg")},
        data={"purpose": purpose},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _path(url: str) -> str:
    """Links are root-relative unless PUBLIC_BASE_URL is set."""
    assert url.startswith("/api/v1/files/"), url
    return url


async def test_avatar_upload_set_on_profile_and_fetched_without_headers(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    original = picture(1200, 900)
    uploaded = await upload(client, app, user, "avatar", original)
    assert uploaded["thumbnail_url"] and uploaded["url"]

    patched = await client.put(
        "/api/v1/me", headers=auth(app, user), json={"avatar_file_id": uploaded["id"]}
    )
    assert patched.status_code == 200, patched.text
    me = (await client.get("/api/v1/me", headers=auth(app, user))).json()
    assert me["avatar_file_id"] == uploaded["id"]
    fetched = await client.get(_path(me["avatar_url"]))  # no Authorization header
    assert fetched.status_code == 200, fetched.text
    assert fetched.content == original and fetched.headers["content-type"] == "image/jpeg"
    assert "max-age=" in fetched.headers["cache-control"]

    thumb = await client.get(_path(me["avatar_thumbnail_url"]))
    assert thumb.status_code == 200
    with Image.open(io.BytesIO(thumb.content)) as small:
        assert max(small.size) <= images.THUMBNAIL_EDGE and small.size == (256, 192)
    assert len(thumb.content) < len(original)

    cleared = await client.put("/api/v1/me", headers=auth(app, user), json={"avatar_file_id": None})
    assert cleared.json()["avatar_url"] is None and cleared.json()["avatar_thumbnail_url"] is None


async def test_tampered_and_expired_links_are_refused(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    start = system_clock()
    with installed_clock(app, start) as clock:
        url = (await upload(client, app, user, "avatar"))["url"]
        assert (await client.get(url)).status_code == 200
        query = parse_qs(urlsplit(url).query)
        other_file = url.replace(url.split("/")[4], str(uuid.uuid4()))
        tampered = [
            url.replace(query["sig"][0], "A" * len(query["sig"][0])),
            url.replace(f"exp={query['exp'][0]}", f"exp={int(query['exp'][0]) + 600}"),
            url + "&variant=thumb",
            other_file,
            url.split("?")[0],
        ]
        for bad in tampered:
            response = await client.get(bad)
            assert response.status_code == 403, bad
            assert response.json()["code"] == "file.link_invalid"
            assert set(response.json()) == {"code", "message", "details", "request_id"}

        clock.set(start + timedelta(seconds=app.state.settings.storage.link_ttl_seconds - 1))
        assert (await client.get(url)).status_code == 200  # within the hour: still good
        clock.set(start + timedelta(seconds=3600 + BUCKET_SECONDS))
        expired = await client.get(url)
        assert expired.status_code == 403 and expired.json()["code"] == "file.link_expired"


def test_links_are_stable_within_a_bucket_and_absolute_with_a_base_url() -> None:
    signer = FileLinkSigner(key=b"k" * 32, ttl_seconds=3600, base_url="https://api.example.cn")
    file_id = uuid.uuid4()
    start = datetime.fromtimestamp(2_000_000 * BUCKET_SECONDS - 3600 + 1, UTC)
    first = signer.url(file_id, "original", start)
    assert first.startswith(f"https://api.example.cn/api/v1/files/{file_id}/content?exp=")
    assert parse_qs(urlsplit(first).query)["exp"] == [str(2_000_001 * BUCKET_SECONDS)]
    later = start + timedelta(seconds=BUCKET_SECONDS - 1)
    assert signer.url(file_id, "original", later) == first  # same page, same URL: cached
    assert signer.url(file_id, "original", later + timedelta(seconds=1)) != first


async def test_someone_elses_or_wrong_file_is_refused(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    stranger = await make_user(session, app)
    theirs = await upload(client, app, stranger, "avatar")
    wrong_purpose = await upload(client, app, user, "certificate")
    pdf = await upload(client, app, user, "other", b"%PDF-1.7\n%test\n")
    for file_id in (theirs["id"], wrong_purpose["id"], pdf["id"], str(uuid.uuid4())):
        response = await client.put(
            "/api/v1/me", headers=auth(app, user), json={"avatar_file_id": file_id}
        )
        assert response.status_code == 422, file_id
        assert response.json()["code"] == "file.picture_unusable"
        assert "头像" in response.json()["message"]
    assert pdf["thumbnail_url"] is None


async def test_picture_uploads_must_decode(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    fake_png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = await client.post(
        "/api/v1/files",
        headers=auth(app, user),
        files={"file": ("a.png", fake_png, "image/png")},
        data={"purpose": "avatar"},
    )
    assert response.status_code == 422 and response.json()["code"] == "file.image_unreadable"
    pdf = await client.post(
        "/api/v1/files",
        headers=auth(app, user),
        files={"file": ("a.pdf", b"%PDF-1.7\n", "application/pdf")},
        data={"purpose": "job_photo"},
    )
    assert pdf.status_code == 415
    # A material that does not decode is still kept (scans), only without a thumbnail.
    kept = await upload(client, app, user, "subsidy_material", fake_png)
    assert kept["thumbnail_url"] is None


def test_pixel_cap_and_decompression_bombs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    with pytest.raises(images.ImageTooLarge):
        images.make_thumbnail(picture(101, 100))
    assert images.make_thumbnail(picture(100, 100)).width == 100
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow's own guard stays on
    monkeypatch.setattr(images, "MAX_PIXELS", 10**9)
    with pytest.raises(images.ImageUnreadable):
        images.make_thumbnail(picture(100, 100))


def test_thumbnail_is_upright_and_has_no_metadata() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x8825] = {2: (39.0, 48.0, 0.0), 4: (109.0, 59.0, 0.0)}  # GPS position
    source = picture(400, 200, exif=exif.tobytes())
    thumb = images.make_thumbnail(source)
    assert thumb.content_type == "image/jpeg"
    with Image.open(io.BytesIO(thumb.data)) as small:
        assert small.size == (128, 256)  # portrait once turned upright
        assert not small.getexif() and "exif" not in small.info
    png = images.make_thumbnail(picture(300, 300, "PNG"))
    assert png.content_type == "image/png"  # transparency kept


async def test_employer_logo(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app)
    recruiter = await make_user(session, app)
    employer = await make_employer(session, owner)
    await add_recruiter(session, employer, recruiter)
    logo = await upload(client, app, owner, "employer_logo")
    url = f"/api/v1/employers/{employer.id}/logo"
    body = {"logo_file_id": logo["id"]}
    assert (await client.put(url, json=body, headers=auth(app, recruiter))).status_code == 403
    avatar = await upload(client, app, owner, "avatar")
    wrong = await client.put(url, json={"logo_file_id": avatar["id"]}, headers=auth(app, owner))
    assert wrong.status_code == 422 and "单位标志" in wrong.json()["message"]
    response = await client.put(url, json=body, headers=auth(app, owner))
    assert response.status_code == 200, response.text
    public = (await client.get(f"/api/v1/employers/{employer.id}")).json()
    assert public["logo_file_id"] == logo["id"]
    assert (await client.get(public["logo_thumbnail_url"])).status_code == 200
    job = await post_job(client, app, owner, employer.id)
    assert (await client.get(job["employer"]["logo_url"])).status_code == 200


async def test_job_photos(client: httpx.AsyncClient, app: FastAPI, session: AsyncSession) -> None:
    owner = await make_user(session, app)
    recruiter = await make_user(session, app)
    employer = await make_employer(session, owner)
    await add_recruiter(session, employer, recruiter)
    photos = [(await upload(client, app, owner, "job_photo"))["id"] for _ in range(7)]

    too_many = await client.post(
        "/api/v1/jobs",
        headers=auth(app, owner),
        json=job_payload(employer.id, photo_file_ids=photos),
    )
    assert too_many.status_code == 422
    job = await post_job(client, app, owner, employer.id, photo_file_ids=photos[:3])
    assert job["photo_file_ids"] == photos[:3] and len(job["photo_thumbnail_urls"]) == 3
    detail = (await client.get(f"/api/v1/jobs/{job['id']}")).json()
    assert detail["photo_file_ids"] == photos[:3]
    assert (await client.get(detail["photo_urls"][2])).status_code == 200

    # A recruiter keeps the owner's photos, reorders them and adds their own; not someone else's.
    mine = (await upload(client, app, recruiter, "job_photo"))["id"]
    edit = await client.put(
        f"/api/v1/jobs/{job['id']}",
        headers=auth(app, recruiter),
        json=job_put_body(job, photo_file_ids=[photos[1], mine, photos[0]]),
    )
    assert edit.status_code == 200, edit.text
    assert edit.json()["photo_file_ids"] == [photos[1], mine, photos[0]]
    foreign = await client.put(
        f"/api/v1/jobs/{job['id']}",
        headers=auth(app, recruiter),
        json=job_put_body(job, photo_file_ids=[photos[5]]),
    )
    assert foreign.status_code == 422 and foreign.json()["code"] == "file.picture_unusable"
    listed = (
        await client.get(f"/api/v1/employers/{employer.id}/jobs", headers=auth(app, owner))
    ).json()
    assert listed["items"][0]["photo_file_ids"] == [photos[1], mine, photos[0]]


async def test_a_deleted_file_renders_as_no_picture(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)
    avatar = await upload(client, app, owner, "avatar")
    logo = await upload(client, app, owner, "employer_logo")
    photo = await upload(client, app, owner, "job_photo")
    headers = auth(app, owner)
    await client.put("/api/v1/me", headers=headers, json={"avatar_file_id": avatar["id"]})
    await client.put(
        f"/api/v1/employers/{employer.id}/logo", headers=headers, json={"logo_file_id": logo["id"]}
    )
    job = await post_job(client, app, owner, employer.id, photo_file_ids=[photo["id"]])
    for body in (avatar, logo, photo):
        stored = await session.get(StoredFile, uuid.UUID(body["id"]))
        await session.delete(stored)
    await session.flush()
    session.expunge_all()

    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert me["avatar_url"] is None
    detail = (await client.get(f"/api/v1/jobs/{job['id']}")).json()
    assert detail["photo_urls"] == [] and detail["employer"]["logo_url"] is None
    assert (await client.get(avatar["url"])).status_code == 404


async def test_erasing_an_account_removes_pictures_and_thumbnails(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    avatar = await upload(client, app, user, "avatar")
    headers = auth(app, user)
    await client.put("/api/v1/me", headers=headers, json={"avatar_file_id": avatar["id"]})
    stored = await session.get(StoredFile, uuid.UUID(avatar["id"]))
    assert stored is not None and stored.thumbnail_key is not None
    root = Path(app.state.settings.storage.root)
    paths = [root / key[:2] / key for key in (stored.storage_key, stored.thumbnail_key)]
    assert all(path.exists() for path in paths)

    deleted = await client.request("DELETE", "/api/v1/me", json={"confirm": True}, headers=headers)
    assert deleted.status_code == 204, deleted.text
    assert not any(path.exists() for path in paths)
    assert (await client.get(avatar["thumbnail_url"])).status_code == 404


async def test_members_get_a_signed_link_to_the_licence(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app)
    licence = await upload(client, app, owner, "business_licence")
    created = await client.post(
        "/api/v1/employers",
        headers=auth(app, owner),
        json=employer_payload(licence_file_id=licence["id"]),
    )
    assert created.status_code == 201, created.text
    private = created.json()["private"]
    assert (await client.get(private["licence_url"])).status_code == 200
    stranger = await client.get(f"/api/v1/employers/{created.json()['id']}")
    assert stranger.status_code == 404  # pending: only members see it (as before)


def test_public_base_url_setting() -> None:
    assert Settings(public_base_url="https://api.example.cn/").public_base_url == (
        "https://api.example.cn"
    )
    assert Settings(public_base_url="").public_base_url is None
    with pytest.raises(ValidationError):
        Settings(public_base_url="api.example.cn?x=1")

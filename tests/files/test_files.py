"""Uploads: type by content, size limit, random names, readable by owner and staff only."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.files.models import StoredFile
from tests.support.factories import auth, make_staff, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%test\n"


async def test_upload_and_read_back(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app)
    response = await client.post(
        "/api/v1/files",
        headers=auth(app, owner),
        files={"file": ("../../etc/passwd.png", PNG, "text/plain")},
        data={"purpose": "subsidy_material"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["content_type"] == "image/png" and body["size_bytes"] == len(PNG)
    stored = await session.get(StoredFile, body["id"])
    assert (
        stored is not None and "passwd" not in stored.storage_key and stored.storage_key.isalnum()
    )

    mine = await client.get(f"/api/v1/files/{body['id']}", headers=auth(app, owner))
    assert (
        mine.status_code == 200
        and mine.content == PNG
        and mine.headers["content-type"] == "image/png"
    )
    stranger = await make_user(session, app)
    assert (
        await client.get(f"/api/v1/files/{body['id']}", headers=auth(app, stranger))
    ).status_code == 404
    staff = await make_staff(session, roles=("reviewer",))
    assert (
        await client.get(f"/api/v1/files/{body['id']}", headers=auth(app, staff))
    ).status_code == 200
    assert (await client.get(f"/api/v1/files/{body['id']}")).status_code == 401


async def test_a_closed_accounts_token_reads_no_file(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    """A deactivated staff account or an erased user keeps no access through a token issued
    before (downloads check the account like every signed-in route)."""
    owner = await make_user(session, app)
    uploaded = await client.post(
        "/api/v1/files",
        headers=auth(app, owner),
        files={"file": ("证明.pdf", PDF, "application/pdf")},
        data={"purpose": "subsidy_material"},
    )
    url = f"/api/v1/files/{uploaded.json()['id']}"
    staff = await make_staff(session, roles=("reviewer",))
    staff_headers, owner_headers = auth(app, staff), auth(app, owner)
    assert (await client.get(url, headers=staff_headers)).status_code == 200
    staff.is_active = False
    owner.deleted_at = owner.created_at
    await session.flush()
    for headers in (staff_headers, owner_headers):
        refused = await client.get(url, headers=headers)
        assert refused.status_code == 401 and refused.json()["code"] == "auth.token_invalid"


async def test_type_is_decided_by_content(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app)
    ok = await client.post(
        "/api/v1/files",
        headers=auth(app, owner),
        files={"file": ("a.bin", PDF, "application/octet-stream")},
    )
    assert ok.status_code == 201 and ok.json()["content_type"] == "application/pdf"
    refused = await client.post(
        "/api/v1/files",
        headers=auth(app, owner),
        files={"file": ("a.pdf", b"MZ\x90\x00 exe", "application/pdf")},
    )
    assert refused.status_code == 415 and refused.json()["code"] == "file.type_refused"
    empty = await client.post(
        "/api/v1/files", headers=auth(app, owner), files={"file": ("a.pdf", b"", "application/pdf")}
    )
    assert empty.status_code == 422


async def test_size_limit(client: httpx.AsyncClient, app: FastAPI, session: AsyncSession) -> None:
    owner = await make_user(session, app)
    limit = app.state.settings.storage.max_upload_bytes
    big = PNG + b"\x00" * limit
    response = await client.post(
        "/api/v1/files", headers=auth(app, owner), files={"file": ("big.png", big, "image/png")}
    )
    assert response.status_code == 413


async def test_a_nul_in_the_file_name_is_replaced_not_stored(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app)
    # Written by hand: httpx would percent-encode the NUL of the file name.
    name = "证件\x00照\ufffe.png".encode()
    body = (
        b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="'
        + name
        + b'"\r\nContent-Type: image/png\r\n\r\n'
        + PNG
        + b"\r\n--b0undary--\r\n"
    )
    response = await client.post(
        "/api/v1/files",
        headers={**auth(app, owner), "content-type": "multipart/form-data; boundary=b0undary"},
        content=body,
    )
    assert response.status_code == 201, response.text
    assert response.json()["original_name"] == "证件\ufffd照\ufffd.png"

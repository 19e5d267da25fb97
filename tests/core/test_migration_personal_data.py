"""The personal-data migrations carry existing rows: phones sealed and unsealed, duplicate phone
bindings resolved, used invitation codes recorded — up, down and up again."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.core import migrate
from app.core.config import SecuritySettings
from app.core.security import FieldCipher
from tests.support import database

BEFORE = "087ff4d34bb8"  # the head before the personal-data migrations
OWNER, OTHER, RECRUITER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
EMPLOYER, GIG, INVITATION = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
EMPLOYER_PHONE, GIG_PHONE = "13912345678", "0477-8561234"

ARRANGE = [
    (
        'INSERT INTO "user" (id, openid, phone_encrypted, phone_hash, phone_bound_at) VALUES '
        "(:owner, 'o-owner', 'sealed-old', 'same-hash', now() - interval '2 days'), "
        "(:other, 'o-other', 'sealed-new', 'same-hash', now()), "
        "(:recruiter, 'o-recruiter', NULL, NULL, NULL)"
    ),
    (
        "INSERT INTO employer (id, name, credit_code, kind, size_class, industry_code, area_code,"
        " address, latitude, longitude, contact_name, contact_phone, created_by) VALUES "
        "(:employer, '示例', '91150602MA0N00000X', 'enterprise', 'small', 'x', 'y', '路', 39.8,"
        " 109.9, '王', :employer_phone, :owner)"
    ),
    (
        "INSERT INTO gig (id, poster_id, status, title, description, required_skills,"
        " required_skill_codes, work_dates, start_minute, end_minute, local_dates, weekday_mask,"
        " week_pieces, starts_at, ends_at, minutes_per_day, latitude, longitude, address,"
        " headcount, pay_fen, pay_unit, settlement, contact_name, contact_phone) VALUES "
        "(:gig, :owner, 'open', '搬运', '搬运货物', '[]', '{}', '{2026-12-10}', 480, 1020,"
        " '{2026-12-10}', 8, '{}', '2026-12-10 00:00+00', '2026-12-10 09:00+00', 540, 39.8,"
        " 109.9, '路', 2, 20000, 'day', 'same_day', '王', :gig_phone)"
    ),
    (
        "INSERT INTO employer_invitation (id, employer_id, code, created_by, expires_at,"
        " max_uses, used_count) VALUES (:invitation, :employer, 'ABCDEFGH23', :owner,"
        " now() + interval '1 day', 1, 1)"
    ),
    (
        "INSERT INTO employer_member (employer_id, user_id, role, invitation_id) VALUES "
        "(:employer, :owner, 'owner', NULL), (:employer, :recruiter, 'recruiter', :invitation)"
    ),
]
PARAMS = {
    "owner": OWNER,
    "other": OTHER,
    "recruiter": RECRUITER,
    "employer": EMPLOYER,
    "gig": GIG,
    "invitation": INVITATION,
    "employer_phone": EMPLOYER_PHONE,
    "gig_phone": GIG_PHONE,
}


@pytest.fixture
def scratch_url(admin_url: str) -> Iterator[str]:
    name = f"dsjobs_pdata_migration_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = database.recreate_database(admin_url, name)
    yield url
    database.drop(admin_url, name)


async def _run(url: str, statements: list[str]) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement), PARAMS)
    finally:
        await engine.dispose()


async def _fetch(url: str, query: str) -> list[Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(text(query), PARAMS)).all())
    finally:
        await engine.dispose()


def _fetch_one(url: str, query: str) -> Any:
    [row] = asyncio.run(_fetch(url, query))
    return row


def _check_upgraded(url: str, cipher: FieldCipher) -> None:
    sealed = _fetch_one(url, "SELECT contact_phone_encrypted FROM employer")[0]
    assert EMPLOYER_PHONE not in sealed and sealed.startswith("v1.")
    assert cipher.decrypt(sealed, context="employer.contact_phone") == EMPLOYER_PHONE
    gig_sealed = _fetch_one(url, "SELECT contact_phone_encrypted FROM gig")[0]
    assert GIG_PHONE not in gig_sealed
    assert cipher.decrypt(gig_sealed, context="gig.contact_phone") == GIG_PHONE
    accepted = _fetch_one(url, "SELECT accepted_by, accepted_at FROM employer_invitation")
    assert accepted[0] == RECRUITER and accepted[1] is not None


@pytest.mark.slow
def test_personal_data_migrations_carry_existing_rows(scratch_url: str) -> None:
    cipher = FieldCipher.from_spec(SecuritySettings().field_keys.get_secret_value())
    migrate.upgrade(scratch_url, BEFORE)
    asyncio.run(_run(scratch_url, ARRANGE))

    migrate.upgrade(scratch_url)
    _check_upgraded(scratch_url, cipher)
    phones = dict(asyncio.run(_fetch(scratch_url, 'SELECT id, phone_hash FROM "user"')))
    assert phones == {OWNER: None, OTHER: "same-hash", RECRUITER: None}  # the latest binding won
    moved = _fetch_one(
        scratch_url,
        "SELECT subject_id, details FROM audit_record WHERE action = 'identity.phone_moved'",
    )
    assert moved[0] == str(OWNER) and moved[1]["to_user"] == str(OTHER)

    migrate.downgrade(scratch_url, BEFORE)
    assert _fetch_one(scratch_url, "SELECT contact_phone FROM employer")[0] == EMPLOYER_PHONE
    assert _fetch_one(scratch_url, "SELECT contact_phone FROM gig")[0] == GIG_PHONE
    used = _fetch_one(scratch_url, "SELECT max_uses, used_count FROM employer_invitation")
    assert tuple(used) == (1, 1)

    migrate.upgrade(scratch_url)
    _check_upgraded(scratch_url, cipher)

"""账号注销 (DELETE /me) and 个人信息副本 (GET /me/export)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import String, Text, func, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import JobApplication, Resume
from app.audit.models import AuditRecord
from app.employers.models import EmployerInvitation, EmployerMember
from app.events.models import EventRegistration, RecruitmentEvent
from app.files.models import StoredFile
from app.gigs.models import Gig, GigWorkerProfile
from app.identity.models import RefreshToken, User
from app.jobs.models import JobFavourite
from app.models import Base
from app.service_desk.models import Appointment, AppointmentSlot
from app.subsidies.models import SubsidyApplication, SubsidyAward
from app.training.models import TrainingCourse, TrainingEnrolment
from tests.applications.helpers import make_employer
from tests.identity.helpers import bearer, wechat_login
from tests.privacy.account_world import (
    FILE_NAME,
    ID_NUMBER,
    NAME,
    NICKNAME,
    PHONE,
    SOON,
    build_person,
)
from tests.support.factories import auth, make_user

DELETE = {"confirm": True}


async def _delete(client: httpx.AsyncClient, headers: dict[str, str], body: object = DELETE):
    return await client.request("DELETE", "/api/v1/me", json=body, headers=headers)


async def _tables_mentioning(session: AsyncSession, marker: str) -> list[str]:
    """Every table.column whose text holds ``marker`` (plaintext copies of personal data)."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSONB):
                continue
            stmt = select(func.count()).select_from(table).where(column.cast(Text).contains(marker))
            if (await session.execute(stmt)).scalar_one():
                found.append(f"{table.name}.{column.name}")
    return found


async def test_export_holds_every_domain_and_is_audited(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    person = await build_person(client, app, session)
    response = await client.get("/api/v1/me/export", headers=auth(app, person.user))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["profile"]["phone"] == PHONE and body["profile"]["nickname"] == NICKNAME
    assert body["real_name"] == {
        "name": NAME,
        "id_number": ID_NUMBER,
        "birth_date": "1999-03-15",
        "sex": "male",
        "verified_at": body["real_name"]["verified_at"],
    }
    assert body["consents"] == {"allow_phone_calls": False, "allow_subscribe_messages": True}
    assert body["resume"]["skills"] == ["叉车", "仓储管理"]
    assert body["job_applications"][0]["resume_snapshot"]["skills"] == ["叉车", "仓储管理"]
    assert body["job_applications"][0]["employer_name"] == "示例注销测试公司"
    for domain in (
        "favourites",
        "job_reports",
        "employer_memberships",
        "gigs_posted",
        "appointments",
        "event_registrations",
        "training_enrolments",
        "complaints",
        "subsidy_applications",
        "subsidy_awards",
        "files",
    ):
        assert len(body[domain]) == 1, domain
    assert body["gig_profile"]["travel_radius_km"] == 10
    assert body["gigs_posted"][0]["contact_name"] == NAME
    assert body["files"][0]["original_name"] == FILE_NAME
    assert body["subsidy_awards"][0]["amount_fen"] == 100000
    audited = await session.execute(
        select(AuditRecord).where(
            AuditRecord.action == "identity.exported",
            AuditRecord.subject_id == str(person.user.id),
        )
    )
    assert audited.scalars().one().details == {"unmasked": True}


async def test_export_of_a_new_account_is_empty_but_complete(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    body = (await client.get("/api/v1/me/export", headers=auth(app, user))).json()
    assert body["real_name"] is None and body["resume"] is None and body["gig_profile"] is None
    assert body["job_applications"] == [] and body["files"] == []


async def test_delete_erases_personal_data_and_keeps_what_the_law_needs(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    person = await build_person(client, app, session)
    user_id = person.user.id
    # The scan below sees plaintext copies (the gig contact, notes, the file name) before.
    assert len(await _tables_mentioning(session, NAME)) >= 3
    session.expunge_all()
    response = await _delete(client, auth(app, person.user))
    assert response.status_code == 204, response.text

    user = await session.get(User, user_id)
    assert user is not None and user.deleted_at is not None and not user.is_active
    assert user.openid == f"erased:{user_id}"
    personal = [
        "unionid",
        "session_key_encrypted",
        "nickname",
        "avatar_url",
        "phone_encrypted",
        "phone_hash",
        "real_name_encrypted",
        "id_number_encrypted",
        "id_number_hash",
        "birth_date",
        "sex",
    ]
    assert {name: getattr(user, name) for name in personal} == dict.fromkeys(personal)
    assert user.contact_preferences == {}
    for marker in (NAME, NICKNAME, PHONE, ID_NUMBER, FILE_NAME):
        assert await _tables_mentioning(session, marker) == [], marker

    async def count(model: type, *where: object) -> int:
        stmt = select(func.count()).select_from(model).where(*where)  # type: ignore[arg-type]
        return int((await session.execute(stmt)).scalar_one())

    assert await count(Resume, Resume.user_id == user_id) == 0
    assert await count(JobFavourite, JobFavourite.user_id == user_id) == 0
    assert await count(GigWorkerProfile, GigWorkerProfile.user_id == user_id) == 0
    assert await count(EmployerMember, EmployerMember.user_id == user_id) == 0
    assert await count(RefreshToken, RefreshToken.user_id == user_id) == 0
    assert await count(StoredFile, StoredFile.owner_user_id == user_id) == 0
    assert (
        not (Path(app.state.settings.storage.root) / person.storage_key[:2])
        .joinpath(person.storage_key)
        .exists()
    )
    application = (
        await session.execute(select(JobApplication).where(JobApplication.user_id == user_id))
    ).scalar_one()
    assert set(application.resume_snapshot) == {"taken_at"}
    assert application.status == "withdrawn"
    gig = await session.get(Gig, uuid.UUID(person.gig_id))
    assert gig is not None and gig.contact_name == "" and gig.contact_phone_encrypted == ""
    # Future bookings are cancelled and their places freed.
    appointment = (
        await session.execute(select(Appointment).where(Appointment.user_id == user_id))
    ).scalar_one()
    assert appointment.status == "cancelled" and appointment.note is None
    assert (await session.get(AppointmentSlot, person.slot.id)).booked == 0  # type: ignore[union-attr]
    registration = (
        await session.execute(select(EventRegistration).where(EventRegistration.user_id == user_id))
    ).scalar_one()
    assert registration.status == "cancelled"
    event = await session.get(RecruitmentEvent, person.event.id)
    assert event is not None and event.registered_count == 0
    enrolment = (
        await session.execute(select(TrainingEnrolment).where(TrainingEnrolment.user_id == user_id))
    ).scalar_one()
    course = await session.get(TrainingCourse, person.course.id)
    assert enrolment.status == "cancelled" and course is not None and course.enrolled_count == 0
    # Kept by law, under the pseudonymous tombstone id; the award's key is an HMAC, not the ID.
    subsidy = await session.get(SubsidyApplication, person.subsidy.id)
    assert subsidy is not None and subsidy.applicant_user_id == user_id and subsidy.note is None
    award = (
        await session.execute(
            select(SubsidyAward).where(SubsidyAward.application_id == person.subsidy.id)
        )
    ).scalar_one()
    assert award.amount_fen == 100000
    audit = (
        await session.execute(
            select(AuditRecord).where(
                AuditRecord.action == "account.deleted", AuditRecord.subject_id == str(user_id)
            )
        )
    ).scalar_one()
    assert audit.actor_id == user_id and audit.details["counts"]["resumes"] == 1
    assert PHONE not in str(audit.details)


async def test_deleted_account_tokens_stop_working_and_login_starts_afresh(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    login = await wechat_login(client, app, "o_deleting_person")
    headers = bearer(login["access_token"])
    patched = await client.put("/api/v1/me", json={"nickname": NICKNAME}, headers=headers)
    assert patched.status_code == 200
    assert (await _delete(client, headers)).status_code == 204
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
    assert (await client.get("/api/v1/me/export", headers=headers)).status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": login["refresh_token"]}
    )
    assert refreshed.status_code == 401
    # Idempotent: the same request again answers the same.
    assert (await _delete(client, headers)).status_code == 204
    again = await wechat_login(client, app, "o_deleting_person")
    assert again["user"]["id"] != login["user"]["id"]
    assert again["user"]["nickname"] is None and again["user"]["phone_bound"] is False
    deleted = await session.execute(
        select(func.count()).where(
            AuditRecord.action == "account.deleted",
            AuditRecord.subject_id == login["user"]["id"],
        )
    )
    assert deleted.scalar_one() == 1


async def test_delete_needs_an_explicit_confirmation(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    for body in ({}, {"confirm": False}, {"confirm": 1}):
        response = await _delete(client, auth(app, user), body)
        assert response.status_code == 422, body
    await session.refresh(user)
    assert user.deleted_at is None


async def test_the_owner_of_an_employer_must_transfer_it_first(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app)
    await make_employer(session, owner, name="独资测试公司")
    response = await _delete(client, auth(app, owner))
    assert response.status_code == 409
    assert response.json()["code"] == "account.employer_owner"
    assert "转让" in response.json()["message"]
    assert response.json()["details"] == {"employers": ["独资测试公司"]}
    await session.refresh(owner)
    assert owner.deleted_at is None


async def test_a_subsidy_in_progress_blocks_deletion(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    person = await build_person(client, app, session)
    await session.execute(
        text(
            "UPDATE subsidy_application SET status = 'submitted', approved_amount_fen = NULL, "
            "paid_on = NULL, payment_reference = NULL WHERE id = :id"
        ),
        {"id": person.subsidy.id},
    )
    # The owner membership is not the person's; the subsidy is what blocks.
    response = await _delete(client, auth(app, person.user))
    assert response.status_code == 409 and response.json()["code"] == "account.subsidy_open"


async def test_a_gig_in_progress_blocks_deletion(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    person = await build_person(client, app, session)
    gig = await session.get(Gig, uuid.UUID(person.gig_id))
    assert gig is not None
    gig.status = "open"
    await session.flush()
    response = await _delete(client, auth(app, person.user))
    assert response.status_code == 409 and response.json()["code"] == "account.gigs_active"


async def test_a_started_course_and_a_past_appointment_stay_as_records(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    """Only what has not started is cancelled: a running course still completes (completion may
    count toward a subsidy) and a past visit stays a service record, without its note."""
    person = await build_person(client, app, session)
    course, slot = person.course, person.slot
    course.starts_on = date(2020, 1, 6)
    slot.starts_at, slot.ends_at = SOON - timedelta(days=400), SOON - timedelta(days=399)
    await session.flush()
    session.expunge_all()
    assert (await _delete(client, auth(app, person.user))).status_code == 204
    enrolment = (
        await session.execute(
            select(TrainingEnrolment).where(TrainingEnrolment.course_id == course.id)
        )
    ).scalar_one()
    appointment = (
        await session.execute(select(Appointment).where(Appointment.slot_id == slot.id))
    ).scalar_one()
    assert enrolment.status == "enrolled"
    assert (appointment.status, appointment.note) == ("booked", None)
    assert (await session.get(TrainingCourse, course.id)).enrolled_count == 1  # type: ignore[union-attr]
    assert (await session.get(AppointmentSlot, slot.id)).booked == 1  # type: ignore[union-attr]


async def test_a_former_owners_used_invitations_stay_and_unused_ones_are_revoked(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    """The employer keeps its record of who joined; a code nobody used can no longer admit."""
    former = await make_user(session, app)
    owner, joined = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner, name="邀请记录测试公司")
    later = SOON + timedelta(days=3)
    used = EmployerInvitation(
        employer_id=employer.id,
        code="USEDCODE22",
        created_by=former.id,
        expires_at=later,
        accepted_by=joined.id,
        accepted_at=SOON - timedelta(days=5),
    )
    unused = EmployerInvitation(
        employer_id=employer.id, code="OPENCODE22", created_by=former.id, expires_at=later
    )
    session.add_all([used, unused])
    await session.flush()
    session.expunge_all()
    assert (await _delete(client, auth(app, former))).status_code == 204
    kept = await session.get(EmployerInvitation, used.id)
    revoked = await session.get(EmployerInvitation, unused.id)
    assert kept is not None and kept.accepted_by == joined.id and kept.revoked_at is None
    assert revoked is not None and revoked.revoked_at is not None

"""One person with data in every domain, for the account export and deletion tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.complaints.models import Complaint
from app.employers.contact import seal_contact_phone
from app.events.models import EventRegistration, RecruitmentEvent
from app.files.models import StoredFile
from app.gigs import repository as gigs_repository
from app.gigs.models import Gig
from app.gigs.profile_service import profile_values
from app.gigs.schemas import GigProfileUpdate
from app.identity.models import User
from app.jobs.models import Job, JobFavourite, JobReport
from app.service_desk.catalogue import load_service_items
from app.service_desk.models import Appointment, AppointmentSlot, ServiceItem, Station
from app.subsidies.models import SubsidyApplication, SubsidyAward
from app.training.models import TrainingCourse, TrainingEnrolment
from tests.applications.helpers import add_member, apply, make_employer, make_job, put_resume
from tests.gigs.helpers import gig_body, profile_body
from tests.support.factories import auth, default_security, make_user

NAME = "欧阳测试"
NICKNAME = "欧阳小号"
PHONE = "13912345678"
ID_NUMBER = "150602199903151234"
FILE_NAME = "欧阳测试身份证.png"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SOON = datetime.now(UTC) + timedelta(days=5)


@dataclass
class Person:
    user: User
    job: Job
    file_id: str
    storage_key: str
    gig_id: str
    slot: AppointmentSlot
    event: RecruitmentEvent
    course: TrainingCourse
    subsidy: SubsidyApplication


async def _upload(client: httpx.AsyncClient, app: FastAPI, user: User) -> dict[str, str]:
    response = await client.post(
        "/api/v1/files",
        files={"file": (FILE_NAME, PNG, "image/png")},
        data={"purpose": "certificate"},
        headers=auth(app, user),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _service_records(session: AsyncSession, user: User) -> tuple[AppointmentSlot, ...]:
    await load_service_items(session)
    item = (await session.execute(select(ServiceItem).limit(1))).scalar_one()
    station = Station(
        name="测试服务站",
        kind="street_station",
        area_code="jiaotong",
        address="测试地址",
        latitude=39.816,
        longitude=109.987,
        weekly_hours=[],
    )
    session.add(station)
    await session.flush()
    slot = AppointmentSlot(
        station_id=station.id,
        service_item_id=item.id,
        starts_at=SOON,
        ends_at=SOON + timedelta(minutes=30),
        capacity=5,
        booked=1,
    )
    session.add(slot)
    await session.flush()
    session.add(Appointment(slot_id=slot.id, user_id=user.id, note=f"我是{NAME}，电话{PHONE}"))
    return (slot,)


async def _event_and_course(
    session: AsyncSession, user: User
) -> tuple[RecruitmentEvent, TrainingCourse]:
    event = RecruitmentEvent(
        kind="fair",
        title="测试招聘会",
        organiser="东胜区人力资源和社会保障局",
        address="东胜区人力资源市场",
        target_groups=["general"],
        starts_at=SOON,
        ends_at=SOON + timedelta(hours=3),
        registration_limit=100,
        booth_limit=10,
        registered_count=1,
    )
    course = TrainingCourse(
        title="电工（初级）就业技能培训班",
        provider="示例职业培训学校",
        occupation_code="electrician",
        hours=80,
        seats=2,
        starts_on=SOON.date(),
        ends_on=SOON.date() + timedelta(days=11),
        address="东胜区示例路 8 号",
        subsidised=True,
        policy_code="training-employment-bonus",
        enrolled_count=1,
    )
    session.add_all([event, course])
    await session.flush()
    session.add(EventRegistration(event_id=event.id, user_id=user.id))
    session.add(TrainingEnrolment(course_id=course.id, user_id=user.id))
    await session.flush()
    return event, course


async def _subsidy(session: AsyncSession, user: User) -> SubsidyApplication:
    application = SubsidyApplication(
        policy_code="flexible-employment-social-insurance",
        claim_code="flexible-employment-social-insurance",
        applicant_kind="person",
        applicant_user_id=user.id,
        recipient_key="a" * 64,
        period="2026",
        period_year=2026,
        facts={"person": {"age": 27}},
        evaluated_on=date(2026, 11, 1),
        ruleset_version="test",
        engine_status="eligible",
        expected_amount_fen=100000,
        decision={},
        status="paid",
        approved_amount_fen=100000,
        paid_on=date(2026, 11, 20),
        payment_reference="PAY-1",
        note=f"{NAME}的申请",
    )
    session.add(application)
    await session.flush()
    session.add(
        SubsidyAward(
            application_id=application.id,
            policy_code=application.policy_code,
            recipient_key=application.recipient_key,
            person_key=application.recipient_key,
            amount_fen=100000,
            year=2026,
            awarded_on=date(2026, 11, 20),
        )
    )
    await session.flush()
    return application


async def _gigs(client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, user: User) -> str:
    body = GigProfileUpdate.model_validate(profile_body())
    await gigs_repository.upsert_profile(session, user.id, profile_values(body, date.today()))
    response = await client.post(
        "/api/v1/gigs",
        json=gig_body(contact_name=NAME, contact_phone=PHONE),
        headers=auth(app, user),
    )
    assert response.status_code == 201, response.text
    gig_id = str(response.json()["id"])
    await session.execute(update(Gig).where(Gig.id == gig_id).values(status="completed"))
    return gig_id


async def build_person(client: httpx.AsyncClient, app: FastAPI, session: AsyncSession) -> Person:
    """A person with a profile, a resume and an application, a gig profile and a posted gig,
    a favourite, a report, a complaint, an appointment, a registration, an enrolment, a paid
    subsidy with its award, an upload and a recruiter membership."""
    user = await make_user(
        session, app, nickname=NICKNAME, phone=PHONE, real_name=(NAME, ID_NUMBER)
    )
    user.contact_preferences = {"allow_phone_calls": False, "allow_subscribe_messages": True}
    owner = await make_user(session, app, phone="13700000099")
    employer = await make_employer(session, owner, name="示例注销测试公司")
    job = await make_job(session, employer)
    other = await make_employer(session, owner, name="示例成员测试公司")
    # They registered it and were its contact; ownership has since passed to ``owner``.
    other.created_by, other.contact_name = user.id, NAME
    other.contact_phone_encrypted = seal_contact_phone(default_security(), PHONE)
    await add_member(session, other, user)  # a recruiter there; a seeker at the first
    await put_resume(client, app, user)
    assert (await apply(client, app, user, job.id)).status_code == 201
    session.add(JobFavourite(user_id=user.id, job_id=job.id))
    session.add(JobReport(job_id=job.id, reporter_id=user.id, reason="other", text=PHONE))
    session.add(
        Complaint(
            complainant_id=user.id,
            kind="wage_arrears",
            subject_kind="job",
            subject_id=job.id,
            description="拖欠工资",
        )
    )
    (slot,) = await _service_records(session, user)
    event, course = await _event_and_course(session, user)
    subsidy = await _subsidy(session, user)
    gig_id = await _gigs(client, app, session, user)
    stored = await _upload(client, app, user)
    await session.flush()
    found = await session.get(StoredFile, uuid.UUID(stored["id"]))
    assert found is not None
    key = found.storage_key
    return Person(user, job, stored["id"], key, gig_id, slot, event, course, subsidy)

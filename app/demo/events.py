"""Sample recruitment events, a live-stream session and training courses (titles start with
"示例"), dated relative to today so the demo always has upcoming ones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, local_date, local_midnight, system_clock
from app.events import repository as repo
from app.events.models import RecruitmentEvent
from app.jobs.models import Job
from app.training.models import TrainingCourse

ORGANISER = "东胜区人力资源和社会保障局（示例）"
LIVESTREAM_TITLE = "示例·暖城·暖岗 直播带岗第 1 期"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_midnight(day) + timedelta(hours=hour, minutes=minute)


def _events(today: date) -> list[dict[str, Any]]:
    fair_day, special_day, campus_day = (today + timedelta(days=d) for d in (7, 10, 14))
    return [
        {
            "kind": "fair",
            "title": "示例·冬季民营企业招聘月综合招聘会",
            "starts_at": _at(fair_day, 9),
            "ends_at": _at(fair_day, 12),
            "venue": "示例·东胜区人力资源市场",
            "address": "示例地址：交通街道伊金霍洛西街人力资源市场一楼",
            "area_code": "jiaotong",
            "latitude": 39.8185,
            "longitude": 109.9842,
            "target_groups": ["general"],
            "booth_limit": 80,
            "registration_limit": 1000,
        },
        {
            "kind": "special_fair",
            "title": "示例·小精专招聘会（现代物流与能源化工专场）",
            "starts_at": _at(special_day, 9, 30),
            "ends_at": _at(special_day, 11, 30),
            "venue": "示例·天骄街道便民服务中心",
            "address": "示例地址：天骄街道便民服务中心二楼",
            "area_code": "tianjiao",
            "target_groups": ["graduate", "youth", "migrant_worker"],
            "booth_limit": 30,
            "registration_limit": 300,
        },
        {
            "kind": "campus_trip",
            "title": "示例·高校毕业生就业服务校园行",
            "starts_at": _at(campus_day, 14),
            "ends_at": _at(campus_day, 17),
            "venue": "示例·某高校体育馆",
            "address": "示例地址：东胜区某高校体育馆",
            "target_groups": ["graduate"],
            "booth_limit": 40,
            "registration_limit": 800,
        },
        {
            "kind": "livestream",
            "title": LIVESTREAM_TITLE,
            "brand": "暖城·暖岗",
            "starts_at": _at(today + timedelta(days=3), 19, 30),
            "ends_at": _at(today + timedelta(days=3), 21),
            "online": True,
            "host": "示例主持人",
            "platform": "wechat_channels",
            "channel_name": "东胜就业（示例）",
            "channel_id": "sph_demo_dongsheng",
            "target_groups": ["general"],
        },
    ]


async def seed_events(session: AsyncSession, clock: Clock = system_clock) -> int:
    today = local_date(clock())
    existing = set((await session.scalars(select(RecruitmentEvent.title))).all())
    created = 0
    for values in _events(today):
        if values["title"] in existing:
            continue
        event = RecruitmentEvent(organiser=ORGANISER, description="示例数据", **values)
        session.add(event)
        await session.flush()
        if event.kind == "livestream":
            jobs = await session.scalars(
                select(Job.id).where(Job.status == "published").order_by(Job.created_at).limit(5)
            )
            await repo.replace_featured_jobs(session, event.id, list(jobs))
        created += 1
    return created


def _courses(today: date) -> list[dict[str, Any]]:
    start = today + timedelta(days=10)
    return [
        {
            "title": "示例·电工（初级）就业技能培训班",
            "occupation_code": "electrician",
            "hours": 80,
            "seats": 40,
            "starts_on": start,
            "ends_on": start + timedelta(days=13),
            "subsidised": True,
            "policy_code": "training-employment-bonus",
            "target_groups": ["graduate", "long_term_unemployed", "migrant_worker"],
        },
        {
            "title": "示例·电商直播与新媒体运营培训班",
            "occupation_code": "new_media_operator",
            "hours": 16,
            "seats": 60,
            "starts_on": start + timedelta(days=7),
            "ends_on": start + timedelta(days=8),
            "subsidised": False,
            "policy_code": None,
            "target_groups": ["youth", "graduate"],
        },
    ]


async def seed_training_courses(session: AsyncSession, clock: Clock = system_clock) -> int:
    today = local_date(clock())
    existing = set((await session.scalars(select(TrainingCourse.title))).all())
    created = 0
    for values in _courses(today):
        if values["title"] in existing:
            continue
        session.add(
            TrainingCourse(
                provider="示例职业培训学校",
                address="示例地址：建设街道职业培训基地",
                area_code="jianshe",
                description="示例数据",
                **values,
            )
        )
        created += 1
    await session.flush()
    return created

"""Sample gig market (示例数据): workers with gig profiles and open gigs around Dongsheng.

Log in from /docs with the fake WeChat code ``demo:demo-gig-poster`` (the poster of every sample
gig: try ``GET /api/v1/gigs/{id}/matches``) or ``demo:demo-gig-worker-0`` … ``-39`` (workers:
try ``GET /api/v1/me/gig-matches``). Idempotent: people are found by openid, profiles upserted,
gigs only added while the sample poster has none that are still open. Phones are 1990001xxxx.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, local_date, system_clock
from app.core.config import get_settings
from app.core.security import Security
from app.demo.content import DemoContent, DemoGig, DemoWorker
from app.demo.records import WorkerSkill
from app.gigs import repository
from app.gigs.models import Gig
from app.gigs.moderation import Verdict
from app.gigs.posting_service import gig_row
from app.gigs.profile_service import profile_values
from app.gigs.schemas import GigCreate, GigProfileUpdate
from app.identity.models import User
from app.taxonomy import SkillLevel, areas_by_code

DEMO_SEED = 5
WORKER_COUNT = 40
GIG_COUNT = 25
POSTER_OPENID = "demo-gig-poster"
SEEDED = Verdict(
    status="open",
    record={
        "outcome": "open",
        "findings": [],
        "wechat_suggest": None,
        "staff_reason": None,
        "seeded": True,
    },
)


def hhmm(value: time) -> str:
    """``time(23, 59)`` stands for the end of the day in the demo records."""
    return "24:00" if (value.hour, value.minute) == (23, 59) else value.strftime("%H:%M")


def worker_profile(worker: DemoWorker) -> GigProfileUpdate:
    skills = [
        {"code": s.skill_code, "level": s.level.value, "certificates": list(s.certificate_codes)}
        for s in worker.skills
    ]
    windows = [
        {"weekday": d + 1, "start": hhmm(worker.start_time), "end": hhmm(worker.end_time)}
        for d in worker.weekdays
    ]
    return GigProfileUpdate.model_validate(
        {
            "skills": skills,
            "availability": windows,
            "home_lat": worker.lat,
            "home_lng": worker.lng,
            "area_code": worker.area_code,
            "travel_radius_km": worker.travel_radius_km,
            "expected_pay_fen": worker.expected_day_pay_fen,
            "expected_pay_unit": "day",
            "accepts_same_day": worker.accepts_same_day,
        }
    )


def gig_create(gig: DemoGig, today: date, phone: str) -> GigCreate:
    first = today + timedelta(days=max(1, gig.start_offset_days))
    required: list[dict[str, Any]] = [
        {
            "skill": gig.skill_codes[0],
            "min_level": gig.min_level.value,
            "certificate_required": bool(gig.certificate_codes),
        }
    ]
    required += [{"skill": code} for code in gig.skill_codes[1:]]
    area = areas_by_code()[gig.area_code]
    return GigCreate.model_validate(
        {
            "title": gig.title[:60],
            "description": gig.description,
            "required_skills": required,
            "dates": [first + timedelta(days=i) for i in range(gig.days)],
            "start_time": gig.start_time.strftime("%H:%M"),
            "end_time": hhmm(gig.end_time),
            "latitude": gig.lat,
            "longitude": gig.lng,
            "area_code": gig.area_code,
            "address": f"东胜区{area.name}（示例地址）",
            "headcount": gig.headcount,
            "pay_fen": gig.pay_fen,
            "pay_unit": gig.pay_unit.value,
            "settlement": gig.settlement,
            "contact_name": gig.contact_name,
            "contact_phone": phone,
        }
    )


def matching_worker(worker: DemoWorker, gig: DemoGig) -> DemoWorker:
    """``demo-gig-worker-0``, the README's worker: fits the first sample gig on any weekday, so
    ``GET /api/v1/me/gig-matches`` always shows a match (the others depend on the day)."""
    skills = tuple(
        WorkerSkill(code, SkillLevel.SENIOR, gig.certificate_codes if i == 0 else ())
        for i, code in enumerate(gig.skill_codes)
    )
    return replace(
        worker,
        skills=skills,
        weekdays=tuple(range(7)),
        start_time=min(gig.start_time, time(8, 0)),
        end_time=max(gig.end_time, time(20, 0)),
        area_code=gig.area_code,
        lat=gig.lat,
        lng=gig.lng,
        travel_radius_km=10,
        expected_day_pay_fen=100_00,
    )


async def demo_person(
    session: AsyncSession, security: Security, openid: str, nickname: str, name: str, phone: str
) -> User:
    """A sample user with a bound phone and a verified real name (no ID number)."""
    await session.execute(
        insert(User)
        .values(
            openid=openid,
            nickname=nickname,
            phone_encrypted=security.cipher.encrypt(phone, context="phone"),
            phone_hash=security.hasher.digest(phone, purpose="phone"),
            phone_bound_at=func.now(),
            real_name_encrypted=security.cipher.encrypt(name, context="real_name"),
            real_name_verified_at=func.now(),
        )
        .on_conflict_do_nothing()
    )
    return (await session.execute(select(User).where(User.openid == openid))).scalar_one()


async def seed_gig_market(session: AsyncSession, clock: Clock = system_clock) -> int:
    """Sample workers and open gigs; returns how many rows of either were written."""
    security = Security.from_settings(get_settings().security)
    content = DemoContent(DEMO_SEED, employer_count=0)
    now = clock()
    written = 0
    workers = list(content.workers(WORKER_COUNT))
    demo_gigs = list(content.gigs(GIG_COUNT))  # after the workers: the same random sequence
    workers[0] = matching_worker(workers[0], demo_gigs[0])
    for i, worker in enumerate(workers):
        user = await demo_person(
            session,
            security,
            f"demo-gig-worker-{i}",
            f"示例零工·{worker.name}",
            f"示例{worker.name}",
            f"1990001{i:04d}",
        )
        values = profile_values(worker_profile(worker), local_date(now))
        await repository.upsert_profile(session, user.id, values)
        written += 1
    poster = await demo_person(
        session, security, POSTER_OPENID, "示例零工发布人", "王示例", "19900019999"
    )
    open_gigs = select(func.count()).where(Gig.poster_id == poster.id, Gig.status == "open")
    if (await session.execute(open_gigs)).scalar_one() == 0:
        for demo_gig in demo_gigs:
            body = gig_create(demo_gig, local_date(now), "19900019999")
            gig, occurrences = gig_row(security, body, poster.id, now, SEEDED)
            gig.title = f"示例·{gig.title}"[:60]
            await repository.insert_gig(session, gig, occurrences)
            written += 1
    return written

"""Sample employers for the demo (names start with "示例·"; credit codes are synthetic).

All sample employers belong to the demo user ``demo-employer-owner`` (log in from /docs with the
code ``demo:demo-employer-owner``). One more, owned by ``demo-pending-owner``, waits in the staff
verification queue.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.security import Security
from app.demo.content import DemoContent, DemoEmployer, demo_credit_code
from app.employers.contact import seal_contact_phone
from app.employers.models import Employer, EmployerMember
from app.identity.models import User

DEMO_SEED = 0
DEMO_EMPLOYER_COUNT = 30
OWNER_OPENID = "demo-employer-owner"
PENDING_OWNER_OPENID = "demo-pending-owner"
DEMO_CONTACT_PHONE = "0477-8000000"


def demo_content() -> DemoContent:
    """The deterministic content shared with the job seeder (employers first, then jobs)."""
    return DemoContent(DEMO_SEED, employer_count=DEMO_EMPLOYER_COUNT)


async def demo_user(session: AsyncSession, openid: str, nickname: str) -> User:
    await session.execute(
        insert(User).values(openid=openid, nickname=nickname).on_conflict_do_nothing()
    )
    user = (await session.execute(select(User).where(User.openid == openid))).scalar_one()
    return user


def _row(security: Security, employer: DemoEmployer, owner: User, status: str) -> Employer:
    return Employer(
        name=employer.name,
        credit_code=employer.credit_code,
        kind=employer.kind,
        size_class=employer.size_class,
        industry_code=employer.industry_code,
        area_code=employer.area_code,
        address=employer.address,
        latitude=employer.lat,
        longitude=employer.lng,
        contact_name=employer.contact_name,
        contact_phone_encrypted=seal_contact_phone(security, DEMO_CONTACT_PHONE),
        description="示例数据，仅用于演示。",
        status=status,
        created_by=owner.id,
    )


def _pending_sample() -> DemoEmployer:
    return DemoEmployer(
        key="demo-employer-pending",
        name="示例·东胜待认证商贸有限公司",
        credit_code=demo_credit_code(DEMO_SEED + 1, 0, "91"),
        kind="enterprise",
        size_class="micro",
        industry_code="modern_commerce",
        area_code="fuxing",
        address="东胜区富兴街道示例路 8 号",
        lat=39.829,
        lng=109.999,
        contact_name="示例联系人",
    )


async def seed_employers(session: AsyncSession) -> int:
    """Verified sample employers plus one pending; existing credit codes are left alone."""
    security = Security.from_settings(get_settings().security)
    owner = await demo_user(session, OWNER_OPENID, "示例·招聘负责人")
    pending_owner = await demo_user(session, PENDING_OWNER_OPENID, "示例·待认证单位负责人")
    samples = [(e, owner, "verified") for e in demo_content().employers]
    samples.append((_pending_sample(), pending_owner, "pending"))
    existing = set((await session.execute(select(Employer.credit_code))).scalars())
    created = 0
    for sample, user, status in samples:
        if sample.credit_code in existing:
            continue
        row = _row(security, sample, user, status)
        session.add(row)
        await session.flush()
        session.add(EmployerMember(employer_id=row.id, user_id=user.id, role="owner"))
        created += 1
    await session.flush()
    return created

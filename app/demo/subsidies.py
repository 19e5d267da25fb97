"""Sample subsidy applications (示例数据) in different statuses, decided by the real engine.

Runs after the staff and employer seeders: two sample graduates (real-name users created here,
with synthetic ID numbers) and the sample HR agency among the demo employers. Idempotent: does
nothing once a sample application exists. Log in as ``demo-subsidy-graduate`` (code
``demo:demo-subsidy-graduate``) or as the demo employer owner to see them; staff see them in the
review queue (``demo.reviewer``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, local_midnight, system_clock
from app.core.config import get_settings
from app.core.security import Security
from app.employers.models import Employer
from app.identity.idcard import check_character
from app.identity.models import StaffAccount, User
from app.subsidies import review, service
from app.subsidies.models import SubsidyApplication
from app.subsidies.schemas import SubsidyApplicationCreate, SubsidyReview

SAMPLE_DAY = date(2025, 9, 1)  # the business date the samples were "submitted" on
NOTE = "示例数据，仅用于演示"
GRADUATES = (
    ("demo-subsidy-graduate", "示例·应届毕业生", "示例毕业生甲", 901),
    ("demo-subsidy-graduate-2", "示例·离校毕业生", "示例毕业生乙", 902),
)


def sample_id_number(seq: int, birth: str) -> str:
    """A synthetic ID number of Dongsheng District with a correct check character."""
    first17 = f"150602{birth}{seq:03d}"
    return first17 + check_character(first17)


async def _graduate(
    session: AsyncSession, security: Security, spec: tuple[str, str, str, int], now: datetime
) -> User:
    openid, nickname, name, seq = spec
    number = sample_id_number(seq, "20020510")
    await session.execute(
        insert(User).values(openid=openid, nickname=nickname).on_conflict_do_nothing()
    )
    user = (await session.execute(select(User).where(User.openid == openid))).scalar_one()
    if user.real_name_verified_at is None:
        user.real_name_encrypted = security.cipher.encrypt(name, context="real_name")
        user.id_number_encrypted = security.cipher.encrypt(number, context="id_number")
        user.id_number_hash = security.hasher.digest(number, purpose="id_number")
        user.birth_date = date(2002, 5, 10)
        user.sex = "male" if seq % 2 else "female"
        user.real_name_verified_at = now
        await session.flush()
    return user


def _graduate_body() -> SubsidyApplicationCreate:
    spell = {
        "employer_name": "示例·东胜某科技有限公司",
        "employer_in_district": True,
        "employer_is_sme": True,
        "start_date": "2025-01-15",
        "contract_months": 36,
        "insured_months": 7,
    }
    facts = {
        "person": {
            "is_college_graduate": True,
            "left_school_on": "2024-07-01",
            "unemployed_since_leaving_school": True,
            "employments": [spell],
        }
    }
    return SubsidyApplicationCreate.model_validate(
        {
            "policy_code": "graduate-sme-living",
            "applicant": {"kind": "person"},
            "period": "2025",
            "facts": facts,
            "note": NOTE,
        }
    )


def _referrals(plain: int, keyed: int, start: int) -> list[dict[str, Any]]:
    row = {
        "employer_in_district": True,
        "industrial_worker": True,
        "first_labour_contract": True,
        "contract_signed_on": "2025-03-01",
        "contract_months": 12,
        "insured_months": 4,
        "insured_months_continuous": 4,
    }
    key_group = {
        "key_group": "graduate",
        "left_school_on": "2024-07-01",
        "unemployed_before_referral": True,
    }
    rows = [{**row, "person_key": sample_id_number(start + i, "19950101")} for i in range(plain)]
    rows += [
        {**row, **key_group, "person_key": sample_id_number(start + i, "20010101")}
        for i in range(keyed)
    ]
    return rows


def _agency_body(
    agency: Employer, period: str, rows: list[dict[str, Any]]
) -> SubsidyApplicationCreate:
    return SubsidyApplicationCreate.model_validate(
        {
            "policy_code": "hr-agency-referral",
            "applicant": {"kind": "organisation", "employer_id": str(agency.id)},
            "period": period,
            "facts": {"organisation": {"kind": "hr_agency", "referrals": rows}},
            "note": NOTE,
        }
    )


async def _step(
    session: AsyncSession, staff: StaffAccount | None, application: SubsidyApplication, **body: Any
) -> None:
    if staff is not None:
        at = local_midnight(SAMPLE_DAY) + timedelta(hours=10)
        await review.review(session, staff, application.id, SubsidyReview(**body), at)


async def seed_subsidy_applications(session: AsyncSession, clock: Clock = system_clock) -> int:
    """Four sample applications: submitted, under review, returned, and approved then paid."""
    if await session.scalar(select(exists().where(SubsidyApplication.note == NOTE))):
        return 0
    security = Security.from_settings(get_settings().security)
    hasher = security.hasher
    staff = await session.scalar(
        select(StaffAccount).where(StaffAccount.username == "demo.reviewer")
    )
    now = clock()
    first, second = [await _graduate(session, security, spec, now) for spec in GRADUATES]
    body = _graduate_body()
    reviewed = await service.create(session, hasher, first, body, SAMPLE_DAY)
    await _step(session, staff, reviewed, action="start_review")
    returned = await service.create(session, hasher, second, body, SAMPLE_DAY)
    await _step(session, staff, returned, action="start_review")
    await _step(session, staff, returned, action="return", note="示例：请补充社会保险缴费明细")
    created = 2
    agency = await session.scalar(
        select(Employer)
        .where(Employer.kind == "hr_agency", Employer.status == "verified")
        .order_by(Employer.created_at, Employer.id)
        .limit(1)
    )
    if agency is None:
        return created
    owner = await session.get(User, agency.created_by)
    assert owner is not None
    paid = await service.create(
        session, hasher, owner, _agency_body(agency, "2025", _referrals(35, 5, 0)), SAMPLE_DAY
    )
    await _step(session, staff, paid, action="start_review")
    await _step(session, staff, paid, action="approve")
    await _step(
        session,
        staff,
        paid,
        action="mark_paid",
        paid_on=SAMPLE_DAY,
        payment_reference="示例-ZF-0001",
    )
    await service.create(
        session, hasher, owner, _agency_body(agency, "2025-Q4", _referrals(30, 0, 100)), SAMPLE_DAY
    )
    return created + 2

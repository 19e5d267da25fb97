"""Mini-program code images for job posters: fetched from WeChat once, then kept in a table."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import User
from app.integrations.wechat.client import WeChatClient
from app.jobs import errors, repository
from app.jobs.models import JobWxacode

# The mini-program page that opens a job; it reads the job id from ``scene``.
JOB_PAGE = "pages/jobs/detail"


def scene_for(job_id: uuid.UUID) -> str:
    """The job id as 32 hex digits: WeChat's scene limit exactly, and a valid UUID to the API."""
    return job_id.hex


async def job_wxacode(
    session: AsyncSession, wechat: WeChatClient, job_id: uuid.UUID, viewer: User | None
) -> bytes:
    if await repository.get_with_employer(session, job_id, viewer.id if viewer else None) is None:
        raise errors.JobNotFound()
    cached = (
        await session.execute(select(JobWxacode.png).where(JobWxacode.job_id == job_id))
    ).scalar_one_or_none()
    if cached is not None:
        return cached
    scene = scene_for(job_id)
    # check_path=False: the code must work before the page ships in a released version.
    png = await wechat.get_wxacode_unlimited(scene, page=JOB_PAGE, check_path=False)
    await session.execute(
        insert(JobWxacode).values(job_id=job_id, scene=scene, png=png).on_conflict_do_nothing()
    )
    return png

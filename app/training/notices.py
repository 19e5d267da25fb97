"""What trainees are told about their courses (written through the outbox)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.notices import day_keyword, day_text
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify
from app.training.models import TrainingCourse, TrainingEnrolment


def page_of(enrolment_id: uuid.UUID) -> str:
    return f"pages/training/enrolment?id={enrolment_id}"


def _place(course: TrainingCourse) -> str:
    return "线上授课" if course.online else (course.address or "详见课程页面")


async def enrolled(
    session: AsyncSession,
    now: datetime,
    enrolment_id: uuid.UUID,
    user_id: uuid.UUID,
    course: TrainingCourse,
) -> None:
    place = _place(course)
    await notify(
        session,
        now,
        [user_id],
        Message(
            kind=NotificationKind.TRAINING_ENROLLED,
            title="培训报名成功",
            body=(
                f"您已报名「{course.title}」，{day_text(course.starts_on)}开课，"
                f"地点{place}，请按时参加。"
            ),
            page=page_of(enrolment_id),
            keywords={
                "subject": course.title,
                "time": day_keyword(course.starts_on),
                "place": place,
                "status": "报名成功",
            },
            dedupe_key=f"training_enrolment:{enrolment_id}:enrolled",
        ),
    )


async def completed(
    session: AsyncSession, now: datetime, enrolment: TrainingEnrolment, course: TrainingCourse
) -> None:
    """The trainee hears the result: passed (with the certificate number) or not."""
    passed = enrolment.status == "completed"
    if passed:
        body = f"您已完成「{course.title}」培训并结业。"
        if enrolment.certificate_no:
            body += f"证书编号{enrolment.certificate_no}。"
    else:
        body = f"您参加的「{course.title}」培训未达到结业要求，如有疑问请联系培训机构。"
    await notify(
        session,
        now,
        [enrolment.user_id],
        Message(
            kind=NotificationKind.TRAINING_COMPLETED,
            title="培训结业结果",
            body=body,
            page=page_of(enrolment.id),
            keywords={"subject": course.title, "status": "已结业" if passed else "未结业"},
            dedupe_key=f"training_enrolment:{enrolment.id}:result",
        ),
    )

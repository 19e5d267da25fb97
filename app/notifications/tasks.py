"""The notifications' worker tasks (namespace ``notifications``, see ``app.worker``)."""

from __future__ import annotations

import random
import uuid

import procrastinate
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from app.core.queue import runtime_of
from app.notifications import delivery

blueprint = procrastinate.Blueprint()

# A failure that is not WeChat's (the database went away) is retried this often at most.
MAX_UNEXPECTED_ATTEMPTS = 6


class DeliveryRetry(BaseRetryStrategy):
    """Exponential back-off with jitter, bounded: ``RetryLater`` carries its delay and the task
    itself stops raising it after ``NOTIFICATIONS_MAX_ATTEMPTS``; anything else is retried
    ``MAX_UNEXPECTED_ATTEMPTS`` times."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, delivery.RetryLater):
            delay = exception.delay_seconds
        elif job.attempts + 1 < MAX_UNEXPECTED_ATTEMPTS:
            delay = delivery.retry_delay(15, job.attempts)
        else:
            return None
        return RetryDecision(retry_in={"seconds": int(delay * random.uniform(0.8, 1.2)) + 1})


@blueprint.task(name="deliver", pass_context=True, retry=DeliveryRetry())
async def deliver(context: procrastinate.JobContext, notification_id: str) -> str:
    """Send one notification's WeChat subscribe message (see ``app.notifications.delivery``)."""
    runtime = runtime_of(context)
    attempt = context.job.attempts
    return await delivery.deliver(runtime, uuid.UUID(notification_id), attempt=attempt)

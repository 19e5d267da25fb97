"""The application status pipeline, as pure rules.

    submitted → viewed → interview → offered → hired
    any open status → rejected (by the employer) or withdrawn (by the applicant)

Employers move an application forward only (skipping stages is allowed: a walk-in may be hired
straight after an interview); ``hired``, ``rejected`` and ``withdrawn`` are final for the
pipeline. Withdrawing is the applicant's alone, and ``submitted`` is only ever the starting point
(applying again after withdrawing reopens the application: see ``service.apply``).
"""

from __future__ import annotations

from typing import Literal

from app.applications.errors import IllegalTransition

ApplicationStatus = Literal[
    "submitted", "viewed", "interview", "offered", "hired", "rejected", "withdrawn"
]
Actor = Literal["applicant", "employer"]

PIPELINE: tuple[str, ...] = ("submitted", "viewed", "interview", "offered", "hired")
FINAL: frozenset[str] = frozenset({"hired", "rejected", "withdrawn"})
OPEN: frozenset[str] = frozenset(PIPELINE) - FINAL


def _refuse(current: str, target: str, reason: str, message: str) -> IllegalTransition:
    return IllegalTransition(message, details={"from": current, "to": target, "reason": reason})


def check_transition(current: str, target: str, actor: Actor) -> None:
    """Raise ``IllegalTransition`` (details: from, to, reason) unless ``actor`` may do this."""
    if current in FINAL:
        raise _refuse(current, target, "final", "该投递已结束，状态不能再变更")
    if target == current:
        raise _refuse(current, target, "unchanged", "投递已处于该状态")
    if target == "withdrawn":
        if actor != "applicant":
            raise _refuse(current, target, "applicant_only", "只有求职者本人可以撤回投递")
        return
    if actor != "employer":
        raise _refuse(current, target, "employer_only", "该状态只能由招聘方更新")
    if target == "rejected":
        return
    if target == "submitted" or PIPELINE.index(target) < PIPELINE.index(current):
        raise _refuse(current, target, "backwards", "投递状态不能回退")

"""Resume and application errors with Chinese messages the mini-program shows as is."""

from __future__ import annotations

from app.core import errors


class ResumeNotFound(errors.NotFound):
    code = "resume.not_found"
    message = "还没有填写简历"


class ResumeRequired(errors.Conflict):
    code = "application.resume_required"
    message = "请先填写简历再投递"


class ApplicationNotFound(errors.NotFound):
    code = "application.not_found"
    message = "投递记录不存在"


class JobClosed(errors.Conflict):
    code = "job.closed"
    message = "该岗位已停止招聘，不能再投递"


class JobExpired(errors.Conflict):
    code = "job.expired"
    message = "该岗位已过有效期，不能再投递"


class JobNotPublished(errors.Conflict):
    code = "job.not_published"
    message = "该岗位尚未发布，暂不能投递"


class OwnEmployerJob(errors.Conflict):
    code = "application.own_employer"
    message = "不能投递本单位发布的岗位"


class IllegalTransition(errors.Conflict):
    code = "application.illegal_transition"
    message = "当前状态下不能进行该操作"

"""Errors of internships (就业见习): enrolment, hosts, dates."""

from __future__ import annotations

from app.core import errors


class InternshipNotFound(errors.NotFound):
    code = "internship.not_found"
    message = "未找到该见习记录"


class InternshipApplicationInvalid(errors.ValidationFailed):
    code = "internship.application_invalid"
    message = "须选择投递到本单位见习岗位的求职者"


class HostNotVerified(errors.Conflict):
    code = "internship.host_not_verified"
    message = "见习单位须通过审核"


class InternRealNameRequired(errors.Conflict):
    code = "internship.real_name_required"
    message = "见习人员须先完成实名认证"


class InternshipExists(errors.Conflict):
    code = "internship.exists"
    message = "该人员已在本岗位见习"


class InternshipDatesInvalid(errors.ValidationFailed):
    code = "internship.dates_invalid"
    message = "日期须在见习期内"


class NotHostMember(errors.NotFound):
    code = "internship.host_not_found"
    message = "未找到该单位，或您不是该单位成员"

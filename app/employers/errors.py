"""Employer errors: stable codes, Chinese messages."""

from __future__ import annotations

from app.core import errors


class EmployerNotFound(errors.NotFound):
    code = "employer.not_found"
    message = "用人单位不存在"


class DuplicateCreditCode(errors.Conflict):
    code = "employer.duplicate_credit_code"
    message = "该统一社会信用代码已注册过用人单位，请联系单位管理员邀请您加入"


class UnknownIndustry(errors.ValidationFailed):
    code = "employer.industry_unknown"
    message = "所属行业不在行业目录中"


class UnknownArea(errors.ValidationFailed):
    code = "employer.area_unknown"
    message = "所在镇街不在东胜区区划目录中"


class OwnerOnly(errors.Forbidden):
    code = "employer.owner_only"
    message = "只有单位管理员（创建者）可以执行此操作"


class OwnerCannotLeave(errors.Conflict):
    code = "employer.owner_cannot_leave"
    message = "单位管理员不能移除自己"


class MemberNotFound(errors.NotFound):
    code = "employer.member_not_found"
    message = "该成员不存在"


class InvitationInvalid(errors.NotFound):
    code = "employer.invitation_invalid"
    message = "邀请码无效、已过期或已被使用，请向单位管理员索取新的邀请码"


class AlreadyMember(errors.Conflict):
    code = "employer.already_member"
    message = "您已经是该单位的成员"


class NotPending(errors.Conflict):
    code = "employer.not_reviewable"
    message = "该单位当前状态不能执行此审核操作"


class ReasonRequired(errors.ValidationFailed):
    code = "employer.reason_required"
    message = "驳回时请填写原因"


class NotVerified(errors.Forbidden):
    code = "employer.not_verified"
    message = "单位尚未通过认证，认证通过后才能发布岗位"

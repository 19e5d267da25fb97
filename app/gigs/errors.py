"""Gig market errors: stable codes, Chinese messages the mini-program shows as is."""

from __future__ import annotations

from app.core import errors


class GigNotFound(errors.NotFound):
    code = "gig.not_found"
    message = "零工信息不存在或已下架"


class ProfileNotFound(errors.NotFound):
    code = "gig.profile_not_found"
    message = "还没有填写零工资料"


class ProfileRequired(errors.Conflict):
    code = "gig.profile_required"
    message = "请先填写零工资料（技能、空闲时间和住址）"


class ApplicationNotFound(errors.NotFound):
    code = "gig.application_not_found"
    message = "报名或邀请不存在"


class BookingNotFound(errors.NotFound):
    code = "gig.booking_not_found"
    message = "预约不存在"


class WorkerNotFound(errors.NotFound):
    code = "gig.worker_not_found"
    message = "该零工不存在或未填写零工资料"


class PosterNotAllowed(errors.Forbidden):
    code = "gig.poster_not_allowed"
    message = "发布零工需先完成实名认证，或以已认证单位成员身份发布"


class EmployerNotVerified(errors.Forbidden):
    code = "gig.employer_not_verified"
    message = "该单位尚未通过认证，或您不是该单位成员"


class InvalidSkill(errors.ValidationFailed):
    code = "gig.skill_invalid"
    message = "技能或证书不在技能目录中"


class InvalidSchedule(errors.ValidationFailed):
    code = "gig.schedule_invalid"
    message = "用工日期或时间不正确"


class InvalidArea(errors.ValidationFailed):
    code = "gig.area_invalid"
    message = "所在镇街不在东胜区区划目录中"


class ContentRefused(errors.ValidationFailed):
    """Built-in rules (discrimination, fraud) refuse the posting."""

    code = "gig.content_refused"
    message = "零工内容含有法律禁止的招聘要求或疑似欺诈内容，请修改后再提交"


class ContentRisky(errors.ValidationFailed):
    """WeChat's content security check judged the text risky."""

    code = "gig.content_risky"
    message = "零工内容未通过微信内容安全检测，请修改后再提交"


class NotYourDecision(errors.Forbidden):
    code = "gig.not_your_decision"
    message = "该报名或邀请需由对方处理"


class NotPendingReview(errors.Conflict):
    code = "gig.not_pending_review"
    message = "该零工不在待审核状态"


class ReasonRequired(errors.ValidationFailed):
    code = "gig.reason_required"
    message = "驳回时请填写原因"


class GigNotOpen(errors.Conflict):
    code = "gig.not_open"
    message = "该零工已停止招人"


class GigFull(errors.Conflict):
    code = "gig.full"
    message = "该零工人数已满"


class GigStarted(errors.Conflict):
    code = "gig.started"
    message = "该零工已开始，不能再报名或预约"


class OwnGig(errors.Conflict):
    code = "gig.own_gig"
    message = "不能报名自己发布的零工"


class AlreadyApplied(errors.Conflict):
    code = "gig.already_applied"
    message = "已报名或已被邀请，请勿重复操作"


class ApplicationClosed(errors.Conflict):
    code = "gig.application_closed"
    message = "该报名或邀请已处理，不能再操作"


class TimeConflict(errors.Conflict):
    code = "gig.time_conflict"
    message = "该时间段已有其他零工预约，不能重复预约"


class BookingStateInvalid(errors.Conflict):
    code = "gig.booking_state"
    message = "当前预约状态不能进行此操作"


class CheckInWindow(errors.Conflict):
    code = "gig.check_in_window"
    message = "不在签到时间内（开工前 2 小时至收工前可签到）"


class NotStartedYet(errors.Conflict):
    code = "gig.not_started"
    message = "零工尚未开始，不能确认完工"


class PaymentStateInvalid(errors.Conflict):
    code = "gig.payment_state"
    message = "当前工钱状态不能进行此操作"


class RatingNotAllowed(errors.Conflict):
    code = "gig.rating_not_allowed"
    message = "完工后才能评价"


class AlreadyRated(errors.Conflict):
    code = "gig.already_rated"
    message = "已经评价过了"


class GigStateInvalid(errors.Conflict):
    code = "gig.state"
    message = "当前零工状态不能进行此操作"

"""Errors of events, booths, registrations, check-in, live streams, training and internships."""

from __future__ import annotations

from app.core import errors


class EventNotFound(errors.NotFound):
    code = "event.not_found"
    message = "未找到该活动"


class EventCancelled(errors.Conflict):
    code = "event.cancelled"
    message = "该活动已取消"


class EventEnded(errors.Conflict):
    code = "event.ended"
    message = "该活动已结束"


class LimitBelowCount(errors.Conflict):
    code = "event.limit_below_count"
    message = "上限不能小于已报名（已申请）的数量"


class InvalidPeriod(errors.ValidationFailed):
    code = "event.invalid_period"
    message = "结束时间须晚于开始时间"


class AddressRequired(errors.ValidationFailed):
    code = "event.address_required"
    message = "线下活动须填写地址"


class UnknownArea(errors.ValidationFailed):
    code = "event.unknown_area"
    message = "所属镇/街道编码不存在"


class RegistrationNotOpen(errors.Conflict):
    code = "event.registration_not_open"
    message = "该活动无需报名"


class RegistrationFull(errors.Conflict):
    code = "event.registration_full"
    message = "报名人数已满"


class AlreadyRegistered(errors.Conflict):
    code = "event.already_registered"
    message = "您已报名该活动，无需重复报名"


class RegistrationNotFound(errors.NotFound):
    code = "event.registration_not_found"
    message = "未找到该报名"


class RegistrationNotCancellable(errors.Conflict):
    code = "event.registration_not_cancellable"
    message = "活动已开始或已签到，不能取消报名"


class CheckInCodeInvalid(errors.ValidationFailed):
    code = "event.check_in_code_invalid"
    message = "签到码无效：不是本系统签发的签到码，或已被篡改"


class CheckInOtherEvent(errors.Conflict):
    code = "event.check_in_other_event"
    message = "该签到码不属于本场活动，请核对活动"


class CheckInCodeExpired(errors.Conflict):
    code = "event.check_in_code_expired"
    message = "签到码已过期"


class CheckInCodeUsed(errors.Conflict):
    code = "event.check_in_code_used"
    message = "该签到码已使用过，不能重复签到"


class CheckInCancelled(errors.Conflict):
    code = "event.check_in_registration_cancelled"
    message = "该报名已取消，不能签到"


class CheckInNotOpen(errors.Conflict):
    code = "event.check_in_not_open"
    message = "活动开始前 2 小时起才能签到"


class BoothsNotOffered(errors.Conflict):
    code = "event.booths_not_offered"
    message = "该活动不设展位"


class BoothsFull(errors.Conflict):
    code = "event.booths_full"
    message = "展位已满"


class BoothRegistrationClosed(errors.Conflict):
    code = "event.booth_registration_closed"
    message = "活动已开始，不能再申请展位"


class NotEmployerMember(errors.Forbidden):
    code = "event.not_employer_member"
    message = "只有该单位的成员才能以单位名义申请展位"


class EmployerNotVerified(errors.Conflict):
    code = "event.employer_not_verified"
    message = "单位通过审核后才能申请展位"


class BoothAlreadyRegistered(errors.Conflict):
    code = "event.booth_exists"
    message = "该单位已申请本场活动的展位"


class BoothJobsInvalid(errors.ValidationFailed):
    code = "event.booth_jobs_invalid"
    message = "携带的岗位须为本单位已发布的岗位"


class BoothNotFound(errors.NotFound):
    code = "event.booth_not_found"
    message = "未找到该展位申请"


class BoothDecisionNotAllowed(errors.Conflict):
    code = "event.booth_decision_not_allowed"
    message = "该展位申请当前状态不能执行此操作"


class NotLivestream(errors.Conflict):
    code = "event.not_livestream"
    message = "该活动不是直播带岗"


class FeaturedJobsInvalid(errors.ValidationFailed):
    code = "event.featured_jobs_invalid"
    message = "推介岗位须为已发布的岗位"


class JobNotFeatured(errors.NotFound):
    code = "event.job_not_featured"
    message = "该岗位不在本场直播的推介岗位中"

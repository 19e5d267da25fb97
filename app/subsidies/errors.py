"""Subsidy application errors: stable codes, Chinese messages the mini-program shows as is."""

from __future__ import annotations

from app.core import errors


class ApplicationNotFound(errors.NotFound):
    code = "subsidy.not_found"
    message = "补贴申请不存在"


class ApplicantNotFound(errors.NotFound):
    code = "subsidy.employer_not_found"
    message = "单位不存在，或您不是该单位的成员"


class EmployerUnverified(errors.Forbidden):
    code = "subsidy.employer_unverified"
    message = "单位尚未通过认证，暂不能以单位身份申请补贴"


class NotComputable(errors.ValidationFailed):
    code = "subsidy.not_computable"
    message = "该政策暂不支持在线申请，请按办理指南到就业服务窗口办理"


class ApplicantMismatch(errors.ValidationFailed):
    code = "subsidy.applicant_mismatch"
    message = "申请主体与政策不符（该政策由个人或单位申请）"


class FactsMismatch(errors.ValidationFailed):
    code = "subsidy.facts_invalid"
    message = "申请信息与申请主体不符"


class PersonKeyInvalid(errors.ValidationFailed):
    code = "subsidy.person_id_invalid"
    message = "人员名单中的身份证号码有误，请核对后重新提交"


class Ineligible(errors.ValidationFailed):
    code = "subsidy.ineligible"
    message = "经测算不符合该政策的申请条件，具体原因见详情"


class Duplicate(errors.Conflict):
    code = "subsidy.duplicate"
    message = "同一申请主体在该期间已有正在办理的同类申请，请勿重复提交"


class TransitionInvalid(errors.Conflict):
    code = "subsidy.transition_invalid"
    message = "申请当前状态不能执行该操作"


class OwnApplication(errors.Forbidden):
    code = "subsidy.own_application"
    message = "不能审核本人或本人所在单位提交的申请"


class OverrideReasonRequired(errors.ValidationFailed):
    code = "subsidy.override_reason_required"
    message = "核定金额与测算金额不一致，请填写调整理由"


class AmountToEnter(errors.ValidationFailed):
    code = "subsidy.amount_to_enter"
    message = "该补贴金额以上级政策为准，请按上级政策填写核定金额"


class AmountRequired(errors.ValidationFailed):
    code = "subsidy.amount_required"
    message = "测算结果暂无可发放金额，请填写核定金额及理由，或驳回申请"


class NoLongerEligible(errors.Conflict):
    code = "subsidy.no_longer_eligible"
    message = "按最新发放记录重新测算，该申请已不符合条件，请驳回或退回补充材料"


class CapExceeded(errors.Conflict):
    code = "subsidy.cap_exceeded"
    message = "核定金额超过该政策的年度补贴上限"


class DateRangeInvalid(errors.ValidationFailed):
    code = "subsidy.date_range_invalid"
    message = "日期范围有误（须在 2000-01-01 至 2100-12-31 之间，且起始不晚于截止）"

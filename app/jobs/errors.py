"""Job errors: stable codes, Chinese messages."""

from __future__ import annotations

from app.core import errors


class JobNotFound(errors.NotFound):
    code = "job.not_found"
    message = "岗位不存在或已下架"


class JobClosed(errors.Conflict):
    code = "job.closed"
    message = "岗位已关闭，不能再修改"


class JobNotPendingReview(errors.Conflict):
    code = "job.not_pending_review"
    message = "该岗位不在待审核状态"


class UnknownOccupation(errors.ValidationFailed):
    code = "job.occupation_unknown"
    message = "职业不在职业目录中"


class UnknownIndustry(errors.ValidationFailed):
    code = "job.industry_unknown"
    message = "行业不在行业目录中"


class UnknownArea(errors.ValidationFailed):
    code = "job.area_unknown"
    message = "工作地点所在镇街不在东胜区区划目录中"


class UnknownBenefit(errors.ValidationFailed):
    code = "job.benefit_unknown"
    message = "福利标签不在目录中"


class SalaryRangeInvalid(errors.ValidationFailed):
    code = "job.salary_range_invalid"
    message = "薪资下限不能高于上限"


class InternshipFieldsInvalid(errors.ValidationFailed):
    code = "job.internship_fields_invalid"
    message = "实习岗位须填写实习期（月）和每月实习补贴；非实习岗位不填这两项"


class ValidUntilInvalid(errors.ValidationFailed):
    code = "job.valid_until_invalid"
    message = "有效期须在今天到 180 天之内"


class ContentRefused(errors.ValidationFailed):
    """Built-in rules (discrimination the law forbids in job ads) refuse the posting."""

    code = "job.content_refused"
    message = "岗位内容含有法律禁止的招聘要求，请修改后再提交"


class ContentRisky(errors.ValidationFailed):
    """WeChat's content security check judged the text risky."""

    code = "job.content_risky"
    message = "岗位内容未通过微信内容安全检测，请修改后再提交"


class ReasonRequired(errors.ValidationFailed):
    code = "job.reason_required"
    message = "驳回时请填写原因"


class ReportNotFound(errors.NotFound):
    code = "job_report.not_found"
    message = "举报不存在"


class ReportAlreadyOpen(errors.Conflict):
    code = "job_report.duplicate"
    message = "您已举报过该岗位，工作人员正在处理"


class ReportHandled(errors.Conflict):
    code = "job_report.already_handled"
    message = "该举报已处理"


class SavedSearchNotFound(errors.NotFound):
    code = "saved_search.not_found"
    message = "订阅的搜索不存在"


class SavedSearchLimit(errors.Conflict):
    code = "saved_search.limit"
    message = "最多保存 10 个订阅搜索，请先删除不用的"

"""Complaint errors: stable codes, Chinese messages."""

from __future__ import annotations

from app.core import errors


class ComplaintNotFound(errors.NotFound):
    code = "complaint.not_found"
    message = "投诉不存在"


class SubjectNotFound(errors.NotFound):
    code = "complaint.subject_not_found"
    message = "投诉对象不存在，或您不是该零工预约的当事人"


class DuplicateComplaint(errors.Conflict):
    code = "complaint.duplicate"
    message = "您已就此事提交过投诉，正在处理中"


class TransitionInvalid(errors.Conflict):
    code = "complaint.transition_invalid"
    message = "投诉当前状态不能变更为该状态"


class ReplyRequired(errors.ValidationFailed):
    code = "complaint.reply_required"
    message = "办结或移交时请填写给投诉人的答复"

"""Errors of the people ledger (codes ``people_ledger.*``)."""

from __future__ import annotations

from app.core import errors


class PersonNotFound(errors.NotFound):
    code = "people_ledger.person_not_found"
    message = "人员清单中没有该人员"


class ImportNotFound(errors.NotFound):
    code = "people_ledger.import_not_found"
    message = "没有该导入任务"


class FileEmpty(errors.ValidationFailed):
    code = "people_ledger.file_empty"
    message = "文件为空，请选择填写好的 Excel 文件"


class FileNotXlsx(errors.UnsupportedMediaType):
    code = "people_ledger.file_type"
    message = "文件不是 Excel（.xlsx）格式，请使用导入模板"


class FileUnreadable(errors.ValidationFailed):
    code = "people_ledger.file_unreadable"
    message = "Excel 文件已损坏或无法读取，请重新保存后上传"


class FileTooLarge(errors.PayloadTooLarge):
    code = "people_ledger.file_too_large"
    message = "文件过大，每次导入不超过 10 MB，请拆分后导入"


class TooManyRows(errors.ValidationFailed):
    code = "people_ledger.too_many_rows"
    message = "文件行数超过上限，请拆分后导入"


class HeadersMissing(errors.ValidationFailed):
    code = "people_ledger.headers_missing"
    message = "文件缺少必填列，请使用导入模板"


class NoRows(errors.ValidationFailed):
    code = "people_ledger.no_rows"
    message = "文件中没有数据行"


class JobUnknown(errors.ValidationFailed):
    code = "people_ledger.job_unknown"
    message = "推荐或入职的岗位不存在"


# WorkbookRefused.reason → the error answered to the uploader (message from the workbook check).
REFUSALS: dict[str, type[errors.AppError]] = {
    "empty": FileEmpty,
    "not_xlsx": FileNotXlsx,
    "unreadable": FileUnreadable,
    "too_many_rows": TooManyRows,
    "headers": HeadersMissing,
    "no_rows": NoRows,
}


class FollowUpInFuture(errors.ValidationFailed):
    code = "people_ledger.follow_up_in_future"
    message = "跟进时间不能晚于现在"

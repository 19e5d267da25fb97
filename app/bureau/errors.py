"""Bureau errors with Chinese messages staff read as is."""

from __future__ import annotations

from app.core import errors


class TargetNotFound(errors.NotFound):
    code = "bureau.target_not_found"
    message = "没有这项目标"


class TargetNotEntered(errors.Conflict):
    code = "bureau.target_computed"
    message = "该指标由平台自动统计，不能手工填报"


class MeasureNotFound(errors.NotFound):
    code = "bureau.measure_not_found"
    message = "方案中没有这项措施"


class LiaisonWithoutUnit(errors.Forbidden):
    code = "bureau.liaison_without_unit"
    message = "当前账号未绑定单位，不能填报进展"


class MeasureNotOfUnit(errors.Forbidden):
    code = "bureau.measure_not_of_unit"
    message = "本单位不是这项措施的牵头或责任单位"


class MonthInFuture(errors.ValidationFailed):
    code = "bureau.month_in_future"
    message = "不能填报尚未开始的月份"


class CatalogueNotFound(errors.NotFound):
    code = "bureau.catalogue_not_found"
    message = "没有这份目录"


class CatalogueNotDraft(errors.Conflict):
    code = "bureau.catalogue_not_draft"
    message = "只有草稿状态的目录可以修改或发布"


class CatalogueItemUnknown(errors.ValidationFailed):
    code = "bureau.catalogue_item_unknown"
    message = "只能保留草稿中已有的职业"


class NoPublishedCatalogue(errors.NotFound):
    code = "bureau.no_published_catalogue"
    message = "急需紧缺职业目录尚未发布"


class PostingNotFound(errors.NotFound):
    code = "bureau.posting_not_found"
    message = "岗位不存在"

"""Request and response shapes of the people ledger (personal data masked unless stated)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from app.core.schemas import Body, BusinessDateTime, ReadSchema
from app.jobs.search_schemas import JobListItem
from app.people_ledger.codes import Category, FollowUpKind, ImportStatus, PersonStatus


class ImportAccepted(ReadSchema):
    id: uuid.UUID
    status: ImportStatus


class ImportErrorItem(ReadSchema):
    row: int = Field(description="Excel 行号（第 1 行为列名，数据从第 2 行开始）")
    column: str = Field(description="列名，如 `身份证号码`")
    message: str = Field(description="错误原因（中文）")


class ImportListItem(ReadSchema):
    id: uuid.UUID
    status: ImportStatus
    status_name: str
    file_name: str
    total: int = Field(description="数据行数（空白行不计）；读取完成前为按工作表估计的行数")
    read: int = Field(description="已读取并校验的行数（第一阶段进度：read / total）")
    processed: int = Field(description="已写入清单的行数（第二阶段进度：processed / total）")
    created: int = Field(description="新增人员（行）")
    updated: int = Field(description="已有人员信息被更新（行）")
    unchanged: int = Field(description="与清单一致、未作改动（行）")
    duplicates: int = Field(description="与文件中前面某行身份证号码相同、已合并的行")
    rejected: int = Field(description="有错误未导入的行")
    error_count: int = Field(description="错误条数（一行可有多条）")
    failure: str | None = Field(description="整个文件导入失败的原因（status 为 failed 时）")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportRead(ImportListItem):
    errors: list[ImportErrorItem] = Field(description="错误明细，按行号排序，最多 1000 条")
    errors_truncated: bool


class PersonListItem(ReadSchema):
    id: uuid.UUID
    name_masked: str = Field(examples=["张**"])
    id_number_masked: str = Field(examples=["1506**********123X"])
    phone_masked: str | None = Field(examples=["138****5678"])
    sex: str
    age: int = Field(description="今天的周岁年龄（按身份证出生日期）")
    categories: list[Category]
    category_names: list[str]
    status: PersonStatus
    status_name: str
    area_code: str | None
    area_name: str | None
    wanted_occupation_code: str | None
    occupation_name: str | None
    registered_on: date = Field(description="纳入台账日期；其年份即台账年度")
    created_at: datetime


class FollowUpCreate(Body):
    kind: FollowUpKind = Field(
        description="contact 联系沟通 · job_recommended 推荐岗位 · training 参加培训"
        " · hired 实现就业"
    )
    happened_at: BusinessDateTime | None = Field(default=None, description="发生时间，默认现在")
    note: str = Field(min_length=1, max_length=500, description="做了什么、结果如何")
    job_id: uuid.UUID | None = Field(default=None, description="推荐或入职的岗位（可选）")
    status: PersonStatus | None = Field(
        default=None,
        description="跟进后的就业状态；不填时 training→培训中、hired→已就业，其余不变",
    )


class FollowUpRead(ReadSchema):
    id: uuid.UUID
    kind: FollowUpKind
    kind_name: str
    happened_at: datetime
    note: str
    job_id: uuid.UUID | None
    status_before: PersonStatus
    status_after: PersonStatus
    staff_id: uuid.UUID | None
    staff_name: str | None
    created_at: datetime


class PlatformApplication(ReadSchema):
    id: uuid.UUID
    job_id: uuid.UUID
    job_title: str
    status: str
    created_at: datetime


class PlatformHire(ReadSchema):
    job_id: uuid.UUID
    job_title: str
    employer_id: uuid.UUID
    start_date: date
    contract_type: str


class PlatformTraining(ReadSchema):
    course_id: uuid.UUID
    course_title: str
    status: str
    created_at: datetime


class PlatformRecords(ReadSchema):
    """The person's own records on the mini-program (matched by the ID number's hash)."""

    user_id: uuid.UUID
    applications: list[PlatformApplication] = Field(description="最近 20 条投递")
    hires: list[PlatformHire]
    trainings: list[PlatformTraining] = Field(description="最近 20 条培训报名")


class PersonRead(PersonListItem):
    education: str | None
    school: str | None
    major: str | None
    graduated_on: date | None
    note: str | None
    status_changed_at: datetime
    follow_ups: list[FollowUpRead] = Field(description="跟进记录，最新在前")
    platform: PlatformRecords | None = Field(description="未在小程序实名的人员为 null")


class PersonIdentityRead(ReadSchema):
    person_id: uuid.UUID
    name: str
    id_number: str
    phone: str | None


class CountItem(ReadSchema):
    code: str
    name: str
    count: int


class AssistanceRate(ReadSchema):
    year: int
    graduates: int = Field(description="分母：台账年度为该年的离校未就业高校毕业生人数")
    employed: int = Field(description="分子：其中状态为已就业，或在平台有入职记录的人数")
    rate: Decimal | None = Field(
        description="帮扶就业率 = employed / graduates（四位小数）；无分母为 null"
    )


class LedgerStats(ReadSchema):
    year: int
    total: int = Field(description="台账年度为该年的人数")
    by_category: list[CountItem]
    by_status: list[CountItem]
    assistance_employment_rate: AssistanceRate


class Recommendations(ReadSchema):
    basis: str = Field(description="推荐依据，如 `求职意向：快递员；镇街：交通街道`")
    items: list[JobListItem]

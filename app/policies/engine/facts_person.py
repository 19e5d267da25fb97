"""Facts about a person (the applicant for a personal subsidy or award).

Every field is optional unless the shape needs it: a missing fact (``None``) makes the checks
that need it "unknown", and the outcome "needs review" with the fact named. A list left ``None``
means "not told"; an empty list means "none".

Status flags (registered unemployed, hard-to-employ, ...) describe the person *just before the
employment or business the claim is about* (when there is one), otherwise now.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from app.core.schemas import Integer, IsoDate

# Outputs (the full evaluation echoes the facts) always carry every field.
_CONFIG = ConfigDict(frozen=True, extra="forbid", json_schema_serialization_defaults_required=True)


class EmploymentSpell(BaseModel):
    """A job the person holds or held."""

    model_config = _CONFIG

    employer_name: str | None = Field(default=None, examples=["东胜区某科技有限公司"])
    employer_in_district: StrictBool | None = Field(
        default=None, description="用人单位是否为东胜区（我区）企业", examples=[True]
    )
    employer_is_sme: StrictBool | None = Field(
        default=None, description="用人单位是否为中小企业", examples=[True]
    )
    start_date: IsoDate = Field(description="入职日期", examples=["2025-01-15"])
    end_date: IsoDate | None = Field(
        default=None, description="离职日期（最后工作日）；仍在职则不填", examples=[None]
    )
    contract_months: Integer | None = Field(
        default=None, ge=0, description="劳动合同期限（月）", examples=[12]
    )
    insured_months: Integer | None = Field(
        default=None, ge=0, description="在该单位已缴纳社会保险的月数", examples=[6]
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> EmploymentSpell:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("离职日期不能早于入职日期")
        return self


class TalentReserve(BaseModel):
    """Participation in an SME / non-public enterprise talent reserve plan (人才储备计划)."""

    model_config = _CONFIG

    start_date: IsoDate = Field(description="进入人才储备计划的日期", examples=["2025-03-01"])
    end_date: IsoDate | None = Field(
        default=None, description="退出日期（最后一天）；仍在储备期则不填"
    )
    employer_kind: Literal["sme", "non_public", "other"] | None = Field(
        default=None, description="储备单位类型：中小企业 / 非公有制企业 / 其他", examples=["sme"]
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> TalentReserve:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("退出日期不能早于进入日期")
        return self


class CompetitionPrize(BaseModel):
    """A prize won in a vocational skills competition."""

    model_config = _CONFIG

    competition_key: str = Field(
        description="竞赛标识（同一竞赛只奖励一次）", examples=["2025-ordos-welding"]
    )
    competition_level: Literal["district", "city", "region", "national", "other"] = Field(
        description="竞赛级别：区级 / 市级 / 自治区级 / 国家级 / 其他", examples=["city"]
    )
    rank: Literal[1, 2, 3] = Field(
        description="获奖等次：1 一等奖，2 二等奖，3 三等奖", examples=[1]
    )
    awarded_on: IsoDate | None = Field(default=None, description="获奖日期")


class HeadcountRecord(BaseModel):
    """The number of people a business employs on a date (带动就业人数)."""

    model_config = _CONFIG

    as_of: IsoDate = Field(examples=["2022-03-01"])
    headcount: Integer = Field(ge=0, examples=[5])


class StartupFacts(BaseModel):
    """The business the person founded (clauses 22 and 23)."""

    model_config = _CONFIG

    first_time_founder: StrictBool | None = Field(
        default=None, description="是否首次创业", examples=[True]
    )
    business_type: Literal["small_micro_enterprise", "individual_business", "other"] | None = Field(
        default=None,
        description="创办主体类型：小微企业 / 个体工商户 / 其他",
        examples=["small_micro_enterprise"],
    )
    founded_on: IsoDate | None = Field(
        default=None, description="登记注册日期", examples=["2024-09-01"]
    )
    operating_normally: StrictBool | None = Field(
        default=None, description="是否正常经营", examples=[True]
    )
    employees_insured_12_months: Integer | None = Field(
        default=None, ge=0, description="为其缴纳社会保险满 1 年的带动就业人数", examples=[3]
    )
    headcount_history: list[HeadcountRecord] | None = Field(
        default=None, description="带动就业人数记录（至少创办初期与当前两条）"
    )
    grant_grade: Literal[1, 2, 3, 4] | None = Field(
        default=None,
        description="创业项目资助档次（经评审确定）：1 档 5 万、2 档 10 万、3 档 15 万、4 档 20 万",
    )
    growth_recognised: StrictBool | None = Field(
        default=None, description="经评审认定成长性好、业绩突出（申请滚动支持时填写）"
    )


class PersonFacts(BaseModel):
    """What is known about a person."""

    model_config = _CONFIG

    key: str | None = Field(
        default=None, description="人员标识（身份证号的密钥哈希），用于比对历史发放记录"
    )
    birth_date: IsoDate | None = Field(
        default=None, description="出生日期", examples=["2002-05-10"]
    )
    age: Integer | None = Field(
        default=None,
        ge=0,
        le=120,
        description="评估日的年龄（未提供出生日期时使用）",
        examples=[22],
    )
    is_college_graduate: StrictBool | None = Field(
        default=None, description="是否为高校毕业生", examples=[True]
    )
    left_school_on: IsoDate | None = Field(
        default=None, description="毕业（离校）日期", examples=["2024-07-01"]
    )
    unemployed_since_leaving_school: StrictBool | None = Field(
        default=None, description="离校后至本次就业（或创业）前是否一直未就业", examples=[True]
    )
    registered_unemployed: StrictBool | None = Field(default=None, description="是否登记失业")
    long_term_unemployed: StrictBool | None = Field(default=None, description="是否长期失业人员")
    hard_to_employ: StrictBool | None = Field(default=None, description="是否经认定的就业困难人员")
    veteran: StrictBool | None = Field(default=None, description="是否退役军人")
    disabled: StrictBool | None = Field(default=None, description="是否残疾人")
    woman: StrictBool | None = Field(default=None, description="是否女性")
    migrant_worker_returning: StrictBool | None = Field(
        default=None, description="是否返乡入乡农牧民工"
    )
    employments: list[EmploymentSpell] | None = Field(
        default=None, description="就业经历；不填表示未告知，空列表表示没有"
    )
    talent_reserve: TalentReserve | None = None
    holds_public_welfare_post: StrictBool | None = Field(
        default=None, description="是否在公益性岗位"
    )
    public_welfare_post_months: Integer = Field(
        default=1, ge=1, le=120, description="公益性岗位待遇核算月数（默认 1，即每月增加额）"
    )
    ordos_craftsman: StrictBool | None = Field(default=None, description="是否获评“鄂尔多斯工匠”")
    competition_prizes: list[CompetitionPrize] | None = Field(
        default=None, description="职业技能竞赛获奖情况；空列表表示没有"
    )
    startup: StartupFacts | None = Field(default=None, description="创业情况")
    employment_assistance: StrictBool | None = Field(
        default=None,
        description="是否已纳入就业援助的援助对象（大龄、残疾、较长时间失业等困难群体，第13条）",
    )
    flexible_employment: StrictBool | None = Field(
        default=None, description="是否灵活就业（已办理灵活就业登记）"
    )
    flexible_insurance_paid: StrictBool | None = Field(
        default=None, description="是否以灵活就业人员身份缴纳社会保险"
    )
    vocational_training_certified: StrictBool | None = Field(
        default=None, description="是否参加补贴性职业培训并取得培训合格证书或证明"
    )
    skills_level_certified: StrictBool | None = Field(
        default=None, description="是否参加职业技能等级评价并取得职业技能等级证书"
    )

"""Facts about an organisation (enterprise, HR agency, training provider, incubator, ...).

Per-person rows (referred workers, interns, trainees) carry a ``person_key`` — the keyed hash of
the ID number — so nobody is counted or paid twice.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from app.core.schemas import Integer, IsoDate

# Outputs (the full evaluation echoes the facts) always carry every field.
_CONFIG = ConfigDict(frozen=True, extra="forbid", json_schema_serialization_defaults_required=True)

OrganisationKind = Literal[
    "enterprise",
    "hr_agency",
    "public_institution",
    "training_provider",
    "incubator",
    "social_organisation",
    "other",
]
ORG_KIND_NAMES: dict[str, str] = {
    "enterprise": "企业",
    "hr_agency": "人力资源服务机构",
    "public_institution": "事业单位",
    "training_provider": "培训机构",
    "incubator": "创业园（孵化基地）",
    "social_organisation": "社会组织",
    "other": "其他单位",
}
RecognitionLevel = Literal["city", "region"]
KeyGroup = Literal["graduate", "long_term_unemployed", "hard_to_employ"]


class Referral(BaseModel):
    """A worker an HR agency recommended to a district enterprise (clause 5)."""

    model_config = _CONFIG

    person_key: str = Field(description="被推荐人员标识（身份证号哈希）", examples=["p-0001"])
    employer_in_district: StrictBool | None = Field(
        default=None, description="用工单位是否为我区企业"
    )
    industrial_worker: StrictBool | None = Field(default=None, description="是否为产业工人")
    first_labour_contract: StrictBool | None = Field(
        default=None, description="是否与我区企业首次签订劳动合同"
    )
    contract_signed_on: IsoDate | None = Field(default=None, description="劳动合同签订日期")
    contract_months: Integer | None = Field(default=None, ge=0, description="劳动合同期限（月）")
    insured_months: Integer | None = Field(default=None, ge=0, description="已缴纳社会保险月数")
    insured_months_continuous: Integer | None = Field(
        default=None, ge=0, description="连续缴纳社会保险月数"
    )
    key_group: KeyGroup | None = Field(
        default=None,
        description="重点群体类别：离校 2 年内未就业高校毕业生 / 长期失业人员 / 就业困难人员；"
        "不属于则不填",
    )
    left_school_on: IsoDate | None = Field(default=None, description="高校毕业生的离校日期")
    unemployed_before_referral: StrictBool | None = Field(
        default=None, description="高校毕业生离校后至本次就业前是否未就业"
    )

    @model_validator(mode="after")
    def _continuous_within_total(self) -> Referral:
        total, continuous = self.insured_months, self.insured_months_continuous
        if total is not None and continuous is not None and continuous > total:
            raise ValueError("连续缴纳社会保险月数不能大于累计缴纳月数")
        return self


class Intern(BaseModel):
    """A person doing an internship (就业见习) at the unit (clause 11)."""

    model_config = _CONFIG

    person_key: str = Field(description="见习人员标识（身份证号哈希）", examples=["i-0001"])
    start_date: IsoDate = Field(description="见习开始日期", examples=["2024-10-01"])
    agreed_months: Integer = Field(ge=1, le=24, description="见习协议约定月数", examples=[6])
    contract_signed_on: IsoDate | None = Field(
        default=None, description="见习期未满即与本单位签订劳动合同的日期"
    )
    left_on: IsoDate | None = Field(
        default=None, description="未签订劳动合同而提前离开见习的日期（最后一天）"
    )
    retained: StrictBool | None = Field(
        default=None, description="见习期满后是否被本单位留用（签订劳动合同）"
    )

    @model_validator(mode="after")
    def _one_way_out(self) -> Intern:
        if self.contract_signed_on is not None and self.left_on is not None:
            raise ValueError("提前签订劳动合同与提前离开不能同时填写")
        return self


AssistedGroup = Literal[
    "employment_assistance", "hard_to_employ", "disabled", "long_term_unemployed", "other"
]


class AssistedHire(BaseModel):
    """A person receiving employment assistance whom the unit took on (clause 13)."""

    model_config = _CONFIG

    person_key: str = Field(description="人员标识（身份证号哈希）", examples=["a-0001"])
    group: AssistedGroup | None = Field(
        default=None,
        description="人员类别：就业援助对象 / 就业困难人员 / 残疾人 / 长期失业人员 / 其他",
    )
    hired_on: IsoDate | None = Field(default=None, description="入职日期")
    insured: StrictBool | None = Field(default=None, description="单位是否为其依法缴纳社会保险")


class Trainee(BaseModel):
    """A trainee of a course and what happened after it (clause 17)."""

    model_config = _CONFIG

    person_key: str = Field(examples=["t-0001"])
    contract_signed_on: IsoDate | None = Field(default=None, description="培训后签订劳动合同的日期")
    contract_months: Integer | None = Field(default=None, ge=0, description="劳动合同期限（月）")
    insured: StrictBool | None = Field(default=None, description="是否已缴纳社会保险")


class TrainingCourse(BaseModel):
    """A subsidised vocational training course the provider ran."""

    model_config = _CONFIG

    course_key: str = Field(examples=["2025-welding-01"])
    hours: Integer = Field(ge=1, description="课时数", examples=[80])
    ended_on: IsoDate = Field(description="培训结束日期", examples=["2025-03-31"])
    trainees: list[Trainee] = Field(default_factory=list)


class OrganisationFacts(BaseModel):
    """What is known about an organisation."""

    model_config = _CONFIG

    key: str | None = Field(
        default=None, description="单位标识（如统一社会信用代码），用于比对历史发放记录"
    )
    name: str | None = Field(default=None, examples=["东胜区某人力资源服务有限公司"])
    kind: OrganisationKind = Field(
        description="单位类型：企业 / 人力资源服务机构 / 事业单位 / 培训机构 / 创业园（孵化基地）"
        " / 社会组织 / 其他",
        examples=["hr_agency"],
    )
    is_sme: StrictBool | None = Field(default=None, description="是否为中小企业")
    referral_year: Integer | None = Field(
        default=None, description="推荐补贴申报年度（默认评估日所在年度）", examples=[2025]
    )
    referrals: list[Referral] | None = Field(default=None, description="成功推荐人员名单")
    interns: list[Intern] | None = Field(default=None, description="见习人员名单")
    intern_insurance_premium_fen: Integer | None = Field(
        default=None, ge=0, description="为见习人员统一办理的综合商业保险每人保费（分）"
    )
    internship_demo_unit_levels: list[RecognitionLevel] | None = Field(
        default=None, description="获认定的见习示范单位级别：市级 / 自治区级及以上"
    )
    labour_brand_levels: list[RecognitionLevel] | None = Field(
        default=None, description="获评劳务品牌级别：市级 / 自治区级"
    )
    training_brand_levels: list[RecognitionLevel] | None = Field(
        default=None, description="获评就业技能培训品牌级别：市级 / 自治区级"
    )
    incubator_grade: Literal[1, 2, 3] | None = Field(
        default=None, description="创业园（孵化基地）等级认定评价结果：1、2、3 等"
    )
    assisted_hires: list[AssistedHire] | None = Field(
        default=None, description="吸纳就业的就业援助对象名单"
    )
    training_courses: list[TrainingCourse] | None = Field(
        default=None, description="已结束的补贴性职业培训班次"
    )

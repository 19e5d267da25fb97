"""The bootstrap document: every vocabulary with Chinese names, code labels, limits, contact."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CodeName(BaseModel):
    code: str
    name: str = Field(description="中文名称")


class OccupationItem(CodeName):
    category: str = Field(description="职业大类代码（见 occupation_categories）")


class IndustryItem(CodeName):
    group: str = Field(description="产业分组代码（见 industry_groups）")


class AreaItem(CodeName):
    short_name: str = Field(description="简称，如 交通")
    kind: str = Field(description="street 街道 · town 镇")


class SkillItem(CodeName):
    group: str = Field(description="技能分组代码（见 skill_groups）")
    licensed: bool = Field(description="从事该工作依法须持证")


class RankedItem(CodeName):
    rank: int = Field(description="由低到高的序号；比较高低请用 rank")


class UploadLimits(BaseModel):
    max_bytes: int = Field(description="单个文件的最大字节数")
    accepted_content_types: list[str] = Field(description="按文件内容识别的可接受类型")
    purposes: list[str] = Field(description="上传时 `purpose` 的取值")


class Contact(BaseModel):
    hotline: str = Field(description="服务热线")
    office_hours: str = Field(description="办公时间（北京时间）")


class NotificationKindItem(BaseModel):
    kind: str
    label: str = Field(description="中文名称")
    time_critical: bool = Field(description="夜间（22:00-08:00）也会发送")


class MetaRead(BaseModel):
    """Load once at start; send `If-None-Match` with the last `ETag` to get 304 when unchanged."""

    version: str = Field(description="内容的哈希；内容变化时才变化（与 ETag 相同）")
    occupation_categories: list[CodeName]
    occupations: list[OccupationItem]
    industry_groups: list[CodeName]
    industries: list[IndustryItem]
    areas: list[AreaItem] = Field(description="东胜区的街道和镇")
    benefits: list[CodeName]
    skill_groups: list[CodeName]
    skill_levels: list[RankedItem]
    skills: list[SkillItem]
    certificates: list[CodeName]
    education_levels: list[RankedItem]
    labels: dict[str, dict[str, str]] = Field(
        description="每个枚举的中文标签：`labels[枚举名][代码]`，如 "
        "`labels.application_status.hired` = 已入职"
    )
    uploads: UploadLimits
    subscribe_templates: dict[str, str] = Field(
        description="订阅消息模板 ID（按通知类型）：在用户操作时（投递、预约后）以 "
        "`wx.requestSubscribeMessage` 请求相关类型的模板（每次最多 3 个），结果提交到 "
        "`POST /api/v1/me/subscriptions`；未配置模板的类型不在其中"
    )
    notification_kinds: list[NotificationKindItem] = Field(
        description="全部通知类型及中文名称；time_critical 为夜间也会发送的紧急提醒"
    )
    contact: Contact

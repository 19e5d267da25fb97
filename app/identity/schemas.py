"""Request and response bodies of login, tokens, the user's own profile and staff accounts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictBool, computed_field, model_validator

from app.core.file_links import file_url
from app.core.schemas import ReadSchema, Schema

Gender = Literal["unknown", "male", "female"]
StaffRole = Literal["admin", "reviewer", "station", "liaison"]


class WeChatLoginRequest(Schema):
    code: str = Field(
        min_length=1,
        max_length=128,
        description="小程序 `wx.login()` 返回的 code（一次性，5 分钟有效）",
    )


class RefreshRequest(Schema):
    refresh_token: str = Field(min_length=16, max_length=200)


class PhoneBindRequest(Schema):
    """Either the new `code` from `getPhoneNumber`, or the legacy `encrypted_data` + `iv` pair."""

    code: str | None = Field(default=None, min_length=1, max_length=128)
    encrypted_data: str | None = Field(default=None, min_length=1, max_length=4096)
    iv: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def _one_form(self) -> PhoneBindRequest:
        legacy = self.encrypted_data is not None and self.iv is not None
        if (self.code is None) == (not legacy) or (
            (self.encrypted_data is None) != (self.iv is None)
        ):
            raise ValueError("provide either code, or encrypted_data with iv")
        return self


class ContactPreferences(Schema):
    allow_phone_calls: StrictBool = Field(default=True, description="允许招聘方在我投递后电话联系")
    allow_subscribe_messages: StrictBool = Field(default=True, description="接收订阅消息提醒")


class MeUpdate(Schema):
    """The whole editable profile (PUT replaces it): a field left out takes its default.

    Send back what `GET /me` answered with your changes applied. Any other field is refused
    (no mass assignment).
    """

    nickname: str | None = Field(default=None, min_length=1, max_length=40)
    avatar_file_id: uuid.UUID | None = Field(
        default=None,
        description="头像：`chooseAvatar` 得到的图片以 purpose=avatar 上传（POST /api/v1/files）"
        "后返回的 id；null 或不填清除头像",
    )
    avatar_url: str | None = Field(
        default=None,
        max_length=500,
        pattern=r"^https://",
        description="旧方式：外部 https 头像地址（建议改用 avatar_file_id）",
    )
    gender: Gender = "unknown"
    contact_preferences: ContactPreferences = Field(default_factory=ContactPreferences)

    @model_validator(mode="after")
    def _one_avatar(self) -> MeUpdate:
        if self.avatar_file_id is not None and self.avatar_url is not None:
            raise ValueError("avatar_file_id 与 avatar_url 只能填写一个")
        return self


class RealNameRequest(Schema):
    name: str = Field(
        min_length=2, max_length=30, pattern=r"^[\u4e00-\u9fa5·]{2,30}$", examples=["张三"]
    )
    id_number: str = Field(
        min_length=15,
        max_length=20,
        description="18 位居民身份证号码（全角数字、空格和小写 x 会被规范化）",
        examples=["11010519491231002X"],
        # Documented shape; the server normalises first, then checks it with precise messages.
        json_schema_extra={"pattern": r"^[0-9]{17}[0-9Xx]$"},
    )


class MeRead(ReadSchema):
    id: uuid.UUID
    nickname: str | None
    avatar_file_id: uuid.UUID | None = Field(description="上传的头像文件 id")
    external_avatar_url: str | None = Field(default=None, exclude=True)
    gender: Gender
    contact_preferences: dict[str, Any]
    roles: list[str] = Field(description="job_seeker / gig_worker / employer_member")
    phone_bound: bool
    phone_masked: str | None = Field(description="如 138****5678")
    real_name_verified: bool
    real_name_masked: str | None = Field(description="如 张*")
    id_number_masked: str | None = Field(description="如 1501**********123X")
    birth_date: date | None
    sex: Literal["male", "female"] | None
    created_at: datetime
    unread_notifications: int = Field(default=0, description="未读消息条数（消息中心角标）")

    @computed_field(  # type: ignore[prop-decorator]
        description="头像签名链接（约 1 小时有效，可直接用作 `<image src>`）；"
        "旧数据可能是外部 https 地址；无头像为 null"
    )
    @property
    def avatar_url(self) -> str | None:
        if self.avatar_file_id is not None:
            return file_url(self.avatar_file_id)
        return self.external_avatar_url

    @computed_field(  # type: ignore[prop-decorator]
        description="头像缩略图签名链接（长边不超过 256 像素）；无上传头像为 null"
    )
    @property
    def avatar_thumbnail_url(self) -> str | None:
        return file_url(self.avatar_file_id, "thumb")


class TokenPair(ReadSchema):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="access_token 有效秒数")


class LoginResult(TokenPair):
    user: MeRead


class StaffRead(ReadSchema):
    id: uuid.UUID
    username: str
    display_name: str
    roles: list[StaffRole]
    unit: str | None = Field(default=None, description="联络员所属单位（liaison 必填）")
    is_active: bool
    user_id: uuid.UUID | None = Field(default=None, description="linked mini-program account")
    created_at: datetime


class StaffLoginRequest(Schema):
    username: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=200)


class StaffLoginResult(TokenPair):
    staff: StaffRead


class StaffCreate(Schema):
    username: str = Field(min_length=3, max_length=40, pattern=r"^[a-z][a-z0-9_.-]{2,39}$")
    display_name: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=12, max_length=200, description="至少 12 位")
    roles: list[StaffRole] = Field(min_length=1, max_length=4)
    unit: str | None = Field(
        default=None,
        max_length=40,
        description="所属单位（方案列明的单位名称，如 区人社局）；角色含 liaison 时必填",
    )


class StaffUpdate(Schema):
    """The whole editable staff account (PUT replaces it); `user_id` left out unlinks."""

    display_name: str = Field(min_length=1, max_length=40)
    roles: list[StaffRole] = Field(min_length=1, max_length=4)
    unit: str | None = Field(
        default=None, max_length=40, description="所属单位；角色含 liaison 时必填"
    )
    is_active: StrictBool = True
    user_id: uuid.UUID | None = Field(
        default=None,
        description="本人的小程序账号（回避：不能审核本人或本单位的申请）；null 解除",
    )


class UserIdentityRead(BaseModel):
    """Unmasked personal data for staff; every read leaves an audit record."""

    user_id: uuid.UUID
    real_name: str | None
    id_number: str | None
    phone: str | None


class AuditRecordRead(ReadSchema):
    id: uuid.UUID
    actor_kind: str
    actor_id: uuid.UUID | None
    action: str
    subject_kind: str | None
    subject_id: str | None
    details: dict[str, Any]
    request_id: str | None
    created_at: datetime

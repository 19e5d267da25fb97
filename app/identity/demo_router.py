"""Demo mode only: mint the codes `wx.login()` / `getPhoneNumber` would give a mini-program.

With a real WeChat AppID configured these answer 404: codes then come only from WeChat.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field

from app.core import errors
from app.core.routing import APIRouter
from app.core.schemas import Schema

router = APIRouter(prefix="/api/v1/demo", tags=["demo"])


class DemoDisabled(errors.NotFound):
    code = "demo.disabled"
    message = "演示功能未开启"


class DemoLoginCodeRequest(Schema):
    openid: str = Field(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", examples=["demo-user-1"]
    )


class DemoPhoneCodeRequest(Schema):
    phone_number: str = Field(pattern=r"^1[3-9]\d{9}$", examples=["13800000001"])


class DemoCode(BaseModel):
    code: str


def _fake(request: Request) -> Any:
    fake = getattr(request.app.state, "fake_wechat", None)
    if fake is None:
        raise DemoDisabled()
    return fake


@router.post("/wechat-code", response_model=DemoCode, summary="演示：生成登录 code")
async def demo_login_code(body: DemoLoginCodeRequest, request: Request) -> Any:
    """Demo mode: a one-time `wx.login()` code for a made-up openid. Pass it to
    `POST /api/v1/auth/wechat/login`. 404 when a real WeChat AppID is configured."""
    return DemoCode(code=_fake(request).mint_jscode(body.openid))


@router.post("/phone-code", response_model=DemoCode, summary="演示：生成手机号 code")
async def demo_phone_code(body: DemoPhoneCodeRequest, request: Request) -> Any:
    """Demo mode: a one-time `getPhoneNumber` code for a phone number. Pass it to
    `POST /api/v1/auth/wechat/phone`. 404 when a real WeChat AppID is configured."""
    return DemoCode(code=_fake(request).mint_phonecode(body.phone_number))

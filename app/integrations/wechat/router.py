"""The message-push endpoint WeChat calls (消息推送), configured in the mini-program console."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import PlainTextResponse

from app.core.db import SessionDep
from app.core.routing import APIRouter
from app.integrations.wechat import push
from app.integrations.wechat.dependencies import PushCryptoDep

router = APIRouter(prefix="/wechat", tags=["wechat"])

_ENVELOPE = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
# Plain-text success; errors stay JSON envelopes (declared here because the route's response
# class would otherwise document them as text/plain).
_TEXT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
    "4XX": {"description": "请求错误（统一错误格式）", "content": _ENVELOPE},
    "5XX": {"description": "服务端错误（统一错误格式）", "content": _ENVELOPE},
}
_PUSH_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/xml": {"schema": {"type": "string"}},
        },
    }
}

Signature = Annotated[str, Query(max_length=128, description="URL 签名")]
Timestamp = Annotated[str, Query(max_length=32, description="时间戳")]
Nonce = Annotated[str, Query(max_length=128, description="随机数")]


@router.get(
    "/push",
    summary="微信消息推送：服务器地址校验",
    response_class=PlainTextResponse,
    responses=_TEXT,
)
async def verify_push_url(
    crypto: PushCryptoDep,
    signature: Signature,
    timestamp: Timestamp,
    nonce: Nonce,
    echostr: Annotated[str, Query(max_length=512, description="原样返回的随机字符串")],
) -> PlainTextResponse:
    """Called by WeChat, not by the mini-program: when the push URL is saved in the console.

    Answers `echostr` as plain text when `signature` matches the configured token; otherwise 401.
    """
    crypto.check_signature(signature, timestamp, nonce)
    return PlainTextResponse(echostr)


@router.post(
    "/push",
    summary="微信消息推送：接收事件",
    response_class=PlainTextResponse,
    responses=_TEXT,
    openapi_extra=_PUSH_BODY,
)
async def receive_push(
    request: Request,
    session: SessionDep,
    crypto: PushCryptoDep,
    signature: Signature,
    timestamp: Timestamp,
    nonce: Nonce,
    encrypt_type: Annotated[str | None, Query(max_length=16, description="安全模式为 aes")] = None,
    msg_signature: Annotated[
        str | None, Query(max_length=128, description="安全模式的消息签名")
    ] = None,
    openid: Annotated[str | None, Query(max_length=128, description="推送所属用户")] = None,
) -> PlainTextResponse:
    """Called by WeChat, not by the mini-program: events pushed in plaintext or secure mode (AES),
    as JSON or XML.

    Subscribe-message events (`subscribe_msg_popup_event`, `subscribe_msg_change_event`,
    `subscribe_msg_sent_event`) and media-check results (`wxa_media_check`) are stored; other
    events are acknowledged and ignored. Answers `success`; a bad signature is 401, a body that
    cannot be read 400.
    """
    query = push.PushQuery(
        signature=signature,
        timestamp=timestamp,
        nonce=nonce,
        encrypt_type=encrypt_type,
        msg_signature=msg_signature,
    )
    await push.receive_push(session, crypto, query, await request.body())
    return PlainTextResponse("success")

"""Dependencies of the job routes: the WeChat client and who is looking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.core.read_routing import ReadSession as ReadSession
from app.core.read_routing import read_session as read_session
from app.identity.dependencies import Claims
from app.identity.models import StaffAccount, User
from app.integrations.wechat.client import WeChatClient


def get_wechat(request: Request) -> WeChatClient:
    client: WeChatClient = request.app.state.wechat
    return client


WeChat = Annotated[WeChatClient, Depends(get_wechat)]


@dataclass(frozen=True, slots=True)
class Viewer:
    """Anonymous, a mini-program user, or staff (who may see unpublished jobs)."""

    user: User | None = None
    staff: bool = False


async def get_viewer(claims: Claims, session: ReadSession) -> Viewer:
    """Anonymous requests touch no table; a token costs one primary-key lookup.

    The lookup goes through the read session the route uses anyway: a second session would hold
    a second connection of the pool for the rest of the request.
    """
    if claims is None:
        return Viewer()
    if claims.kind == "staff":
        staff = await session.get(StaffAccount, claims.subject_id)
        return Viewer(staff=staff is not None and staff.is_active)
    user = await session.get(User, claims.subject_id)
    return Viewer(user=user if user is not None and user.is_active else None)


CurrentViewer = Annotated[Viewer, Depends(get_viewer)]

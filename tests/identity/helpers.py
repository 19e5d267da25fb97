"""ID numbers with correct check digits, and logging in through the fake WeChat."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id_number(region: str = "150602", birth: str = "19990315", seq: str = "123") -> str:
    """A GB 11643 number with a correct ISO 7064 MOD 11-2 check digit (150602 = 东胜区)."""
    body = region + birth + seq
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECK[total % 11]


async def wechat_login(client: httpx.AsyncClient, app: FastAPI, openid: str) -> dict:
    code = app.state.fake_wechat.mint_jscode(openid)
    response = await client.post("/api/v1/auth/wechat/login", json={"code": code})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}

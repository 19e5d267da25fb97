"""The WeChat client's transport: calls spread over small pools, each slot given back."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.integrations.wechat.transport import ShardedTransport


def _shards(count: int, gate: asyncio.Event | None = None) -> tuple[list[int], ShardedTransport]:
    served = [0] * count

    def shard(index: int) -> httpx.AsyncBaseTransport:
        async def answer(request: httpx.Request) -> httpx.Response:
            served[index] += 1
            if gate is not None:
                await gate.wait()
            if request.url.path == "/fail":
                raise httpx.ConnectError("refused", request=request)
            # A streamed body, as a real connection gives (content given up front is never closed).
            body = httpx.ByteStream(f'{{"shard": {index}}}'.encode())
            return httpx.Response(200, stream=body, headers={"content-type": "application/json"})

        return httpx.MockTransport(answer)

    return served, ShardedTransport([shard(i) for i in range(count)])


async def test_concurrent_calls_go_to_the_least_busy_pool() -> None:
    gate = asyncio.Event()
    served, transport = _shards(3, gate)
    async with httpx.AsyncClient(transport=transport, base_url="http://wechat.test") as http:
        calls = [asyncio.create_task(http.get("/ok")) for _ in range(6)]
        await asyncio.sleep(0.01)
        assert transport.in_flight == [2, 2, 2] and served == [2, 2, 2]
        gate.set()
        answers = await asyncio.gather(*calls)
    assert sorted(a.json()["shard"] for a in answers) == [0, 0, 1, 1, 2, 2]
    assert transport.in_flight == [0, 0, 0]


async def test_a_streamed_answer_holds_its_slot_until_closed_and_a_failure_frees_it() -> None:
    _served, transport = _shards(2)
    async with httpx.AsyncClient(transport=transport, base_url="http://wechat.test") as http:
        async with http.stream("GET", "/ok") as response:
            assert transport.in_flight == [1, 0]
            await response.aread()
        assert transport.in_flight == [0, 0]
        with pytest.raises(httpx.ConnectError):
            await http.get("/fail")
        assert transport.in_flight == [0, 0]

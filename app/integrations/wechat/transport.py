"""The transport of the shared WeChat HTTP client: several small connection pools, not one big one.

httpcore's pool looks at every connection it holds whenever a request arrives and whenever an
answer is closed, and for each idle connection it counts the pool again, so the CPU of one call
grows with the square of the connections kept. A storm of logins keeps about fifty calls to
``jscode2session`` in flight per worker: with one pool of fifty connections a call cost ≈ 6 ms of
CPU, with eight pools of a dozen ≈ 0.7 ms (``bench/README.md``, login storm). Each request goes
to the pool with the fewest calls in flight; the connection limit is the sum of the pools'.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx


class ShardedTransport(httpx.AsyncBaseTransport):
    """Requests spread over ``shards`` transports, each to the one with the fewest in flight."""

    def __init__(self, shards: list[httpx.AsyncBaseTransport]) -> None:
        self._shards = shards
        self._in_flight = [0] * len(shards)

    @classmethod
    def of_pools(cls, shards: int, connections: int) -> ShardedTransport:
        """``shards`` ordinary ``httpx.AsyncHTTPTransport``s, ``connections`` kept alive each."""
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        return cls([httpx.AsyncHTTPTransport(limits=limits) for _ in range(shards)])

    @property
    def in_flight(self) -> list[int]:
        """Calls in flight per shard (an answer counts until its body is closed)."""
        return list(self._in_flight)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        index = min(range(len(self._shards)), key=self._in_flight.__getitem__)
        self._in_flight[index] += 1
        try:
            response = await self._shards[index].handle_async_request(request)
        except BaseException:
            self._in_flight[index] -= 1
            raise
        # The connection stays busy until the body is read and closed.
        response.stream = _Counted(response.stream, self._in_flight, index)
        return response

    async def aclose(self) -> None:
        for shard in self._shards:
            await shard.aclose()


class _Counted(httpx.AsyncByteStream):
    """An answer's body that gives its pool's in-flight slot back when closed."""

    def __init__(
        self,
        stream: httpx.SyncByteStream | httpx.AsyncByteStream,
        in_flight: list[int],
        index: int,
    ) -> None:
        assert isinstance(stream, httpx.AsyncByteStream)
        self._stream = stream
        self._in_flight = in_flight
        self._index = index
        self._open = True

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._open:
                self._open = False
                self._in_flight[self._index] -= 1

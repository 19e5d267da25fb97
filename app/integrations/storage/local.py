"""Local-disk storage under the storage root, with random names sharded by prefix."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import anyio


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("invalid storage key")
        return self.root / key[:2] / key

    async def save(self, data: bytes) -> str:
        """Store bytes under a new random key (never a client-chosen name) and return the key."""
        key = secrets.token_hex(20)
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            tmp.replace(path)

        await anyio.to_thread.run_sync(write)
        return key

    async def read(self, key: str) -> bytes:
        return await anyio.Path(self._path(key)).read_bytes()

    async def delete(self, key: str) -> None:
        """Remove the bytes under ``key``; a key already gone is not an error."""
        await anyio.Path(self._path(key)).unlink(missing_ok=True)

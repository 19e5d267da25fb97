"""What identity needs from packages above it, as interfaces.

``app.notifications`` reads the current user (identity) and every domain tells people through
it, so identity may not import it: the unread count of ``GET /me`` goes through
:class:`UnreadNotifications` (``app.state.unread_notifications``, wired by ``app.main`` to
``app.notifications.outbox.unread_count``).

``app.files`` reads the current user (identity), so identity may not import it; the check that
an avatar is the caller's own picture goes through :class:`PictureCheck`, which ``app.main``
wires to ``app.files.pictures.usable_pictures`` (``app.state.picture_check``).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class PictureCheck(Protocol):
    """``file_ids`` once each is ``attached`` or an image ``owner_id`` uploaded for ``purpose``
    (422 ``file.picture_unusable`` otherwise)."""

    async def __call__(
        self,
        session: AsyncSession,
        file_ids: Sequence[uuid.UUID],
        *,
        owner_id: uuid.UUID,
        purpose: str,
        attached: Collection[uuid.UUID] = (),
    ) -> list[uuid.UUID]: ...


class UnreadNotifications(Protocol):
    """How many of the person's notifications are unread."""

    async def __call__(self, session: AsyncSession, user_id: uuid.UUID) -> int: ...

"""The notifications' worker tasks (namespace ``notifications``, see ``app.worker``)."""

from __future__ import annotations

import procrastinate

blueprint = procrastinate.Blueprint()

"""JSON logs on the standard logging module, each line carrying the request id."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from pydantic import ValidationError

from app.core.context import current_request_id
from app.core.db_errors import describe, is_database_error

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]

_STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            payload["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)

    def formatException(self, ei: ExcInfo) -> str:
        exc = ei[1]
        if exc is not None and _carries_values(exc):
            return safe_traceback(exc)
        return super().formatException(ei)


def _carries_values(exc: BaseException) -> bool:
    """Errors whose text may hold what a client sent or a row held (SQL parameters, DETAIL lines
    of constraint errors, pydantic's ``input_value``)."""
    return is_database_error(exc) or isinstance(exc, ValidationError)


def _summary(exc: BaseException) -> str:
    if is_database_error(exc):
        return describe(exc)
    return f"{type(exc).__module__}.{type(exc).__qualname__} (message withheld)"


_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"


def safe_traceback(exc: BaseException) -> str:
    """The traceback with every frame but each exception's message replaced by a summary."""
    chain: list[tuple[BaseException, str]] = []
    current: BaseException | None = exc
    link = ""
    while current is not None and len(chain) < 10:
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    lines: list[str] = []
    for error, link_to_next in reversed(chain):
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(error.__traceback__))
        lines.append(_summary(error) + "\n")
        if link_to_next:
            lines.append(f"\n{link_to_next}\n\n")
    return "".join(lines).rstrip("\n")


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's own access log is replaced by ours (with route template and request id).
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("jieba").setLevel(logging.WARNING)

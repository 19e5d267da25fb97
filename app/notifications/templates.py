"""Subscribe-message templates: which template each kind uses, and its keyword values.

A template is chosen per kind in settings (``NOTIFICATIONS_SUBSCRIBE_TEMPLATES``: kind → template
id) with the mapping of its keywords onto the outbox's field vocabulary
(``NOTIFICATIONS_TEMPLATE_KEYWORDS``: kind → ``{"thing1": "subject", "phrase2": "status"}``). In
demo mode, with neither set, every kind gets one of the demo templates below.

Values are cut to WeChat's rules for the keyword's type (the prefix of ``thing1``):

==================  ===============================================================
type                rule applied here
==================  ===============================================================
thing               ≤ 20 characters (longer: 19 and "…")
phrase              ≤ 5 Chinese characters (others dropped)
name                ≤ 10 characters with Chinese, ≤ 20 without
number              digits and one decimal point, ≤ 32
letter              letters, ≤ 32
symbol              ≤ 5
character_string    digits, letters and symbols, ≤ 32
phone_number        digits and + - ( ) space, ≤ 17
car_number          ≤ 8
amount              digits with an optional decimal part, ≤ 10 digits, then "元"
time / date         as given (the domains write "2026-12-05 09:30"), ≤ 30
==================  ===============================================================

Control characters (newlines) are removed everywhere; an empty value becomes a placeholder,
since WeChat refuses empty keywords.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.clock import SHANGHAI
from app.core.config import Settings
from app.notifications.kinds import NotificationKind

log = logging.getLogger(__name__)

FIELDS = ("subject", "status", "time", "place", "note", "amount", "name")
"""The outbox's keyword vocabulary (see ``app.notifications.outbox``)."""


@dataclass(frozen=True)
class Template:
    template_id: str
    keywords: Mapping[str, str]  # WeChat keyword ("thing1") → field ("subject")


def _demo(template_id: str, **keywords: str) -> Template:
    return Template(template_id, keywords)


_PROGRESS = _demo(
    "DEMO-progress-0000000000000000000000000000",
    thing1="subject",
    phrase2="status",
    time3="time",
    thing4="note",
)
_NEW_APPLICATION = _demo(
    "DEMO-new-application-000000000000000000000", thing1="subject", name2="name", time3="time"
)
_SCHEDULE = _demo(
    "DEMO-schedule-000000000000000000000000000",
    thing1="subject",
    time2="time",
    thing3="place",
    thing4="note",
)
_CANCELLED = _demo(
    "DEMO-cancelled-00000000000000000000000000", thing1="subject", time2="time", thing3="note"
)
_MONEY = _demo(
    "DEMO-money-00000000000000000000000000000000",
    thing1="subject",
    amount2="amount",
    phrase3="status",
    time4="time",
)
_DIGEST = _demo(
    "DEMO-digest-000000000000000000000000000000", thing1="subject", thing2="note", time3="time"
)

K = NotificationKind
DEMO_TEMPLATES: dict[NotificationKind, Template] = {
    K.APPLICATION_VIEWED: _PROGRESS,
    K.APPLICATION_STATUS: _PROGRESS,
    K.JOB_CLOSED: _PROGRESS,
    K.SAVED_SEARCH_DIGEST: _DIGEST,
    K.APPLICATION_RECEIVED: _NEW_APPLICATION,
    K.JOB_MODERATED: _PROGRESS,
    K.EMPLOYER_VERIFIED: _PROGRESS,
    K.BOOTH_DECIDED: _PROGRESS,
    K.GIG_APPLICATION_DECIDED: _PROGRESS,
    K.GIG_BOOKING_CANCELLED: _CANCELLED,
    K.GIG_REMINDER: _SCHEDULE,
    K.GIG_PAY: _MONEY,
    K.COMPLAINT_REPLY: _PROGRESS,
    K.APPOINTMENT_BOOKED: _SCHEDULE,
    K.APPOINTMENT_CANCELLED: _CANCELLED,
    K.APPOINTMENT_REMINDER: _SCHEDULE,
    K.EVENT_REGISTERED: _SCHEDULE,
    K.EVENT_REMINDER: _SCHEDULE,
    K.EVENT_CANCELLED: _CANCELLED,
    K.TRAINING_ENROLLED: _SCHEDULE,
    K.TRAINING_COMPLETED: _PROGRESS,
    K.SUBSIDY_STATUS: _PROGRESS,
    K.SUBSIDY_OFFER: _MONEY,
}


def templates(settings: Settings) -> Mapping[NotificationKind, Template]:
    """The template of each kind that has one (demo templates in demo mode when none is set).

    Worked out once per settings object (the worker asks for every message).
    """
    cached = _CACHE.get(id(settings))
    if cached is not None and cached[0] is settings:
        return cached[1]
    found = _templates(settings)
    _CACHE[id(settings)] = (settings, found)
    return found


_CACHE: dict[int, tuple[Settings, Mapping[NotificationKind, Template]]] = {}


def _templates(settings: Settings) -> Mapping[NotificationKind, Template]:
    config = settings.notifications
    if settings.demo_mode and not config.subscribe_templates and not config.template_keywords:
        return dict(DEMO_TEMPLATES)
    found: dict[NotificationKind, Template] = {}
    for name, template_id in config.subscribe_templates.items():
        try:
            kind = NotificationKind(name)
        except ValueError:
            log.warning("subscribe template for an unknown kind ignored", extra={"kind": name})
            continue
        keywords = config.template_keywords.get(name, {})
        bad = [field for field in keywords.values() if field not in FIELDS]
        if not template_id or not keywords or bad:
            log.warning(
                "subscribe template without a usable keyword mapping ignored",
                extra={"kind": name, "unknown_fields": bad},
            )
            continue
        found[kind] = Template(template_id, dict(keywords))
    return found


def template_ids(settings: Settings) -> set[str]:
    return {template.template_id for template in templates(settings).values()}


# --- values ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PLACEHOLDER = {"phrase": "有更新", "number": "0", "amount": "0元", "letter": "x"}


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def keyword_value(keyword: str, raw: str) -> str:
    """``raw`` made acceptable for the keyword type of ``keyword`` (``thing1`` → thing)."""
    kind = keyword.rstrip("0123456789")
    value = _CONTROL.sub("", raw).strip()
    if kind == "phrase":
        value = "".join(_HAN.findall(value))[:5]
    elif kind == "name":
        value = value[:10] if _HAN.search(value) else value[:20]
    elif kind == "number":
        value = re.sub(r"[^0-9.]", "", value)[:32]
    elif kind == "letter":
        value = re.sub(r"[^A-Za-z]", "", value)[:32]
    elif kind == "symbol":
        value = value[:5]
    elif kind == "character_string":
        value = re.sub(r"[^\x21-\x7e]", "", value)[:32]
    elif kind == "phone_number":
        value = re.sub(r"[^0-9+\-() ]", "", value)[:17]
    elif kind == "car_number":
        value = value[:8]
    elif kind == "amount":
        match = re.search(r"\d+(?:\.\d+)?", value.replace(",", "").replace("，", ""))
        value = f"{match.group(0)[:13]}元" if match else ""
    elif kind in ("time", "date"):
        value = value[:30]
    else:  # thing and any type WeChat adds later
        value = _cut(value, 20)
    return value or _PLACEHOLDER.get(kind, "-")


def _when(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def template_data(
    template: Template,
    values: Mapping[str, Any],
    *,
    title: str,
    body: str,
    created_at: datetime,
) -> dict[str, str]:
    """The ``data`` of the send call: each keyword's value from the message's fields.

    A field the message did not give falls back to the notification itself: ``subject`` to the
    title, ``note`` to the body, ``time`` to when it was written.
    """
    fallback = {"subject": title, "note": body, "time": _when(created_at)}
    data: dict[str, str] = {}
    for keyword, field in template.keywords.items():
        raw = values.get(field)
        text = str(raw) if raw not in (None, "") else fallback.get(field, "")
        data[keyword] = keyword_value(keyword, text)
    return data

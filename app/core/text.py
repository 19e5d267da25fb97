"""The one rule for text the API accepts: no NUL, no lone surrogate, no Unicode non-character.

PostgreSQL ``text`` cannot hold NUL, a lone surrogate cannot be encoded as UTF-8 (so it breaks
hashing, logging and JSON rendering), and the non-characters (U+FDD0–U+FDEF and the last two code
points of every plane) are reserved for internal use by the standard. Every request passes through
:func:`text_errors` in the route class (bodies, query, path, declared headers), so such text is
refused with a 422 naming the field before any endpoint sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

_NON_CHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_FORBIDDEN = re.compile(f"[\x00\ud800-\udfff\ufdd0-\ufdef{_NON_CHARACTERS}]")

ERROR_TYPE = "string_forbidden_character"


def forbidden_character(text: str) -> str | None:
    """The first forbidden character of ``text`` as ``U+XXXX``, or None when the text is clean."""
    found = _FORBIDDEN.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def _walk(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        char = forbidden_character(value)
        if char is not None:
            yield loc, char
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key)
            char = forbidden_character(name)
            if char is not None:
                yield (*loc, scrub(name)), char
            else:
                yield from _walk(item, (*loc, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, (*loc, index))


def text_errors(value: Any, loc: tuple[str | int, ...]) -> list[dict[str, Any]]:
    """Validation errors (pydantic's shape) for every string in ``value`` that breaks the rule."""
    return [
        {
            "type": ERROR_TYPE,
            "loc": where,
            "msg": f"Text must not contain {char} (NUL, lone surrogate or non-character)",
            "input": None,
        }
        for where, char in _walk(value, loc)
    ]


def scrub(value: Any) -> Any:
    """``value`` with every forbidden character replaced by U+FFFD (for error details and logs)."""
    if isinstance(value, str):
        return _FORBIDDEN.sub("\ufffd", value)
    if isinstance(value, Mapping):
        return {scrub(str(key)): scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value

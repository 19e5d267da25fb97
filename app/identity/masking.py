"""Masked forms of personal data, for showing people and employers only what they need.

The masks keep the length of the value, as the examples in the product design do
(``138****5678``, ``张**``, ``1501**********1234``); values too short to keep anything back are
masked completely rather than half-revealed.
"""

from __future__ import annotations


def _mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]


def mask_id_number(value: str) -> str:
    """``"150102199001011234"`` → ``"1501**********1234"``: the first and last four kept."""
    return _mask_middle(value.strip(), 4, 4)


def mask_phone(value: str) -> str:
    """``"13812345678"`` → ``"138****5678"``: the first three and last four digits kept."""
    return _mask_middle(value.strip(), 3, 4)


def mask_name(value: str) -> str:
    """``"张三丰"`` → ``"张**"``: the first character kept, every other one starred.

    A one-character value is starred completely: keeping it would reveal it all.
    """
    name = value.strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)

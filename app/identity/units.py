"""The units a liaison may belong to: named by the domain that owns the plan, registered by
``app.main`` (identity itself imports no domain)."""

from __future__ import annotations

from collections.abc import Iterable

from app.identity.errors import StaffUnitRequired, StaffUnitUnknown

_UNITS: set[str] = set()


def register_units(names: Iterable[str]) -> None:
    """Replace the known units with ``names``."""
    _UNITS.clear()
    _UNITS.update(names)


def check_unit(roles: Iterable[str], unit: str | None) -> str | None:
    """The unit to store: required for a liaison, one of the registered units when given."""
    if unit is None:
        if "liaison" in roles:
            raise StaffUnitRequired()
        return None
    if unit not in _UNITS:
        raise StaffUnitUnknown(details={"unit": unit})
    return unit

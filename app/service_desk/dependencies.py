"""Dependencies of the services domain: appointment rules (a parameter tests may override)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends


@dataclass(frozen=True)
class AppointmentRules:
    """How appointments behave; one place to change the cut-off."""

    # A person may cancel until this long before the slot starts (the place is then freed).
    cancel_cutoff: timedelta = timedelta(hours=2)


DEFAULT_RULES = AppointmentRules()


def get_appointment_rules() -> AppointmentRules:
    return DEFAULT_RULES


RulesDep = Annotated[AppointmentRules, Depends(get_appointment_rules)]

"""Errors of the policy catalogue and engine a client (or a staff member) may see."""

from __future__ import annotations

from app.core.errors import ValidationFailed
from app.policies.catalogue import UnknownPolicy

__all__ = ["InvalidEvaluationInput", "InvalidParameter", "UnknownPolicy"]


class InvalidParameter(ValidationFailed):
    """A parameter set that breaks a floor, a ceiling or its own shape (staff configuration)."""

    code = "policy.parameter_invalid"
    message = "政策参数设置不符合方案要求"


class InvalidEvaluationInput(ValidationFailed):
    """An evaluation request that cannot be decided as given (e.g. a ledger without a subject)."""

    code = "policy.evaluation_invalid"
    message = "政策测算的输入不完整或不一致"

"""Dated parameters: every figure a rule uses, with the date it takes effect and its source.

A parameter is looked up *for the date it applies to* (an internship month takes that month's
minimum wage). A value marked ``verified: false`` — or no value at all — is never used in an
amount: the rule answers "needs review" and names the parameter. Floors and ceilings set by the
plan ("不低于 70%", "不低于 1000 元", "不高于 100 元", "最高不超过 60 万元") are part of the
definition and are enforced when a parameter set is built, so a configured value outside them is
rejected with ``InvalidParameter``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.policies.engine.errors import InvalidParameter
from app.policies.engine.money import num_text

ParameterUnit = Literal["yuan", "ratio", "count", "months", "years", "bool"]
ParameterValue = Decimal | bool


class DatedValue(BaseModel):
    """One value of a parameter, in force from `effective_from` until the next value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    effective_from: date
    value: Decimal | bool | None = Field(default=None, description="None: no figure known yet")
    verified: bool
    source: str = Field(description="document (and clause) the value comes from")
    note: str | None = None


class ParameterDefinition(BaseModel):
    """A named parameter with its dated values and the limits the plan sets on it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    title: str
    unit: ParameterUnit
    floor: Decimal | None = None
    ceiling: Decimal | None = None
    reading: str | None = Field(default=None, description="the reading of the plan it encodes")
    values: tuple[DatedValue, ...]


class ParameterUse(BaseModel):
    """A parameter as a decision used it: the value found for one date, with its provenance."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    title: str
    unit: ParameterUnit
    applies_on: date
    effective_from: date | None
    value: Decimal | bool | None
    verified: bool
    source: str

    @property
    def usable(self) -> bool:
        """True when the value may enter a decision (present and verified)."""
        return self.value is not None and self.verified

    def gap(self) -> str:
        """Chinese note for a decision that cannot use this parameter."""
        if self.value is None:
            day = self.applies_on.isoformat()
            return f"参数「{self.title}」在 {day} 没有已确定的取值，需工作人员核定"
        return (
            f"参数「{self.title}」自 {_iso(self.effective_from)} 起的取值 {_text(self.value)} "
            "尚未核实，需工作人员核定"
        )


class ParameterSet:
    """An immutable, validated set of parameter definitions."""

    def __init__(self, definitions: Iterable[ParameterDefinition]) -> None:
        index: dict[str, ParameterDefinition] = {}
        for definition in definitions:
            if definition.key in index:
                raise InvalidParameter(f"参数「{definition.key}」重复定义")
            index[definition.key] = _validated(definition)
        self._index: Mapping[str, ParameterDefinition] = index

    @property
    def definitions(self) -> tuple[ParameterDefinition, ...]:
        """All definitions, in the order given."""
        return tuple(self._index.values())

    def definition(self, key: str) -> ParameterDefinition:
        """The definition of `key` (a programming error if absent)."""
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"unknown policy parameter {key!r}") from None

    def lookup(self, key: str, on: date) -> ParameterUse:
        """The value of `key` in force on `on`, with its provenance (value None if none)."""
        definition = self.definition(key)
        current: DatedValue | None = None
        for dated in definition.values:
            if dated.effective_from <= on:
                current = dated
        return ParameterUse(
            key=key,
            title=definition.title,
            unit=definition.unit,
            applies_on=on,
            effective_from=current.effective_from if current else None,
            value=current.value if current else None,
            verified=current.verified if current else False,
            source=current.source if current else "无适用取值",
        )

    def with_value(
        self,
        key: str,
        value: ParameterValue | None,
        *,
        effective_from: date,
        source: str,
        verified: bool = True,
        note: str | None = None,
    ) -> ParameterSet:
        """A new set where `key` has `value` from `effective_from` (replacing that date's value)."""
        definition = self.definition(key)
        dated = DatedValue(
            effective_from=effective_from, value=value, verified=verified, source=source, note=note
        )
        kept = [v for v in definition.values if v.effective_from != effective_from]
        changed = definition.model_copy(update={"values": (*kept, dated)})
        return ParameterSet(changed if d.key == key else d for d in self.definitions)

    @property
    def digest(self) -> str:
        """A short fingerprint of every definition (stored in decision records)."""
        dump = [d.model_dump(mode="json") for d in self.definitions]
        text = json.dumps(dump, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _validated(definition: ParameterDefinition) -> ParameterDefinition:
    """Sort the values by date and enforce shape, floor and ceiling."""
    values = tuple(sorted(definition.values, key=lambda v: v.effective_from))
    if not values:
        raise InvalidParameter(f"参数「{definition.title}」没有任何取值")
    dates = [v.effective_from for v in values]
    if len(set(dates)) != len(dates):
        raise InvalidParameter(f"参数「{definition.title}」同一生效日期有多个取值")
    for dated in values:
        _check_value(definition, dated)
    return definition.model_copy(update={"values": values})


def _check_value(definition: ParameterDefinition, dated: DatedValue) -> None:
    title, value = definition.title, dated.value
    when = dated.effective_from.isoformat()
    if value is None:
        if dated.verified:
            raise InvalidParameter(f"参数「{title}」（{when} 起）标记为已核实但没有取值")
        return
    if (definition.unit == "bool") != isinstance(value, bool):
        raise InvalidParameter(f"参数「{title}」（{when} 起）的取值类型与单位不符")
    if isinstance(value, bool):
        return
    if definition.floor is not None and value < definition.floor:
        raise InvalidParameter(
            f"参数「{title}」（{when} 起）取值 {num_text(value)} 低于方案规定的下限 "
            f"{num_text(definition.floor)}"
        )
    if definition.ceiling is not None and value > definition.ceiling:
        raise InvalidParameter(
            f"参数「{title}」（{when} 起）取值 {num_text(value)} 高于方案规定的上限 "
            f"{num_text(definition.ceiling)}"
        )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "（无）"


def _text(value: Decimal | bool) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return num_text(value)


@cache
def default_parameters() -> ParameterSet:
    """The parameter set shipped with the code (``data/parameters.json``), validated once."""
    raw = resources.files("app.policies").joinpath("data/parameters.json").read_text("utf-8")
    payload = json.loads(raw)
    return ParameterSet(ParameterDefinition.model_validate(item) for item in payload["parameters"])

"""The policy catalogue (政策清单): every policy of the district plan as typed data.

The data lives in ``app/policies/data/policies_*.json`` (read once from the installed package,
then cached); this module gives it types and simple in-memory filters. The API may also copy it
into the database; the codes are stable identifiers.

    catalogue = load_catalogue()
    catalogue.get("internship")                       # -> Policy
    catalogue.filter(audience=Audience.GRADUATE, keyword="补贴")
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.errors import NotFound

_FILES = ("policies_computable.json", "policies_informational.json")


class UnknownPolicy(NotFound):
    """A policy code that is not in the catalogue."""

    code = "policy.not_found"
    message = "未找到该政策"


class Audience(StrEnum):
    """Who a policy is for."""

    GRADUATE = "graduate"
    YOUTH = "youth"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    HARD_TO_EMPLOY = "hard_to_employ"
    VETERAN = "veteran"
    DISABLED = "disabled"
    WOMAN = "woman"
    MIGRANT_WORKER = "migrant_worker"
    FOUNDER = "founder"
    EMPLOYER = "employer"
    HR_AGENCY = "hr_agency"
    TRAINING_PROVIDER = "training_provider"


AUDIENCE_LABELS: dict[Audience, str] = {
    Audience.GRADUATE: "高校毕业生",
    Audience.YOUTH: "青年",
    Audience.LONG_TERM_UNEMPLOYED: "长期失业人员",
    Audience.HARD_TO_EMPLOY: "就业困难人员",
    Audience.VETERAN: "退役军人",
    Audience.DISABLED: "残疾人",
    Audience.WOMAN: "妇女",
    Audience.MIGRANT_WORKER: "农牧民工",
    Audience.FOUNDER: "创业者",
    Audience.EMPLOYER: "用人单位",
    Audience.HR_AGENCY: "人力资源服务机构",
    Audience.TRAINING_PROVIDER: "培训机构",
}


class SourceRef(BaseModel):
    """Where a policy comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: str
    clause: int = Field(description="the plan's clause number (1–23)")
    excerpt: str = Field(description="the clause's own words for this policy")


class Policy(BaseModel):
    """One policy of the plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(examples=["internship"])
    title: str
    clause: int
    audiences: tuple[Audience, ...]
    applicant: Literal["person", "organisation"]
    summary: str = Field(description="plain-Chinese summary")
    conditions: tuple[str, ...]
    amount_text: str
    materials: tuple[str, ...]
    how_to_apply: str
    valid_from: date | None = Field(description="None: the plan states no start date")
    valid_to: date
    source: SourceRef
    computable: bool = Field(description="True when the engine computes an outcome")
    exclusion_group: str | None = Field(default=None, description="就高不重复 group code")
    once_per_beneficiary: bool = Field(
        default=False, description="paid once per person (or organisation, or item)"
    )

    def matches(self, keyword: str) -> bool:
        """Case-insensitive substring search over the texts a person reads."""
        needle = keyword.strip().casefold()
        texts = (
            self.code,
            self.title,
            self.summary,
            self.amount_text,
            self.how_to_apply,
            self.source.excerpt,
            *self.conditions,
        )
        return any(needle in text.casefold() for text in texts)


class ExclusionGroup(BaseModel):
    """Policies of which only the highest is granted for one subject and purpose (就高不重复)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    title: str
    policy_codes: tuple[str, ...]


class Catalogue(BaseModel):
    """The whole catalogue, in display order (computable policies first)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    policies: tuple[Policy, ...]
    exclusion_groups: tuple[ExclusionGroup, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        codes = [p.code for p in self.policies]
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate policy code in the catalogue")
        for group in self.exclusion_groups:
            members = [p.code for p in self.policies if p.exclusion_group == group.code]
            if tuple(members) != group.policy_codes or len(members) < 2:
                raise ValueError(f"exclusion group {group.code} does not match its policies")
        return self

    def get(self, code: str) -> Policy:
        """The policy with `code`, or ``UnknownPolicy``."""
        for policy in self.policies:
            if policy.code == code:
                return policy
        raise UnknownPolicy(details={"code": code})

    def group(self, code: str | None) -> ExclusionGroup | None:
        """The exclusion group with `code` (None for None)."""
        return next((g for g in self.exclusion_groups if g.code == code), None)

    def filter(
        self,
        *,
        audience: Audience | None = None,
        keyword: str | None = None,
        computable: bool | None = None,
        include_general: bool = True,
    ) -> list[Policy]:
        """Policies for `audience` whose texts contain `keyword` (all when filters are None).

        Policies without audience tags are open to everyone ("general"); an audience filter
        keeps them unless `include_general` is False.
        """
        return [
            p
            for p in self.policies
            if (
                audience is None or audience in p.audiences or (include_general and not p.audiences)
            )
            and (not keyword or not keyword.strip() or p.matches(keyword))
            and (computable is None or p.computable == computable)
        ]


def _read(name: str) -> dict[str, Any]:
    text = resources.files("app.policies").joinpath("data", name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _policies(data: dict[str, Any]) -> list[Policy]:
    defaults = data["defaults"]
    policies = []
    for item in data["policies"]:
        fields = {k: v for k, v in item.items() if k != "excerpt"}
        fields.setdefault("valid_from", defaults["valid_from"])
        fields.setdefault("valid_to", defaults["valid_to"])
        fields["source"] = {
            "document": defaults["document"],
            "clause": item["clause"],
            "excerpt": item["excerpt"],
        }
        fields["computable"] = defaults["computable"]
        policies.append(Policy.model_validate(fields))
    return policies


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped with the code, validated once and cached."""
    files = [_read(name) for name in _FILES]
    policies = [p for data in files for p in _policies(data)]
    groups = [
        ExclusionGroup(
            code=code,
            title=title,
            policy_codes=tuple(p.code for p in policies if p.exclusion_group == code),
        )
        for data in files
        for code, title in data.get("exclusion_groups", {}).items()
    ]
    return Catalogue(policies=tuple(policies), exclusion_groups=tuple(groups))

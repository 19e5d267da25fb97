"""The facts an evaluation starts from: a person, an organisation, or both.

``Facts`` is a pydantic model so the API can accept it as the body of
``POST /api/v1/policies/evaluate``; ``FACTS_EXAMPLES`` are ready-made bodies for ``/docs``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.policies.catalogue import Audience
from app.policies.engine.facts_org import (
    AssistedHire,
    Intern,
    OrganisationFacts,
    Referral,
    Trainee,
    TrainingCourse,
)
from app.policies.engine.facts_person import (
    CompetitionPrize,
    EmploymentSpell,
    HeadcountRecord,
    PersonFacts,
    StartupFacts,
    TalentReserve,
)

__all__ = [
    "FACTS_EXAMPLES",
    "AssistedHire",
    "CompetitionPrize",
    "EmploymentSpell",
    "Facts",
    "HeadcountRecord",
    "Intern",
    "OrganisationFacts",
    "PersonFacts",
    "Referral",
    "StartupFacts",
    "TalentReserve",
    "Trainee",
    "TrainingCourse",
    "audiences_of",
]


class Facts(BaseModel):
    """Facts about the subject of an evaluation."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    person: PersonFacts | None = Field(default=None, description="个人申请时填写")
    organisation: OrganisationFacts | None = Field(default=None, description="单位申请时填写")

    @model_validator(mode="after")
    def _has_a_subject(self) -> Facts:
        if self.person is None and self.organisation is None:
            raise ValueError("请至少提供个人信息或单位信息")
        return self


_PERSON_FLAGS: tuple[tuple[str, Audience], ...] = (
    ("is_college_graduate", Audience.GRADUATE),
    ("long_term_unemployed", Audience.LONG_TERM_UNEMPLOYED),
    ("hard_to_employ", Audience.HARD_TO_EMPLOY),
    ("veteran", Audience.VETERAN),
    ("disabled", Audience.DISABLED),
    ("woman", Audience.WOMAN),
    ("migrant_worker_returning", Audience.MIGRANT_WORKER),
)
_ORG_KINDS: dict[str, Audience] = {
    "hr_agency": Audience.HR_AGENCY,
    "training_provider": Audience.TRAINING_PROVIDER,
}


def audiences_of(facts: Facts) -> set[Audience]:
    """Audience tags the facts plainly show (for filtering the catalogue)."""
    tags: set[Audience] = set()
    person = facts.person
    if person is not None:
        tags.update(tag for name, tag in _PERSON_FLAGS if getattr(person, name) is True)
        if person.age is not None and 16 <= person.age <= 24:
            tags.add(Audience.YOUTH)
        if person.startup is not None:
            tags.add(Audience.FOUNDER)
    if facts.organisation is not None:
        tags.add(_ORG_KINDS.get(facts.organisation.kind, Audience.EMPLOYER))
    return tags


FACTS_EXAMPLES: dict[str, dict[str, Any]] = {
    "graduate": {
        "summary": "离校 1 年的高校毕业生，在我区中小企业就业 7 个月",
        "value": {
            "person": {
                "birth_date": "2002-05-10",
                "is_college_graduate": True,
                "left_school_on": "2024-07-01",
                "unemployed_since_leaving_school": True,
                "employments": [
                    {
                        "employer_in_district": True,
                        "employer_is_sme": True,
                        "start_date": "2025-01-15",
                        "contract_months": 36,
                        "insured_months": 7,
                    }
                ],
            }
        },
    },
    "hr_agency": {
        "summary": "人力资源服务机构申报推荐补贴（示例仅列 1 人）",
        "value": {
            "organisation": {
                "kind": "hr_agency",
                "referral_year": 2025,
                "referrals": [
                    {
                        "person_key": "p-0001",
                        "employer_in_district": True,
                        "industrial_worker": True,
                        "first_labour_contract": True,
                        "contract_signed_on": "2025-03-01",
                        "contract_months": 12,
                        "insured_months": 4,
                        "insured_months_continuous": 4,
                    }
                ],
            }
        },
    },
}

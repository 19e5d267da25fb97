"""The rules engine of the policy calculator: pure code, no database, no HTTP.

Public API
----------
::

    from app.policies.engine import Facts, Ledger, evaluate, default_parameters, RULESET_VERSION

    evaluation = evaluate(
        facts,                      # Facts: person and/or organisation (pydantic, a request body)
        on=date(2025, 7, 1),        # the decision date (validity, plan parameters, caps' year)
        ledger=Ledger(entries=...), # earlier approved awards (default: empty)
        params=default_parameters(),# ParameterSet (default: data/parameters.json)
        policy_codes={"internship"},# None: every computable policy
    )
    evaluation.outcomes             # eligible (highest first), needs_review, ineligible
    evaluation.exclusions           # how each 就高不重复 group was decided
    evaluation.model_dump(mode="json")  # JSON for a JSONB column

``evaluate(facts, *, on, ledger=EMPTY_LEDGER, params=None, policy_codes=None, catalogue=None)
-> Evaluation``

- Each ``Outcome`` has ``status`` (``eligible`` with ``amount_fen`` / ``needs_review`` with
  ``missing`` / ``ineligible`` with ``reasons``), ``superseded_by`` and a ``DecisionRecord``:
  ruleset version, parameter-set fingerprint, evaluation date, every parameter used (value,
  effective date, source, verified), every check, every line with its arithmetic steps, caps and
  exclusions applied.
- ``ParameterSet.with_value(key, value, effective_from=..., source=..., verified=True)`` returns
  a new set (staff entering a figure the plan leaves to higher-level policy); values outside a
  floor or ceiling raise ``InvalidParameter``.
- Errors: ``UnknownPolicy`` (404), ``InvalidEvaluationInput`` and ``InvalidParameter`` (422),
  all ``app.core.errors.AppError``; malformed facts fail pydantic validation.
- ``RULESET_VERSION`` identifies the encoded rules; ``FACTS_EXAMPLES`` are request examples.

Money is integer fen; each arithmetic line is rounded once to the fen with ROUND_HALF_UP. The
rules and every reading of the plan are documented in ``docs/policies.md``.
"""

from __future__ import annotations

from app.policies.engine.checks import CheckResult
from app.policies.engine.errors import InvalidEvaluationInput, InvalidParameter, UnknownPolicy
from app.policies.engine.evaluate import RULESET_VERSION, evaluate
from app.policies.engine.facts import FACTS_EXAMPLES, Facts, audiences_of
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
from app.policies.engine.ledger import EMPTY_LEDGER, Ledger, LedgerEntry
from app.policies.engine.params import (
    DatedValue,
    ParameterDefinition,
    ParameterSet,
    ParameterUse,
    default_parameters,
)
from app.policies.engine.record import (
    AwardLine,
    CapApplication,
    DecisionRecord,
    Evaluation,
    ExclusionResolution,
    Outcome,
    OutcomeStatus,
)

__all__ = [
    "EMPTY_LEDGER",
    "FACTS_EXAMPLES",
    "RULESET_VERSION",
    "AssistedHire",
    "AwardLine",
    "CapApplication",
    "CheckResult",
    "CompetitionPrize",
    "DatedValue",
    "DecisionRecord",
    "EmploymentSpell",
    "Evaluation",
    "ExclusionResolution",
    "Facts",
    "HeadcountRecord",
    "Intern",
    "InvalidEvaluationInput",
    "InvalidParameter",
    "Ledger",
    "LedgerEntry",
    "OrganisationFacts",
    "Outcome",
    "OutcomeStatus",
    "ParameterDefinition",
    "ParameterSet",
    "ParameterUse",
    "PersonFacts",
    "Referral",
    "StartupFacts",
    "TalentReserve",
    "Trainee",
    "TrainingCourse",
    "UnknownPolicy",
    "audiences_of",
    "default_parameters",
    "evaluate",
]

"""The engine as a whole: ordering, validity, records, JSON, inputs."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from app.core.errors import AppError
from app.policies.catalogue import Audience, load_catalogue
from app.policies.engine import (
    FACTS_EXAMPLES,
    RULESET_VERSION,
    CompetitionPrize,
    EmploymentSpell,
    Evaluation,
    Facts,
    InvalidEvaluationInput,
    UnknownPolicy,
    audiences_of,
    default_parameters,
    evaluate,
)
from tests.policies.factories import ledger, org, person, run


def rich_person(**fields: object) -> Facts:
    return person(
        key="p-1",
        ordos_craftsman=True,
        holds_public_welfare_post=True,
        competition_prizes=[
            CompetitionPrize(competition_key="c", competition_level="city", rank=2)
        ],
        **fields,
    )


def test_outcomes_are_ordered_eligible_by_amount_then_review_then_ineligible() -> None:
    evaluation = run(rich_person())
    statuses = [o.status for o in evaluation.outcomes]
    assert statuses == sorted(statuses, key=["eligible", "needs_review", "ineligible"].index)
    eligible = [o for o in evaluation.outcomes if o.status == "eligible"]
    assert [o.policy_code for o in eligible] == [
        "craftsman-award",
        "skills-competition",
        "public-welfare-post-raise",
    ]
    assert evaluation.total_eligible_fen == 50_000_00 + 30_000_00 + 300_00


def test_every_computable_policy_is_evaluated_by_default() -> None:
    computable = {p.code for p in load_catalogue().policies if p.computable}
    assert {o.policy_code for o in run(rich_person()).outcomes} == computable


def test_the_day_after_2027_12_31_every_policy_has_expired() -> None:
    last_day = run(rich_person(), on=date(2027, 12, 31))
    assert last_day.outcome("craftsman-award").status == "eligible"
    expired = run(rich_person(), on=date(2028, 1, 1))
    reason = "政策有效期至 2027-12-31，评估日期 2028-01-01 已超过有效期"
    for result in expired.outcomes:
        assert result.status == "ineligible"
        assert reason in result.reasons
    # every other check is still evaluated and shown
    craftsman = expired.outcome("craftsman-award")
    assert [c.status for c in craftsman.record.checks] == ["pass", "fail", "pass"]


def test_before_the_plan_starts_nothing_applies() -> None:
    early = run(rich_person(), on=date(2024, 12, 31))
    assert all(o.status == "ineligible" for o in early.outcomes)
    assert "政策自 2025-01-01 起施行，2024-12-31 尚未施行" in early.outcomes[0].reasons


def test_applicant_type_is_checked() -> None:
    evaluation = run(rich_person())
    assert evaluation.outcome("internship").reasons == ("本政策由单位申请，未提供单位信息",)
    assert run(org("enterprise")).outcome("craftsman-award").reasons == (
        "本政策由个人申请，未提供个人信息",
    )


def test_decision_record_has_version_parameters_checks_and_steps() -> None:
    evaluation = run(rich_person(), ["craftsman-award"])
    record = evaluation.outcome("craftsman-award").record
    assert record.ruleset_version == RULESET_VERSION == evaluation.ruleset_version
    assert record.parameter_set == default_parameters().digest
    assert record.evaluated_on == date(2025, 9, 1)
    (used,) = record.parameters
    assert (used.key, str(used.value), used.effective_from, used.verified) == (
        "craftsman.award",
        "50000",
        date(2025, 1, 1),
        True,
    )
    assert used.source == "东胜区就业促进行动方案（征求意见稿）第18条"
    assert [c.code for c in record.checks] == ["applicant", "valid_period", "ordos_craftsman"]
    assert record.lines[0].steps == ("“鄂尔多斯工匠”一次性奖励 50000 元 = 50000.00",)
    assert record.steps == ("合计 50000.00",)


def test_evaluation_round_trips_through_json() -> None:
    facts = Facts.model_validate(FACTS_EXAMPLES["graduate"]["value"])
    evaluation = evaluate(facts, on=date(2025, 9, 1))
    text = json.dumps(evaluation.model_dump(mode="json"), ensure_ascii=False)
    assert Evaluation.model_validate(json.loads(text)) == evaluation
    assert evaluation.outcome("graduate-sme-living").amount_fen == 3000_00


def test_examples_validate() -> None:
    agency = Facts.model_validate(FACTS_EXAMPLES["hr_agency"]["value"])
    result = evaluate(agency, on=date(2025, 9, 1)).outcome("hr-agency-referral")
    assert result.reasons == ("2025 年度成功推荐符合条件的人员 1 人，不足 30 人",)


def test_policy_code_filter_and_its_errors() -> None:
    evaluation = run(rich_person(), ["craftsman-award"])
    assert [o.policy_code for o in evaluation.outcomes] == ["craftsman-award"]
    with pytest.raises(UnknownPolicy) as unknown:
        run(rich_person(), ["no-such-policy"])
    assert (unknown.value.status_code, unknown.value.code) == (404, "policy.not_found")
    with pytest.raises(InvalidEvaluationInput, match="信息类政策"):
        run(rich_person(), ["tax-reduction"])


def test_ledger_needs_subject_keys_and_known_codes() -> None:
    entry = {
        "policy_code": "craftsman-award",
        "recipient_key": "x",
        "amount_fen": 1,
        "year": 2025,
        "awarded_on": date(2025, 1, 2),
    }
    with pytest.raises(InvalidEvaluationInput) as error:
        run(person(ordos_craftsman=True), ledger=ledger(entry))
    assert isinstance(error.value, AppError) and error.value.status_code == 422
    with pytest.raises(UnknownPolicy):
        run(rich_person(), ledger=ledger({**entry, "policy_code": "nope"}))


def test_facts_are_validated() -> None:
    with pytest.raises(ValidationError, match="请至少提供个人信息或单位信息"):
        Facts()
    with pytest.raises(ValidationError, match="离职日期不能早于入职日期"):
        EmploymentSpell(start_date=date(2025, 3, 1), end_date=date(2025, 2, 1))
    with pytest.raises(ValidationError):
        Facts.model_validate({"person": {"salary": 1}})


def test_needs_review_lists_what_is_missing() -> None:
    result = run(person(), ["craftsman-award"]).outcome("craftsman-award")
    assert result.status == "needs_review"
    assert result.missing == ("是否获评“鄂尔多斯工匠”",)
    assert result.reasons == ()


def test_audiences_of_facts() -> None:
    facts = person(is_college_graduate=True, age=22, veteran=True, woman=False)
    assert audiences_of(facts) == {Audience.GRADUATE, Audience.YOUTH, Audience.VETERAN}
    assert audiences_of(org("hr_agency")) == {Audience.HR_AGENCY}
    assert audiences_of(org("enterprise")) == {Audience.EMPLOYER}

"""The evaluation pipeline: rules -> ledger checks -> caps -> 就高不重复 -> outcomes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from app.policies.catalogue import Catalogue, Policy, UnknownPolicy, load_catalogue
from app.policies.engine.caps import CapScope, apply_caps, rank_under_caps
from app.policies.engine.checks import CheckResult, failed, passed
from app.policies.engine.context import SELF, LineDraft, PolicyDraft, RuleContext
from app.policies.engine.dates import iso
from app.policies.engine.errors import InvalidEvaluationInput
from app.policies.engine.exclusion import resolve_exclusions
from app.policies.engine.facts import Facts
from app.policies.engine.facts_org import ORG_KIND_NAMES
from app.policies.engine.ledger import EMPTY_LEDGER, Ledger, LedgerEntry
from app.policies.engine.money import fen_text
from app.policies.engine.outcome import build_outcome
from app.policies.engine.params import ParameterSet, default_parameters
from app.policies.engine.record import Evaluation, Outcome
from app.policies.engine.rule import PolicyRule
from app.policies.engine.rules import ALL_CAPS, RULES_BY_CODE

RULESET_VERSION = "2025.1.0"
"""Version of the encoded rules; bump on any change to a rule, reading or default parameter."""

_STATUS_ORDER = {"eligible": 0, "needs_review": 1, "ineligible": 2}


def evaluate(
    facts: Facts,
    *,
    on: date,
    ledger: Ledger = EMPTY_LEDGER,
    params: ParameterSet | None = None,
    policy_codes: Collection[str] | None = None,
    catalogue: Catalogue | None = None,
) -> Evaluation:
    """Evaluate every computable policy (or `policy_codes`) for `facts` on date `on`."""
    params = params or default_parameters()
    catalogue = catalogue or load_catalogue()
    _check_inputs(facts, ledger, catalogue)
    policies = _selected(catalogue, policy_codes)
    drafts = [_draft(order, p, facts, on, params, ledger) for order, p in enumerate(policies)]
    recipient = facts.organisation.key if facts.organisation else None
    for draft in drafts:
        _ledger_checks(draft, catalogue, ledger)
        for line in draft.lines:
            line.settle()
    scope = CapScope(facts=facts, on=on, params=params, ledger=ledger, recipient=recipient)
    rank_under_caps(drafts, ALL_CAPS, scope)
    exclusions = resolve_exclusions(drafts, catalogue)
    apply_caps(drafts, ALL_CAPS, scope)
    outcomes = [
        build_outcome(d, ruleset_version=RULESET_VERSION, parameter_set=params.digest, on=on)
        for d in drafts
    ]
    outcomes.sort(key=_sort_key)
    return Evaluation(
        ruleset_version=RULESET_VERSION,
        parameter_set=params.digest,
        evaluated_on=on,
        total_eligible_fen=sum(o.amount_fen or 0 for o in outcomes if o.status == "eligible"),
        outcomes=tuple(outcomes),
        exclusions=tuple(exclusions),
    )


def _check_inputs(facts: Facts, ledger: Ledger, catalogue: Catalogue) -> None:
    for entry in ledger.entries:
        catalogue.get(entry.policy_code)
    if not ledger:
        return
    keyless = (facts.person is not None and facts.person.key is None) or (
        facts.organisation is not None and facts.organisation.key is None
    )
    if keyless:
        raise InvalidEvaluationInput("提供历史发放记录时，须同时提供个人或单位标识")


def _selected(catalogue: Catalogue, codes: Collection[str] | None) -> list[Policy]:
    computable = [p for p in catalogue.policies if p.computable]
    if codes is None:
        return computable
    for code in codes:
        if not catalogue.get(code).computable:
            raise InvalidEvaluationInput(f"「{catalogue.get(code).title}」为信息类政策，无需测算")
    return [p for p in computable if p.code in codes]


def _draft(
    order: int, policy: Policy, facts: Facts, on: date, params: ParameterSet, ledger: Ledger
) -> PolicyDraft:
    rule = RULES_BY_CODE.get(policy.code)
    if rule is None:
        raise UnknownPolicy(f"政策「{policy.title}」尚无测算规则", details={"code": policy.code})
    ctx = RuleContext(policy=policy, facts=facts, on=on, params=params, ledger=ledger)
    applicant = _applicant(policy, rule, facts)
    ctx.checks += [applicant, _validity(policy, on)]
    # Before the plan takes effect its parameters have no value yet, so the body cannot run;
    # after it expires the body still runs so that every unmet condition is shown.
    started = policy.valid_from is None or on >= policy.valid_from
    if applicant.status == "pass" and started:
        rule.body(ctx)
    return PolicyDraft(ctx=ctx, order=order)


def _applicant(policy: Policy, rule: PolicyRule, facts: Facts) -> CheckResult:
    code, label = "applicant", "申请主体"
    if policy.applicant == "person":
        if facts.person is None:
            return failed(code, label, "本政策由个人申请，未提供个人信息")
        return passed(code, label, "个人申请")
    org = facts.organisation
    if org is None:
        return failed(code, label, "本政策由单位申请，未提供单位信息")
    kind = ORG_KIND_NAMES[org.kind]
    if rule.org_kinds is not None and org.kind not in rule.org_kinds:
        allowed = "、".join(ORG_KIND_NAMES[k] for k in sorted(rule.org_kinds))
        return failed(code, label, f"本政策仅限{allowed}申请，当前单位类型为{kind}")
    return passed(code, label, f"单位申请（{kind}）")


def _validity(policy: Policy, on: date) -> CheckResult:
    code, label = "valid_period", "政策有效期"
    if policy.valid_from is not None and on < policy.valid_from:
        return failed(code, label, f"政策自 {iso(policy.valid_from)} 起施行，{iso(on)} 尚未施行")
    if on > policy.valid_to:
        return failed(
            code, label, f"政策有效期至 {iso(policy.valid_to)}，评估日期 {iso(on)} 已超过有效期"
        )
    return passed(code, label, f"评估日期 {iso(on)} 在政策有效期内（至 {iso(policy.valid_to)}）")


def _ledger_checks(draft: PolicyDraft, catalogue: Catalogue, ledger: Ledger) -> None:
    """Once-only and 就高不重复-across-time: exclude lines already paid (per the ledger)."""
    policy = draft.policy
    group = catalogue.group(policy.exclusion_group)
    if group is None and not policy.once_per_beneficiary:
        return
    codes = group.policy_codes if group else (policy.code,)
    subject = draft.ctx.subject_key
    for line in draft.lines:
        hits = [e for e in ledger.entries if e.policy_code in codes and _about(e, line, subject)]
        if not hits:
            continue
        first = min(hits, key=lambda e: e.awarded_on)
        title = catalogue.get(first.policy_code).title
        paid = f"已于 {iso(first.awarded_on)} 享受「{title}」{fen_text(first.amount_fen)} 元"
        if group is not None:
            line.checks.append(
                failed("group_paid", "就高不重复", f"{paid}，按“就高不重复”不再发放")
            )
        else:
            line.checks.append(failed("already_paid", "一次性", f"{paid}，不再重复发放"))


def _about(entry: LedgerEntry, line: LineDraft, subject: str | None) -> bool:
    """Does a ledger entry pay for the same beneficiary (and item) as this line?"""
    if line.item_key is not None and entry.item_key != line.item_key:
        return False
    if line.beneficiary != SELF:
        return entry.person_key == line.beneficiary
    if line.person_key is not None:
        return entry.person_key == line.person_key or (
            entry.person_key is None and entry.recipient_key == line.person_key
        )
    return subject is not None and entry.recipient_key == subject


def _sort_key(outcome: Outcome) -> tuple[int, int]:
    """Eligible first (highest amount first), then needs review, then ineligible."""
    return _STATUS_ORDER[outcome.status], -(outcome.amount_fen or 0)

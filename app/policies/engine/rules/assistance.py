"""Clause 13: the "three subsidies" (三补贴) for people receiving employment assistance.

"对援助对象到企业就业、灵活就业的给予社保补贴，对参加职业培训和职业技能等级评价的给予职业培训补贴和
职业技能评价补贴". The plan grants these to a defined group and leaves the amounts to higher-level
policy, so each rule checks the conditions and prices the line from an unverified parameter: a
person who meets the conditions is "needs review" ("金额以上级政策为准，由工作人员核定") and can
apply; the reviewer enters the amount when approving.

- ``social-insurance-subsidy-flexible``: an assistance recipient in flexible employment who pays
  social insurance as a flexible worker.
- ``social-insurance-subsidy-employer``: an enterprise that takes on assistance recipients and pays
  their social insurance; one line per person (the contributions are the employer's, so the
  subsidy for "到企业就业" is the employer's, as in the higher-level policy it refers to).
- ``vocational-training-subsidy`` / ``skills-evaluation-subsidy``: an assistance recipient who
  completed subsidised vocational training / a skill-level evaluation with a certificate.

Who is an assistance recipient is an open list ("大龄、残疾、较长时间失业等困难群体"): the named
groups and anyone recognised for employment assistance pass; anyone else is left to staff.
"""

from __future__ import annotations

from app.policies.engine.checks import CheckResult, flag, passed, staff_decides, unknown
from app.policies.engine.context import LineDraft, RuleContext
from app.policies.engine.facts_org import AssistedHire
from app.policies.engine.rule import PolicyRule
from app.policies.engine.rules.common import duplicate_check, open_group, require_list

FLEXIBLE = "social-insurance-subsidy-flexible"
EMPLOYER = "social-insurance-subsidy-employer"
TRAINING = "vocational-training-subsidy"
EVALUATION = "skills-evaluation-subsidy"

_GROUP_LABEL = "就业援助对象"
_OTHERS = "大龄困难人员"
_GROUP_NAMES = {
    "employment_assistance": "已纳入就业援助的援助对象",
    "hard_to_employ": "就业困难人员",
    "disabled": "残疾人",
    "long_term_unemployed": "长期失业人员",
}


def _assisted(ctx: RuleContext) -> CheckResult:
    """The person belongs to the (open) group of employment-assistance recipients."""
    person = ctx.person
    values = {
        "employment_assistance": person.employment_assistance,
        "hard_to_employ": person.hard_to_employ,
        "disabled": person.disabled,
        "long_term_unemployed": person.long_term_unemployed,
    }
    children = [
        flag(code, name, values[code], yes=f"为{name}", no=f"不是{name}", missing=f"是否为{name}")
        for code, name in _GROUP_NAMES.items()
    ]
    return open_group("assisted", _GROUP_LABEL, children, clause=13, others=_OTHERS)


def _self_line(ctx: RuleContext, param: str, label: str) -> None:
    line = LineDraft(label="本人", person_key=ctx.person.key)
    ctx.pay_higher_level(line, param, label)
    ctx.lines.append(line)


def flexible_body(ctx: RuleContext) -> None:
    person = ctx.person
    ctx.checks.append(_assisted(ctx))
    ctx.checks.append(
        flag(
            "flexible_employment",
            "灵活就业",
            person.flexible_employment,
            yes="灵活就业",
            no="不是灵活就业",
            missing="是否灵活就业",
        )
    )
    ctx.checks.append(
        flag(
            "flexible_insurance",
            "以灵活就业人员身份缴纳社会保险",
            person.flexible_insurance_paid,
            yes="已以灵活就业人员身份缴纳社会保险",
            no="未以灵活就业人员身份缴纳社会保险",
            missing="是否以灵活就业人员身份缴纳社会保险",
        )
    )
    _self_line(ctx, "assistance.social_insurance_flexible", "灵活就业社会保险补贴")


def training_body(ctx: RuleContext) -> None:
    ctx.checks.append(_assisted(ctx))
    ctx.checks.append(
        flag(
            "training_certified",
            "参加职业培训并取得合格证明",
            ctx.person.vocational_training_certified,
            yes="已参加补贴性职业培训并取得合格证明",
            no="未参加补贴性职业培训或未取得合格证明",
            missing="是否参加补贴性职业培训并取得合格证明",
        )
    )
    _self_line(ctx, "assistance.vocational_training", "职业培训补贴")


def evaluation_body(ctx: RuleContext) -> None:
    ctx.checks.append(_assisted(ctx))
    ctx.checks.append(
        flag(
            "skills_certified",
            "参加职业技能等级评价并取得证书",
            ctx.person.skills_level_certified,
            yes="已参加职业技能等级评价并取得证书",
            no="未参加职业技能等级评价或未取得证书",
            missing="是否参加职业技能等级评价并取得证书",
        )
    )
    _self_line(ctx, "assistance.skills_evaluation", "职业技能评价补贴")


def _hire_group(hire: AssistedHire) -> CheckResult:
    code = "assisted"
    if hire.group is None:
        return unknown(code, _GROUP_LABEL, "人员类别")
    if hire.group in _GROUP_NAMES:
        return passed(code, _GROUP_LABEL, f"为{_GROUP_NAMES[hire.group]}")
    return staff_decides(
        code,
        _GROUP_LABEL,
        f"是否属于其他{_GROUP_LABEL}（由工作人员认定）",
        f"不属于第13条列明的类别；该条所列困难群体以“等”结尾，"
        f"是否属于其他{_GROUP_LABEL}（如{_OTHERS}）",
    )


def employer_body(ctx: RuleContext) -> None:
    hires = ctx.org.assisted_hires
    if not require_list(ctx, hires, "assisted_hires", "吸纳就业的援助对象名单") or hires is None:
        return
    seen: set[str] = set()
    for hire in hires:
        key = hire.person_key
        line = LineDraft(label=f"援助对象 {key}", beneficiary=key, person_key=key)
        duplicate_check(line, seen, key, "人员")
        line.checks.append(_hire_group(hire))
        line.checks.append(
            flag(
                "insured",
                "依法缴纳社会保险",
                hire.insured,
                yes="单位已为其缴纳社会保险",
                no="单位未为其缴纳社会保险",
                missing="单位是否为其缴纳社会保险",
            )
        )
        ctx.pay_higher_level(line, "assistance.social_insurance_employer", "社会保险补贴")
        ctx.lines.append(line)


RULES = (
    PolicyRule(FLEXIBLE, flexible_body),
    PolicyRule(EMPLOYER, employer_body, org_kinds=frozenset({"enterprise"})),
    PolicyRule(TRAINING, training_body),
    PolicyRule(EVALUATION, evaluation_body),
)

"""Clause 5: referral subsidies for HR service agencies (经营性人力资源服务机构).

- ``hr-agency-referral``: 500 yuan per industrial worker who, in the claim year, signs a *first*
  labour contract of >= 1 year with a district enterprise and has social insurance paid for >= 3
  months, when the year's qualifying referrals reach >= 30 people.
- ``hr-agency-key-group-referral``: 800 yuan, once, per graduate <= 2 years after leaving school
  and unemployed, long-term unemployed or hard-to-employ person who signs a labour contract with
  a district enterprise and has social insurance paid *continuously* for >= 3 months.

Both rows pay per person and share the 就高不重复 group ``hr-referral-person``: a key-group
person who meets both rows is paid 800, never 500 + 800. Readings kept as parameters:
``hr_referral.key_group_counts_toward_threshold`` (does a key-group person who meets the 500-row
conditions count toward the 30?) and ``hr_referral.cap_covers_key_group`` (does the 500,000 cap
cover the 800 row too?).
"""

from __future__ import annotations

from app.policies.engine.checks import (
    CheckResult,
    all_of,
    at_least,
    failed,
    flag,
    passed,
    unknown,
)
from app.policies.engine.context import LineDraft, RuleContext
from app.policies.engine.dates import iso
from app.policies.engine.facts_org import Referral
from app.policies.engine.rule import CapRule, PolicyRule, claim_year
from app.policies.engine.rules.common import duplicate_check, left_school_within, require_list

REFERRAL = "hr-agency-referral"
KEY_GROUP_REFERRAL = "hr-agency-key-group-referral"
_HR = frozenset({"hr_agency"})


def _line(referral: Referral) -> LineDraft:
    key = referral.person_key
    return LineDraft(label=f"推荐人员 {key}", beneficiary=key, person_key=key)


def _in_district(referral: Referral) -> CheckResult:
    return flag(
        "employer_in_district",
        "我区企业",
        referral.employer_in_district,
        yes="用工单位为我区企业",
        no="用工单位不是我区企业",
        missing="用工单位是否为我区企业",
    )


def _signed_in_year(referral: Referral, year: int) -> CheckResult:
    signed = referral.contract_signed_on
    if signed is None:
        return unknown("signed_in_year", "同一年度内", "劳动合同签订日期")
    if signed.year == year:
        return passed(
            "signed_in_year", "同一年度内", f"劳动合同于 {iso(signed)} 签订，在 {year} 年度内"
        )
    return failed(
        "signed_in_year", "同一年度内", f"劳动合同于 {iso(signed)} 签订，不在 {year} 年度内"
    )


def _standard_checks(ctx: RuleContext, referral: Referral, year: int) -> list[CheckResult]:
    insured = referral.insured_months
    if insured is None:
        insured = referral.insured_months_continuous
    return [
        _signed_in_year(referral, year),
        _in_district(referral),
        flag(
            "industrial_worker",
            "产业工人",
            referral.industrial_worker,
            yes="被推荐人员为产业工人",
            no="被推荐人员不是产业工人",
            missing="是否为产业工人",
        ),
        flag(
            "first_contract",
            "首次签订劳动合同",
            referral.first_labour_contract,
            yes="与我区企业首次签订劳动合同",
            no="不是首次与我区企业签订劳动合同",
            missing="是否首次签订劳动合同",
        ),
        at_least(
            "contract_1_year",
            "劳动合同 1 年以上",
            referral.contract_months,
            ctx.count("hr_referral.min_contract_months"),
            noun="劳动合同期限",
            unit="个月",
            missing="劳动合同期限",
        ),
        at_least(
            "insured_3_months",
            "社会保险满 3 个月",
            insured,
            ctx.count("hr_referral.min_insured_months"),
            noun="已缴纳社会保险",
            unit="个月",
            missing="社会保险缴纳月数",
        ),
    ]


def _threshold(ctx: RuleContext, counted: list[LineDraft], year: int) -> CheckResult:
    need = ctx.count("hr_referral.threshold_persons")
    sure = sum(1 for line in counted if line.check_status == "pass")
    maybe = sum(1 for line in counted if line.check_status == "unknown")
    label = f"推荐人数 {need} 人以上"
    text = f"{year} 年度成功推荐符合条件的人员 {sure} 人"
    if sure >= need:
        return passed("threshold", label, f"{text}，达到 {need} 人")
    if sure + maybe >= need:
        return unknown(
            "threshold",
            label,
            "待核实推荐人员的信息（见明细）",
            reason=f"{text}，另有 {maybe} 人待核实，能否达到 {need} 人尚不能确定",
        )
    return failed("threshold", label, f"{text}，不足 {need} 人")


def referral_body(ctx: RuleContext) -> None:
    """500 yuan per qualifying referral once the year's qualifying referrals reach 30."""
    referrals = ctx.org.referrals
    if not require_list(ctx, referrals, "referrals", "成功推荐人员名单") or referrals is None:
        return
    year = claim_year(ctx.facts, ctx.on)
    include_key_group = ctx.flag("hr_referral.key_group_counts_toward_threshold")
    seen: set[str] = set()
    counted: list[LineDraft] = []
    for referral in referrals:
        line = _line(referral)
        duplicate_check(line, seen, referral.person_key, "人员")
        line.checks.extend(_standard_checks(ctx, referral, year))
        ctx.pay_fixed(line, "hr_referral.amount_per_person", "推荐补贴标准（每人）")
        ctx.lines.append(line)
        if include_key_group or referral.key_group is None:
            counted.append(line)
    ctx.checks.append(_threshold(ctx, counted, year))


_KEY_GROUP_NAMES = {
    "graduate": "离校 2 年内未就业高校毕业生",
    "long_term_unemployed": "长期失业人员",
    "hard_to_employ": "就业困难人员",
}


def _key_group_check(ctx: RuleContext, referral: Referral) -> CheckResult:
    group = referral.key_group
    assert group is not None
    name = _KEY_GROUP_NAMES[group]
    if group != "graduate":
        return passed("key_group", "重点群体", f"经认定为{name}")
    years = ctx.count("hr_referral.graduate_years")
    return all_of(
        "key_group",
        "重点群体",
        [
            left_school_within(
                "graduate_within_years",
                referral.left_school_on,
                referral.contract_signed_on,
                years,
                event="签订劳动合同",
                at_missing="劳动合同签订日期",
            ),
            flag(
                "unemployed_before",
                "离校后未就业",
                referral.unemployed_before_referral,
                yes="离校后至本次就业前未就业",
                no="离校后曾经就业",
                missing="离校后是否未就业",
            ),
        ],
    )


def _key_group_checks(ctx: RuleContext, referral: Referral) -> list[CheckResult]:
    signed = referral.contract_signed_on
    contract = (
        passed("contract_signed", "签订劳动合同", f"已于 {iso(signed)} 签订劳动合同")
        if signed is not None
        else unknown("contract_signed", "签订劳动合同", "劳动合同签订日期")
    )
    return [
        _key_group_check(ctx, referral),
        _in_district(referral),
        contract,
        at_least(
            "insured_3_months_continuous",
            "连续缴纳社会保险满 3 个月",
            referral.insured_months_continuous,
            ctx.count("hr_referral.min_insured_months"),
            noun="连续缴纳社会保险",
            unit="个月",
            missing="连续缴纳社会保险月数",
        ),
    ]


def key_group_body(ctx: RuleContext) -> None:
    """800 yuan, once, per key-group referral (no yearly threshold)."""
    referrals = ctx.org.referrals
    if not require_list(ctx, referrals, "referrals", "成功推荐人员名单") or referrals is None:
        return
    key_group = [r for r in referrals if r.key_group is not None]
    if not key_group:
        reason = "推荐人员中没有离校 2 年内未就业高校毕业生、长期失业人员或就业困难人员"
        ctx.checks.append(failed("key_group_present", "重点群体人员", reason))
        return
    seen: set[str] = set()
    for referral in key_group:
        line = _line(referral)
        duplicate_check(line, seen, referral.person_key, "人员")
        line.checks.extend(_key_group_checks(ctx, referral))
        ctx.pay_fixed(line, "hr_referral.key_group_amount", "重点群体推荐补贴标准（每人）")
        ctx.lines.append(line)


RULES = (
    PolicyRule(REFERRAL, referral_body, org_kinds=_HR),
    PolicyRule(KEY_GROUP_REFERRAL, key_group_body, org_kinds=_HR),
)

CAPS = (
    CapRule(
        code="hr-referral-annual",
        title="同一人力资源服务机构推荐补贴年度上限",
        limit_param="hr_referral.cap_per_agency",
        policy_codes=(REFERRAL,),
        optional_codes=((KEY_GROUP_REFERRAL, "hr_referral.cap_covers_key_group"),),
    ),
)

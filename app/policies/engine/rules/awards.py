"""One-time awards and flat raises (clauses 13, 14, 18, 19, 21).

- ``public-welfare-post-raise`` (13): +300 yuan per month for a public-welfare post holder.
- ``labour-brand-region`` / ``-city`` (14): 200,000 / 100,000 yuan once; 就高不重复.
- ``craftsman-award`` (18): 50,000 yuan once for a recognised 鄂尔多斯工匠.
- ``training-brand-city`` / ``-region`` (19): 100,000 / 200,000 yuan; 就高不重复.
- ``skills-competition`` (19): 50,000 / 30,000 / 20,000 yuan once per prize (1st/2nd/3rd) in a
  *city-level* vocational skills competition; one award per competition.
- ``incubator-award`` (21): by the grade of the periodic evaluation (amounts unverified until
  staff enter them), at most 600,000 yuan per incubator per year.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.policies.engine.checks import failed, flag, passed, unknown
from app.policies.engine.context import LineDraft, RuleContext
from app.policies.engine.facts import Facts
from app.policies.engine.facts_person import CompetitionPrize
from app.policies.engine.money import fen_text, multiply, num_text
from app.policies.engine.rule import CapRule, PolicyRule
from app.policies.engine.rules.common import recognition_award

WELFARE_RAISE = "public-welfare-post-raise"
LABOUR_BRAND_REGION = "labour-brand-region"
LABOUR_BRAND_CITY = "labour-brand-city"
CRAFTSMAN = "craftsman-award"
TRAINING_BRAND_CITY = "training-brand-city"
TRAINING_BRAND_REGION = "training-brand-region"
COMPETITION = "skills-competition"
INCUBATOR = "incubator-award"


def welfare_raise_body(ctx: RuleContext) -> None:
    """300 yuan × the months being reckoned (1 by default: the monthly raise)."""
    person = ctx.person
    ctx.checks.append(
        flag(
            "public_welfare_post",
            "公益性岗位人员",
            person.holds_public_welfare_post,
            yes="在公益性岗位工作",
            no="不在公益性岗位",
            missing="是否在公益性岗位",
        )
    )
    line = LineDraft(
        label="本人", person_key=person.key, quantity=person.public_welfare_post_months
    )
    raise_ = ctx.number("public_welfare_post.monthly_raise")
    if raise_ is None:
        line.gaps.append(ctx.lookup("public_welfare_post.monthly_raise").gap())
    else:
        months = person.public_welfare_post_months
        line.gross_fen = multiply(raise_, Decimal(months))
        line.steps.append(f"{num_text(raise_)} × {months} 个月 = {fen_text(line.gross_fen)}")
    ctx.lines.append(line)


def craftsman_body(ctx: RuleContext) -> None:
    """50,000 yuan once for a recognised 鄂尔多斯工匠."""
    person = ctx.person
    ctx.checks.append(
        flag(
            "ordos_craftsman",
            "鄂尔多斯工匠",
            person.ordos_craftsman,
            yes="已获评“鄂尔多斯工匠”",
            no="未获评“鄂尔多斯工匠”",
            missing="是否获评“鄂尔多斯工匠”",
        )
    )
    line = LineDraft(label="本人", person_key=person.key)
    ctx.pay_fixed(line, "craftsman.award", "“鄂尔多斯工匠”一次性奖励")
    ctx.lines.append(line)


_RANK_PARAMS = {
    1: "skills_competition.first",
    2: "skills_competition.second",
    3: "skills_competition.third",
}
_RANK_NAMES = {1: "一等奖", 2: "二等奖", 3: "三等奖"}
_LEVEL_NAMES = {
    "district": "区级",
    "city": "市级",
    "region": "自治区级",
    "national": "国家级",
    "other": "其他",
}


def _best_prizes(prizes: list[CompetitionPrize]) -> dict[str, CompetitionPrize]:
    """The best (lowest) rank per competition."""
    best: dict[str, CompetitionPrize] = {}
    for prize in sorted(prizes, key=lambda p: p.rank):
        best.setdefault(prize.competition_key, prize)
    return best


def competition_body(ctx: RuleContext) -> None:
    """One line per prize; only city-level competitions pay; one award per competition."""
    person = ctx.person
    prizes = person.competition_prizes
    if prizes is None:
        ctx.checks.append(unknown("prizes", "竞赛获奖", "职业技能竞赛获奖情况"))
        return
    if not prizes:
        ctx.checks.append(failed("prizes", "竞赛获奖", "没有职业技能竞赛获奖记录"))
        return
    ctx.checks.append(passed("prizes", "竞赛获奖", f"共 {len(prizes)} 项获奖记录"))
    best = _best_prizes(prizes)
    for prize in prizes:
        name = f"{_LEVEL_NAMES[prize.competition_level]}竞赛{_RANK_NAMES[prize.rank]}"
        line = LineDraft(
            label=f"{prize.competition_key} {name}",
            person_key=person.key,
            item_key=prize.competition_key,
        )
        if best[prize.competition_key] is not prize:
            line.checks.append(
                failed("one_per_competition", "同一竞赛", "同一竞赛只按最高等次奖励一次")
            )
        if prize.competition_level == "city":
            line.checks.append(passed("city_level", "市级职业技能竞赛", f"获{name}"))
        else:
            line.checks.append(
                failed(
                    "city_level", "市级职业技能竞赛", f"获{name}，本条仅奖励市级职业技能竞赛获奖者"
                )
            )
        ctx.pay_fixed(
            line, _RANK_PARAMS[prize.rank], f"市级竞赛{_RANK_NAMES[prize.rank]}一次性奖励"
        )
        ctx.lines.append(line)


def incubator_body(ctx: RuleContext) -> None:
    """The award of the incubator's grade (a parameter staff enter), capped per year."""
    grade = ctx.org.incubator_grade
    line = LineDraft(label="本单位")
    if grade is None:
        ctx.checks.append(
            unknown("incubator_grade", "等级认定评价", "创业园（孵化基地）等级认定结果")
        )
    else:
        ctx.checks.append(passed("incubator_grade", "等级认定评价", f"等级认定评价为 {grade} 等"))
        ctx.pay_fixed(line, f"incubator.grade_{grade}_award", f"{grade} 等创业园（孵化基地）奖补")
    ctx.lines.append(line)


def _evaluation_year(_facts: Facts, on: date) -> int:
    return on.year


RULES = (
    PolicyRule(WELFARE_RAISE, welfare_raise_body),
    PolicyRule(
        LABOUR_BRAND_REGION,
        recognition_award(
            lambda org: org.labour_brand_levels, "region", "劳务品牌", "labour_brand.region"
        ),
    ),
    PolicyRule(
        LABOUR_BRAND_CITY,
        recognition_award(
            lambda org: org.labour_brand_levels, "city", "劳务品牌", "labour_brand.city"
        ),
    ),
    PolicyRule(CRAFTSMAN, craftsman_body),
    PolicyRule(
        TRAINING_BRAND_CITY,
        recognition_award(
            lambda org: org.training_brand_levels, "city", "就业技能培训品牌", "training_brand.city"
        ),
    ),
    PolicyRule(
        TRAINING_BRAND_REGION,
        recognition_award(
            lambda org: org.training_brand_levels,
            "region",
            "就业技能培训品牌",
            "training_brand.region",
        ),
    ),
    PolicyRule(COMPETITION, competition_body),
    PolicyRule(INCUBATOR, incubator_body, org_kinds=frozenset({"incubator"})),
)

CAPS = (
    CapRule(
        code="incubator-annual",
        title="创业园（孵化基地）奖补年度上限",
        limit_param="incubator.cap",
        policy_codes=(INCUBATOR,),
        year_of=_evaluation_year,
    ),
)

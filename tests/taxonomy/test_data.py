"""The shipped taxonomy files: complete, consistent, and covering what the plan names."""

from __future__ import annotations

from collections import Counter

import pytest

from app import taxonomy
from app.taxonomy import AreaKind, EducationLevel, IndustryGroup, JobType, PayUnit, SkillLevel
from app.taxonomy.pay import format_pay, format_yuan, to_monthly_fen

REQUIRED_OCCUPATIONS = (  # noqa: SIM905
    "快递员 外卖骑手 月嫂 育婴员 网约车司机 保洁员 保安员 电工 焊工 叉车司机 挖掘机司机 收银员 营业员 "
    "厨师 服务员 会计 出纳 护士 护工 家政服务员 仓管员 装卸工 水暖工 化工操作工 煤矿井下工人 "
    "光伏运维员 直播带货主播 软件开发工程师 数据标注员 导游 酒店前台 教师 幼儿教师"
).split()

PLAN_INDUSTRIES = (  # noqa: SIM905
    "能源化工 新能源 新材料 装备制造 煤炭采矿 节能环保 "
    "现代商贸 现代物流 文化旅游 数智技术 金融服务 教育服务 科技服务 绿色服务"
).split()


def test_every_file_loads() -> None:
    taxonomy.load_all()
    assert 20 <= len(taxonomy.occupation_categories()) <= 35
    assert len(taxonomy.occupations()) >= 150


@pytest.mark.parametrize("name", REQUIRED_OCCUPATIONS)
def test_required_occupation_present(name: str) -> None:
    assert name in {o.name for o in taxonomy.occupations()}


def test_ride_hailing_alias() -> None:
    assert taxonomy.occupations_by_term()["网约车"].name == "网约车司机"


def test_names_and_aliases_name_one_occupation_each() -> None:
    terms = Counter(term.lower() for o in taxonomy.occupations() for term in o.terms)
    assert [term for term, n in terms.items() if n > 1] == []


def test_occupation_references_resolve() -> None:
    categories = {c.code for c in taxonomy.occupation_categories()}
    industries = taxonomy.industries_by_code()
    certificates = taxonomy.certificates_by_code()
    for occupation in taxonomy.occupations():
        assert occupation.category in categories, occupation.code
        assert all(code in industries for code in occupation.industries), occupation.code
        assert all(code in certificates for code in occupation.certificates), occupation.code


def test_every_category_has_occupations() -> None:
    used = Counter(o.category for o in taxonomy.occupations())
    assert all(used[c.code] >= 4 for c in taxonomy.occupation_categories())


def test_pay_ranges_are_plausible_monthly_fen() -> None:
    for occupation in taxonomy.occupations():
        # At least the regional minimum wage (2,270 yuan from 2024-12-01), below 50,000 yuan.
        assert 227_000 <= occupation.pay_p10_fen < occupation.pay_p90_fen <= 5_000_000


@pytest.mark.parametrize("name", PLAN_INDUSTRIES)
def test_plan_industry_present(name: str) -> None:
    assert name in {i.name for i in taxonomy.industries()}


def test_four_plus_four_service_sectors() -> None:
    groups = Counter(i.group for i in taxonomy.industries())
    assert groups[IndustryGroup.SERVICE_PILLAR] == 4
    assert groups[IndustryGroup.SERVICE_GROWTH] == 4


def test_industry_codes_fit_the_employer_column() -> None:
    assert all(len(i.code) <= 20 for i in taxonomy.industries())


def test_skills_reference_certificates_and_occupations() -> None:
    certificates = taxonomy.certificates_by_code()
    groups = {g.code for g in taxonomy.skill_groups()}
    for skill in taxonomy.skills():
        assert skill.group in groups, skill.code
        assert skill.occupation in taxonomy.occupations_by_code(), skill.code
        assert all(code in certificates for code in skill.certificates), skill.code


@pytest.mark.parametrize(
    ("skill", "certificate"),
    [
        ("electrical", "电工证"),
        ("welding", "焊工证"),
        ("forklift", "叉车证"),
        ("driving", "C1驾照"),
    ],
)
def test_licensed_skills_carry_their_certificate(skill: str, certificate: str) -> None:
    entry = taxonomy.skills_by_code()[skill]
    assert entry.licensed
    aliases = {
        alias
        for code in entry.certificates
        for alias in taxonomy.certificates_by_code()[code].terms
    }
    assert certificate in aliases


def test_gig_skill_coverage() -> None:
    names = {s.name for s in taxonomy.skills()}
    for wanted in (
        "开荒保洁",
        "搬家搬运",
        "水暖维修",
        "电工",
        "电焊",
        "农忙采收",
        "老人陪护",
        "活动执行",
    ):
        assert wanted in names


def test_skill_levels_match_the_enum() -> None:
    assert [(lv.code, lv.name) for lv in taxonomy.skill_levels()] == [
        (SkillLevel.JUNIOR, "初级"),
        (SkillLevel.INTERMEDIATE, "中级"),
        (SkillLevel.SENIOR, "高级"),
    ]
    assert [lv.rank for lv in SkillLevel] == [1, 2, 3]


def test_areas_are_twelve_streets_and_three_towns_near_dongsheng() -> None:
    kinds = Counter(a.kind for a in taxonomy.areas())
    assert kinds == {AreaKind.STREET: 12, AreaKind.TOWN: 3}
    assert {"民族街道", "诃额伦街道", "泊江海子镇", "罕台镇", "铜川镇"} <= {
        a.name for a in taxonomy.areas()
    }
    for area in taxonomy.areas():
        assert 39.5 < area.lat < 40.1 and 109.4 < area.lng < 110.4, area.code
        assert len(area.code) <= 12


def test_education_levels_ordered_and_matching_the_enum() -> None:
    levels = taxonomy.education_levels()
    assert [lv.code for lv in levels] == list(EducationLevel)
    assert [lv.name for lv in levels] == [
        "不限",
        "初中",
        "高中/中专",
        "大专",
        "本科",
        "硕士",
        "博士",
    ]
    assert [lv.rank for lv in levels] == [lv.code.rank for lv in levels] == list(range(7))
    assert EducationLevel.BACHELOR.satisfies(EducationLevel.ASSOCIATE)
    assert not EducationLevel.SENIOR_HIGH.satisfies(EducationLevel.ASSOCIATE)
    assert EducationLevel.BACHELOR.label == "本科"


def test_benefit_tags() -> None:
    names = {b.name for b in taxonomy.benefits()}
    assert {
        "五险一金",
        "包吃住",
        "包住",
        "餐补",
        "交通补贴",
        "周末双休",
        "年终奖",
        "带薪年假",
    } <= names


def test_dictionary_words_cover_terms_and_are_sorted() -> None:
    words = taxonomy.dictionary_words()
    assert list(words) == sorted(set(words))
    assert {"快递员", "月嫂", "网约车", "诃额伦街道", "五险一金", "电工证"} <= set(words)


def test_lookups_return_none_for_unknown_codes() -> None:
    assert taxonomy.get_occupation("no_such_job") is None
    assert taxonomy.get_occupation("courier") is not None


def test_enum_labels() -> None:
    assert PayUnit.DAY.label == "元/天"
    assert JobType.INTERNSHIP.label == "实习"
    assert SkillLevel.SENIOR.label == "高级"


@pytest.mark.parametrize(
    ("amount", "unit", "monthly"),
    [
        (500_000, PayUnit.MONTH, 500_000),
        (20_000, PayUnit.DAY, 435_000),  # 200 yuan x 21.75 days
        (2_500, PayUnit.HOUR, 435_000),  # 25 yuan x 174 hours
        (1, PayUnit.DAY, 22),  # rounded half up
    ],
)
def test_to_monthly_fen(amount: int, unit: PayUnit, monthly: int) -> None:
    assert to_monthly_fen(amount, unit) == monthly


def test_piece_pay_has_no_monthly_equivalent() -> None:
    assert to_monthly_fen(10_000, PayUnit.PIECE) is None


def test_pay_formatting() -> None:
    assert format_yuan(123_450) == "1234.5"
    assert format_yuan(300_000) == "3000"
    assert format_yuan(5) == "0.05"
    assert format_pay(400_000, 600_000, PayUnit.MONTH) == "4000-6000元/月"
    assert format_pay(20_000, 20_000, PayUnit.DAY) == "200元/天"
    assert format_pay(None, 3_000, PayUnit.HOUR) == "30元/小时"
    assert format_pay(None, None, PayUnit.MONTH) == "面议"

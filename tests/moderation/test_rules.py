"""The rules a job or gig ad must obey: what is refused, what goes to staff, what passes."""

from __future__ import annotations

import pytest

from app import taxonomy
from app.moderation.rules import (
    PAY_REVIEW_MULTIPLE,
    Finding,
    Severity,
    check_posting,
    overall_severity,
)
from app.taxonomy import PayUnit, get_occupation

REFUSE, REVIEW = Severity.REFUSE, Severity.REVIEW


def check(text: str, *, title: str = "招聘") -> list[Finding]:
    return check_posting(
        title,
        text,
        occupation_code=None,
        pay_min_fen=None,
        pay_max_fen=None,
        pay_unit=PayUnit.MONTH,
    )


def outcomes(text: str) -> set[tuple[str, Severity]]:
    return {(f.rule, f.severity) for f in check(text)}


@pytest.mark.parametrize(
    ("text", "rule", "severity"),
    [
        ("限男性", "discrimination.sex", REFUSE),
        ("仅限女性，25岁以下", "discrimination.sex", REFUSE),
        ("只招男生", "discrimination.sex", REFUSE),
        ("任职要求：女，形象好", "discrimination.sex", REFUSE),
        ("性别：男", "discrimination.sex", REFUSE),
        ("女，18-35岁，能吃苦", "discrimination.sex", REFUSE),
        ("女性勿扰", "discrimination.sex", REFUSE),
        ("不招女的", "discrimination.sex", REFUSE),
        ("限 男 性", "discrimination.sex", REFUSE),
        ("限宝妈", "discrimination.sex", REFUSE),
        ("男性优先", "discrimination.sex", REFUSE),  # named by 妇女权益保障法 art. 43
        ("女士优先", "discrimination.sex", REVIEW),
        ("急招女工5名", "discrimination.sex", REVIEW),
        ("宝妈优先", "discrimination.sex", REVIEW),
        ("限汉族", "discrimination.ethnicity", REFUSE),
        ("少数民族勿扰", "discrimination.ethnicity", REFUSE),
        ("不招回族", "discrimination.ethnicity", REFUSE),
        ("民族：汉", "discrimination.ethnicity", REFUSE),
        ("汉族优先", "discrimination.ethnicity", REVIEW),
        ("无宗教信仰", "discrimination.religion", REFUSE),
        ("穆斯林勿扰", "discrimination.religion", REFUSE),
        ("限信仰基督教", "discrimination.religion", REFUSE),
        ("不信教", "discrimination.religion", REFUSE),
        ("已婚已育", "discrimination.marriage_childbearing", REFUSE),
        ("要求未婚", "discrimination.marriage_childbearing", REFUSE),
        ("女性，未婚，25岁以下", "discrimination.marriage_childbearing", REFUSE),
        ("入职两年内不生育", "discrimination.marriage_childbearing", REFUSE),
        ("近期无生育计划", "discrimination.marriage_childbearing", REFUSE),
        ("孕妇勿扰", "discrimination.marriage_childbearing", REFUSE),
        ("怀孕即辞退", "discrimination.marriage_childbearing", REFUSE),
        ("入职体检含验孕", "discrimination.marriage_childbearing", REFUSE),
        ("不孕", "discrimination.marriage_childbearing", REFUSE),
        ("已婚优先", "discrimination.marriage_childbearing", REVIEW),
        ("已婚已育优先", "discrimination.marriage_childbearing", REVIEW),
        ("限本地户口", "discrimination.household_registration", REFUSE),
        ("要求本地户籍", "discrimination.household_registration", REFUSE),
        ("须为东胜区户籍", "discrimination.household_registration", REFUSE),
        ("仅限鄂尔多斯户口", "discrimination.household_registration", REFUSE),
        ("外地人勿扰", "discrimination.household_registration", REFUSE),
        ("不招外地人", "discrimination.household_registration", REFUSE),
        ("本地人优先", "discrimination.household_registration", REVIEW),
        ("本地户口优先", "discrimination.household_registration", REVIEW),
        ("本地户口，能长期干", "discrimination.household_registration", REVIEW),
        ("乙肝勿扰", "discrimination.hepatitis_b", REFUSE),
        ("乙肝携带者免谈", "discrimination.hepatitis_b", REFUSE),
        ("ＨＢＶ携带者勿扰", "discrimination.hepatitis_b", REFUSE),
        ("无乙肝", "discrimination.hepatitis_b", REFUSE),
        ("入职检查乙肝", "discrimination.hepatitis_b", REFUSE),
        ("乙肝五项阴性", "discrimination.hepatitis_b", REFUSE),
        ("入职体检含乙肝五项", "discrimination.hepatitis_b", REFUSE),
        ("大三阳勿扰", "discrimination.hepatitis_b", REFUSE),
        ("残疾人勿扰", "discrimination.disability", REFUSE),
        ("不招残疾人", "discrimination.disability", REFUSE),
        ("入职需交押金200元", "fraud.deposit", REVIEW),
        ("收取保证金", "fraud.deposit", REVIEW),
        ("押金不退", "fraud.deposit", REVIEW),
        ("入职先押身份证", "fraud.document_custody", REVIEW),
        ("身份证由公司代管", "fraud.document_custody", REVIEW),
        ("入职需交培训费500元", "fraud.fee", REVIEW),
        ("服装费自理", "fraud.fee", REVIEW),
        ("包吃住，体检费自理", "fraud.fee", REVIEW),
        ("日结高薪", "fraud.exaggerated_pay", REVIEW),
        ("无需经验，轻松月入过万", "fraud.exaggerated_pay", REVIEW),
        ("在家轻松赚钱", "fraud.exaggerated_pay", REVIEW),
        ("淘宝刷单兼职", "fraud.exaggerated_pay", REVIEW),
        ("日赚800", "fraud.exaggerated_pay", REVIEW),
        ("月入3万", "fraud.exaggerated_pay", REVIEW),
    ],
)
def test_breaking_text_is_caught(text: str, rule: str, severity: Severity) -> None:
    assert (rule, severity) in outcomes(text)


@pytest.mark.parametrize(
    "text",
    [
        "男女不限",
        "不限男女，年龄18-60岁",
        "性别不限",
        "任职要求：男女不限",
        "男、女各2名",
        "男女各半",
        "学历不限女士专柜导购",
        "女装导购",
        "男装店店员",
        "负责男士理发",
        "妇科护士",
        "妇产科护士，负责孕检门诊",
        "男科医院导诊",
        "招聘月嫂，照护产妇与新生儿",
        "育婴员，负责婴幼儿日常照料",
        "家政阿姨",
        "适合宝妈的兼职",
        "民族街道快递员",
        "工作地点：东胜区民族街道",
        "蒙汉兼通，能用蒙古语接待游客",
        "汉族、蒙古族员工相处融洽",
        "清真餐厅厨师",
        "尊重员工宗教信仰自由",
        "提供单身宿舍",
        "五险一金（含生育保险）",
        "享受产假与生育津贴",
        "婚庆公司摄影师",
        "不孕不育科护士",
        "可协助办理本地户口",
        "入职需携带户口本复印件",
        "户籍不限",
        "乙肝疫苗接种门诊护士",
        "残疾人优先",
        "不收押金",
        "押金：无",
        "不收取任何押金和费用",
        "体检费用由公司承担",
        "公司报销体检费",
        "免费培训，培训费全免",
        "无需经验，提供岗前培训",
        "日结",
        "日结，当天完工当天结算",
        "高薪诚聘",
        "年龄不限",
        "示例·东胜恒达物流有限公司",
        "收缴物业服务费",
    ],
)
def test_lookalikes_pass(text: str) -> None:
    assert check(text) == []


def test_title_and_description_are_both_checked() -> None:
    findings = check_posting(
        "保安员（限男性）",
        "不收押金，需交保证金300元",
        occupation_code="security_guard",
        pay_min_fen=300_000,
        pay_max_fen=400_000,
        pay_unit=PayUnit.MONTH,
    )
    assert [(f.rule, f.field, f.excerpt) for f in findings] == [
        ("discrimination.sex", "title", "限男性"),
        ("fraud.deposit", "description", "保证金"),
    ]


def test_finding_tells_the_poster_why() -> None:
    (finding,) = check("限男性")
    assert finding.severity is REFUSE
    assert finding.message == (
        "招聘信息不得限定性别或规定男性优先（如“限男性”“女士勿扰”“男性优先”），请删除相关要求"
    )
    assert finding.excerpt == "限男性"


def test_a_refusal_hides_the_review_of_the_same_rule() -> None:
    findings = check("要求本地户口")
    assert [(f.rule, f.severity) for f in findings] == [
        ("discrimination.household_registration", REFUSE)
    ]


def test_several_rules_are_all_reported() -> None:
    assert outcomes("限男性，已婚已育，需交押金") == {
        ("discrimination.sex", REFUSE),
        ("discrimination.marriage_childbearing", REFUSE),
        ("fraud.deposit", REVIEW),
    }


def pay_findings(amount_fen: int, unit: PayUnit, occupation: str | None = "cleaner") -> list[str]:
    findings = check_posting(
        "保洁员",
        "负责公共区域保洁",
        occupation_code=occupation,
        pay_min_fen=None,
        pay_max_fen=amount_fen,
        pay_unit=unit,
    )
    return [f.rule for f in findings]


def test_pay_far_above_the_occupation_is_reviewed() -> None:
    occupation = get_occupation("cleaner")
    assert occupation is not None
    limit = PAY_REVIEW_MULTIPLE * occupation.pay_p90_fen  # 12,000 yuan a month
    assert pay_findings(limit, PayUnit.MONTH) == []
    assert pay_findings(limit + 100, PayUnit.MONTH) == ["fraud.pay_above_range"]


def test_day_and_hour_pay_are_compared_as_monthly() -> None:
    # 550 yuan a day x 21.75 = 11,962.5 yuan: within 3 x 4,000; 560 yuan is not.
    assert pay_findings(55_000, PayUnit.DAY) == []
    assert pay_findings(56_000, PayUnit.DAY) == ["fraud.pay_above_range"]
    # 68 yuan an hour x 174 = 11,832 yuan; 70 yuan = 12,180 yuan.
    assert pay_findings(6_800, PayUnit.HOUR) == []
    assert pay_findings(7_000, PayUnit.HOUR) == ["fraud.pay_above_range"]


def test_piece_pay_and_unknown_occupations_are_not_compared() -> None:
    assert pay_findings(10_000_000, PayUnit.PIECE) == []
    assert pay_findings(10_000_000, PayUnit.MONTH, occupation=None) == []
    assert pay_findings(10_000_000, PayUnit.MONTH, occupation="no_such_code") == []


def test_pay_finding_shows_the_offered_pay() -> None:
    findings = check_posting(
        "保洁员",
        "",
        occupation_code="cleaner",
        pay_min_fen=50_000,
        pay_max_fen=80_000,
        pay_unit=PayUnit.DAY,
    )
    (finding,) = findings
    assert (finding.field, finding.excerpt, finding.severity) == ("pay", "500-800元/天", REVIEW)
    assert "保洁员" in finding.message


def test_overall_severity() -> None:
    assert overall_severity([]) is None
    assert overall_severity(check("需交押金")) is REVIEW
    assert overall_severity(check("限男性，需交押金")) is REFUSE


def taxonomy_phrases() -> list[str]:
    phrases: list[str] = []
    for occupation in taxonomy.occupations():
        phrases.extend((*occupation.terms, *occupation.duties))
    for skill in taxonomy.skills():
        phrases.extend((*skill.terms, *skill.tasks))
    phrases.extend(name for c in taxonomy.certificates() for name in c.terms)
    phrases.extend(b.name for b in taxonomy.benefits())
    phrases.extend(a.name for a in taxonomy.areas())
    phrases.extend(i.name for i in taxonomy.industries())
    return phrases


def test_no_taxonomy_phrase_trips_a_rule() -> None:
    tripped = [phrase for phrase in taxonomy_phrases() if check(phrase)]
    assert tripped == []

"""Signs of fraudulent recruitment (虚假招聘) that send a posting to staff review.

An employer may not collect money or keep documents from people it recruits (劳动合同法 第九条,
人力资源市场暂行条例 第二十五条), and "easy money" promises are the usual bait. Each of these is
a *sign*, not proof, so the severity is always ``review``. Negations ("不收押金", "体检费公司
报销") excuse a match when they stand next to it in the same clause.
"""

from __future__ import annotations

import re

from app.moderation.findings import Severity, TextRule

_NEGATION = re.compile(r"不|无|免|零|拒绝|严禁|杜绝|谨防|警惕|绝不|没有")
_NONE_AFTER = re.compile(r":?(?:无|免|0元?(?!\d)|零)")
_EMPLOYER_PAYS_BEFORE = re.compile(
    r"不|无|免|零|拒绝|严禁|杜绝|谨防|警惕|绝不|没有|报销|承担|(?:公司|单位|企业|厂里|店里|老板)(?:出|包|付)"
)
_EMPLOYER_PAYS_AFTER = re.compile(
    r":?用?(?:由|是)?(?:公司|单位|企业|我司|厂里|店里|老板)?"
    r"(?:报销|承担|负责|支付|出|包|全免|免|补贴|不收|无)"
)

RULES: tuple[TextRule, ...] = (
    TextRule(
        "fraud.deposit",
        Severity.REVIEW,
        "招聘时不得向求职者收取押金、保证金等财物，已转工作人员审核",
        re.compile(r"押金|保证金|抵押金|风险金|风险抵押|入职费"),
        unless_before=_NEGATION,
        unless_after=_NONE_AFTER,
    ),
    TextRule(
        "fraud.document_custody",
        Severity.REVIEW,
        "招聘时不得扣押求职者的身份证等证件，已转工作人员审核",
        re.compile(
            r"(?:押|扣押|扣留|暂扣|抵押|上交|上缴|代管|保管)(?:身份证|毕业证|学历证|证件|户口本|银行卡)"
            r"|(?:身份证|毕业证|学历证|证件|户口本|银行卡)(?:原件)?(?:需|须|要)?(?:由|交|交给|交由)?"
            r"(?:公司|单位|企业|老板)?(?:代管|代为保管|统一保管|保管|扣押|暂扣|抵押)"
        ),
        unless_before=_NEGATION,
    ),
    TextRule(
        "fraud.fee",
        Severity.REVIEW,
        "招聘时不得以培训费、服装费、体检费等名义向求职者收费，已转工作人员审核",
        re.compile(
            r"培训费|服装费|工装费|制服费|体检费|办卡费|资料费|报名费|建档费|信息费|中介费|介绍费"
            r"|手续费|上岗费|工牌费"
        ),
        unless_before=_EMPLOYER_PAYS_BEFORE,
        unless_after=_EMPLOYER_PAYS_AFTER,
    ),
    TextRule(
        "fraud.exaggerated_pay",
        Severity.REVIEW,
        "信息含有“轻松月入过万”“日结高薪”等夸大收入或常见骗局的表述，已转工作人员审核",
        re.compile(
            r"(?:日结|当天结|现结)高薪|高薪(?:日结|当天结)|轻松(?:月入|日入|日赚|月赚|赚|挣|过万|上万)"
            r"|月入(?:过|上|破)万|月入[2-9一二两三四五六七八九十]万|日入过千|躺赚|躺着(?:赚|挣)"
            r"|刷单|刷信誉|点赞(?:赚|兼职)|垫付|打字(?:员|兼职)|在家(?:轻松|就能|即可)?(?:赚|挣)"
            r"|手工活?外发|日(?:赚|挣|入)[5-9]\d{2}|日(?:赚|挣|入)[1-9]\d{3}"
            r"|一天(?:赚|挣)\d{3,}|无需经验.{0,6}(?:高薪|月入|日入)"
        ),
    ),
)

"""Requirements a job or gig ad may not make (就业促进法 第三章, 妇女权益保障法 第四十三条,
人力资源市场暂行条例 第二十四条, 人社部等《关于进一步规范招聘行为促进妇女就业的通知》).

Explicit requirements ("限男性", "已婚已育", "限本地户口", "乙肝勿扰") are refused: the poster must
change the text. So is "男性优先", which 妇女权益保障法 第四十三条 names outright. Other stated
preferences ("女士优先", "本地人优先", "已婚优先") go to staff review. Phrases that only look alike
("男女不限", "民族街道", "单身宿舍", "生育保险", "残疾人优先") pass: they are masked before matching
or simply fall outside the patterns, and the tests pin each of them.
"""

from __future__ import annotations

import re

from app.moderation.findings import Severity, TextRule

REFUSE, REVIEW = Severity.REFUSE, Severity.REVIEW

# Words that turn what follows into a requirement, a rejection, or a preference.
_ONLY = (
    r"(?:仅限|只限|只招|仅招|只要|仅要|只收|仅收|只录用|(?<![不无上期时年权有界极局])限定?|要求"
    r"|必须是|必须为|必须|(?<![无不])须为|(?<![无不])须是|(?<![无不必])须|(?<![无不])需为"
    r"|(?<![无不])需是|(?<![无不])需):?"
)
_REJECT = r"(?:不招|不要|不收|不录用|不聘用|不接受|不考虑|谢绝|拒绝|拒收)"
_KEEP_AWAY = r"(?:勿扰|莫扰|免谈|不要|不招|不收|不录用|不考虑|除外|绕道|免进)"
_PREFER = r"(?:优先|为主|更佳|最佳|最好)"

# Phrases that contain the words below but restrict nobody; masked before matching.
BENIGN = re.compile(
    r"男女不限|不限男女|男女均可|男女皆可|男女都可|性别不限|不限性别|男女老少|男女同工同酬|男女平等"
    r"|男女比例|男装|女装|男鞋|女鞋|男科|妇科|民族不限|不限民族|户籍不限|不限户籍|户口不限|不限户口"
    r"|婚否不限|不限婚否|婚育不限|已婚未婚均可|宗教信仰自由"
)

_SEX = r"(?:男(?!女)|女)(?:性|士|生|的|孩|人|工|同志)?"
# A word standing alone in a list of requirements ("女,25岁以下", "女性,未婚,本科").
_ALONE_BEFORE = r"(?:^|(?<=[,;:]))"
_ALONE_AFTER = r"(?=$|[,;。]|\d)"
_ETHNIC = (
    r"(?:汉|蒙古|蒙|回|满|藏|维吾尔|维|壮|苗|彝|土家|朝鲜|达斡尔|鄂温克|鄂伦春|哈萨克|少数民)族"
)
_RELIGION = (
    r"(?:宗教信仰|宗教人士|信教(?:人员|者|群众)?|教徒|佛教徒?|基督教徒?|基督徒|天主教徒?"
    r"|伊斯兰教徒?|穆斯林|道教徒?)"
)
_MARRIED_AND = r"(?:已婚已育|已婚已孕|已婚未育|未婚未育|已婚有孩|已婚有子女)"
_MARITAL = rf"(?:{_MARRIED_AND}|已婚|未婚|已育|未育|离异|单身)"
_PREGNANT = r"(?:孕妇|孕期|怀孕|哺乳期)"
_HOME = (
    r"(?:本地|本市|本区|本县|本旗|当地|东胜区?|鄂尔多斯市?|内蒙古?|自治区|城镇|农村|非农业?|城市)"
)
_AWAY = (
    r"(?:外地|外省|外市|外县|外旗|外区|非本地|非本市|非本区|外来|农村|非东胜|非鄂尔多斯)"
    r"(?:人|人员|户口|户籍|务工人员|务工者)?"
)
_LOCAL = r"(?:本地|本市|本区|当地|东胜|鄂尔多斯)(?:人|籍|人员)"
_HUKOU = r"(?:户口|户籍)(?!本|簿|迁|所在|证明)"
_HBV = r"(?:乙肝|乙型肝炎|hbv|大三阳|小三阳)"
_DISABLED = r"(?:残疾人?|残障人?士?|肢残|聋哑人?)"


def _rule(code: str, severity: Severity, message: str, *alternatives: str) -> TextRule:
    pattern = re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)
    return TextRule(code, severity, message, pattern)


RULES: tuple[TextRule, ...] = (
    _rule(
        "discrimination.sex",
        REFUSE,
        "招聘信息不得限定性别或规定男性优先（如“限男性”“女士勿扰”“男性优先”），请删除相关要求",
        _ONLY + _SEX,
        r"男(?!女)(?:性|士|生|的|孩|人|工|同志)?" + _PREFER,
        _REJECT + _SEX,
        _SEX + _KEEP_AWAY,
        r"性别(?:要求|限制|限定)?:?(?:男|女)",
        _ALONE_BEFORE + r"(?:男|女)(?:性|士|生)?" + _ALONE_AFTER,
        _ONLY + r"(?:宝妈|宝爸)",
    ),
    _rule(
        "discrimination.sex",
        REVIEW,
        "招聘信息不宜表达性别偏好（如“女士优先”），将由工作人员审核",
        r"女(?:性|士|生|的|孩|人|工|同志)?" + _PREFER,
        r"(?:招聘?|急招|诚聘|招收)(?:男(?!女)|女)(?:性|士|生|工)?",
        r"(?:宝妈|宝爸)" + _PREFER,
    ),
    _rule(
        "discrimination.ethnicity",
        REFUSE,
        "招聘信息不得以民族为由限定或排斥求职者，请删除相关要求",
        _ONLY + _ETHNIC,
        _REJECT + _ETHNIC,
        _ETHNIC + r"(?:人|人士|同胞|者)?" + _KEEP_AWAY,
        r"民族(?:要求|限制)?:(?:汉|蒙古?|回|满|藏)",
    ),
    _rule(
        "discrimination.ethnicity",
        REVIEW,
        "招聘信息不宜表达民族偏好，将由工作人员审核",
        _ETHNIC + _PREFER,
        _ALONE_BEFORE + _ETHNIC + _ALONE_AFTER,
    ),
    _rule(
        "discrimination.religion",
        REFUSE,
        "招聘信息不得以宗教信仰为由限定或排斥求职者，请删除相关要求",
        _ONLY + r"(?:信仰|信奉)?" + _RELIGION,
        _REJECT + _RELIGION,
        _RELIGION + r"(?:人士|者|人员)?" + _KEEP_AWAY,
        r"(?:无|没有|不得有|不能有|不可有|不允许有)宗教信仰",
        r"不信(?:教|宗教|仰宗教)",
    ),
    _rule(
        "discrimination.religion",
        REVIEW,
        "招聘信息不宜表达宗教信仰偏好，将由工作人员审核",
        _RELIGION + _PREFER,
    ),
    _rule(
        "discrimination.marriage_childbearing",
        REFUSE,
        "招聘信息不得限定婚姻、生育状况（如“已婚已育”“两年内不生育”），请删除相关要求",
        _ONLY + _MARITAL,
        _MARRIED_AND + f"(?!{_PREFER})",
        _ALONE_BEFORE + r"(?:已婚|未婚|已育|未育|离异)" + _ALONE_AFTER,
        _REJECT + f"(?:{_MARITAL}|{_PREGNANT})",
        f"(?:{_MARITAL}|{_PREGNANT})(?:者|人员|女性|人士)?" + _KEEP_AWAY,
        r"(?:不能|不得|不准|不允许|不可以|禁止|不|无)(?:生育|怀孕|要孩子|生孩子|生小孩|生二胎|要二胎)",
        r"(?:无|没有)(?:生育|怀孕|婚育|结婚)(?:计划|打算)",
        r"\d+年内?不(?:结婚|婚)",
        r"怀孕(?:即|就|则|后)?(?:辞退|解聘|开除|自动离职|离职)",
        r"不孕(?!不育|症|科)",
        r"(?:入职|体检)[^，。；,;]{0,6}(?:验孕|妊娠|怀孕|孕检)",
    ),
    _rule(
        "discrimination.marriage_childbearing",
        REVIEW,
        "招聘信息不宜表达婚姻、生育状况偏好（如“已婚优先”），将由工作人员审核",
        _MARITAL + _PREFER,
        r"已婚|未婚|已育|未育",
    ),
    _rule(
        "discrimination.household_registration",
        REFUSE,
        "招聘信息不得限定户籍（如“限本地户口”），请删除相关要求",
        _ONLY + r"(?:具有|持有|拥有|为|是)?" + _HOME + "?" + _HUKOU,
        _ONLY + _LOCAL,
        _AWAY + _KEEP_AWAY,
        _REJECT + _AWAY,
    ),
    _rule(
        "discrimination.household_registration",
        REVIEW,
        "招聘信息涉及户籍条件，将由工作人员审核",
        _HOME + "?" + _HUKOU + _PREFER,
        _LOCAL + _PREFER,
        r"(?<!协助)(?<!办理)(?<!解决)(?<!落实)" + _HOME + _HUKOU + f"(?!{_PREFER})",
    ),
    _rule(
        "discrimination.hepatitis_b",
        REFUSE,
        "招聘信息不得以乙肝病毒携带为由拒绝录用，也不得要求乙肝检测，请删除相关要求",
        _HBV + r"(?:病毒)?(?:携带者?|阳性|患者|病人)?(?:者|人员)?" + _KEEP_AWAY,
        _REJECT + _HBV,
        r"(?:无|非|没有|不是|不能是|不得是|不能有|不得有)(?:乙肝|乙型肝炎|hbv|大三阳|小三阳)",
        r"(?:乙肝|乙型肝炎|hbv)(?:五项|两对半|表面抗原)?(?:检查|检测|筛查|化验)?(?:阴性|正常|合格|无异常)",
        r"(?:检查|检测|筛查|化验|查)(?:乙肝|乙型肝炎|两对半|hbv)",
        r"两对半(?:检查|检测|阴性|正常)",
        r"体检[^，。；,;]{0,6}(?:乙肝|两对半|hbv)",
    ),
    _rule(
        "discrimination.disability",
        REFUSE,
        "招聘信息不得排斥残疾人，请删除相关要求",
        _DISABLED + r"(?:人士|者|人员)?" + _KEEP_AWAY,
        _REJECT + _DISABLED,
    ),
)


def mask_benign(text: str) -> str:
    """``text`` with benign look-alike phrases blanked out, keeping every offset."""
    return BENIGN.sub(lambda m: "□" * len(m.group()), text)

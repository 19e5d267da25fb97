"""Demo gig postings and gig worker profiles, built from the skill taxonomy."""

from __future__ import annotations

import random
from datetime import time
from functools import cache

from app.demo import vocabulary as words
from app.demo.records import DemoGig, DemoWorker, Settlement, WorkerSkill
from app.demo.sampling import jitter, person_name, round_fen, weighted
from app.taxonomy import Area, AreaKind, PayUnit, Skill, SkillLevel, certificates_by_code, skills
from app.taxonomy.pay import format_pay

_HOURLY_GROUPS = frozenset({"cleaning", "care", "catering", "other"})
_PIECE_GROUPS = frozenset({"moving"})
_LEVEL_WANTED = {
    SkillLevel.JUNIOR: "有相关经验即可，新手可带",
    SkillLevel.INTERMEDIATE: "有2年以上相关经验",
    SkillLevel.SENIOR: "需熟练掌握相关技能，能独立完成",
}
_SETTLEMENT_TEXT: dict[Settlement, str] = {
    "same_day": "当天完工当天结算",
    "on_completion": "完工验收后结算",
}
_WEEKDAY_PATTERNS = ((0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4), (5, 6))


@cache
def _skill_weights() -> tuple[int, ...]:
    return tuple(words.SKILL_DEMAND.get(s.code, 1) for s in skills())


def _area_for(rng: random.Random, areas: tuple[Area, ...], skill: Skill) -> Area:
    in_town = skill.group in words.TOWN_SKILL_GROUPS
    return weighted(rng, areas, [3 if (a.kind is AreaKind.TOWN) == in_town else 1 for a in areas])


def _gig_pay(rng: random.Random, skill: Skill) -> tuple[int, PayUnit]:
    daily = rng.uniform(skill.day_pay_p10_fen, skill.day_pay_p90_fen)
    roll = rng.random()
    if skill.group in _HOURLY_GROUPS and roll < 0.4:
        return round_fen(daily / 8 * rng.uniform(1.0, 1.2), 1), PayUnit.HOUR
    if skill.group in _PIECE_GROUPS and roll < 0.2:
        return round_fen(daily * rng.uniform(0.4, 0.8), 10), PayUnit.PIECE
    return round_fen(daily, 10), PayUnit.DAY


def _required_certificates(rng: random.Random, skill: Skill) -> tuple[str, ...]:
    if skill.licensed:
        return (skill.certificates[0],)
    if skill.certificates and rng.random() < 0.3:
        return (rng.choice(skill.certificates),)
    return ()


def make_gig(rng: random.Random, areas: tuple[Area, ...]) -> DemoGig:
    """One gig posting: one or two skills, a time window in the next two weeks, pay and place."""
    skill = weighted(rng, skills(), _skill_weights())
    codes = [skill.code]
    if rng.random() < 0.15:
        same_group = [s.code for s in skills() if s.group == skill.group and s.code != skill.code]
        codes.extend(rng.sample(same_group, min(1, len(same_group))))
    level = weighted(rng, tuple(SkillLevel), (6, 3, 1) if not skill.licensed else (2, 3, 1))
    required = _required_certificates(rng, skill)
    start_hour, end_hour = rng.choice(words.GIG_TIME_WINDOWS)
    headcount = rng.choice((1, 1, 2, 2, 3, 5, 8))
    pay_fen, unit = _gig_pay(rng, skill)
    settlement: Settlement = "same_day" if rng.random() < 0.6 else "on_completion"
    area = _area_for(rng, areas, skill)
    lat, lng = jitter(rng, area)
    task = rng.choice(skill.tasks)
    title = rng.choice((task, f"{task}{headcount}人", f"{task}（{area.name}）"))
    wanted = _LEVEL_WANTED[level]
    if required:
        wanted += "，须持有" + "、".join(certificates_by_code()[c].name for c in required)
    description = (
        f"工作内容：{task}，{start_hour}:00-{end_hour}:00。要求：{wanted}。"
        f"薪酬：{format_pay(pay_fen, pay_fen, unit)}，{_SETTLEMENT_TEXT[settlement]}。"
        f"{rng.choice(words.GIG_EXTRAS)}"
    )
    return DemoGig(
        title=title,
        description=description,
        skill_codes=tuple(codes),
        min_level=level,
        certificate_codes=required,
        occupation_code=skill.occupation,
        start_offset_days=rng.randint(0, 13),
        days=weighted(rng, (1, 2, 3), (7, 2, 1)),
        start_time=time(start_hour),
        end_time=time(end_hour),
        headcount=headcount,
        pay_fen=pay_fen,
        pay_unit=unit,
        settlement=settlement,
        area_code=area.code,
        lat=lat,
        lng=lng,
        contact_name=person_name(rng),
    )


def _worker_skill(rng: random.Random, skill: Skill) -> WorkerSkill:
    level = weighted(rng, tuple(SkillLevel), (10, 7, 3))
    held: tuple[str, ...] = ()
    if skill.licensed and rng.random() < 0.85:
        held = (skill.certificates[0],)
    elif skill.certificates and rng.random() < 0.4:
        held = (rng.choice(skill.certificates),)
    return WorkerSkill(skill_code=skill.code, level=level, certificate_codes=held)


def _weekdays(rng: random.Random) -> tuple[int, ...]:
    if rng.random() < 0.6:
        return rng.choice(_WEEKDAY_PATTERNS)
    return tuple(sorted(rng.sample(range(7), rng.randint(3, 5))))


def make_worker(rng: random.Random, areas: tuple[Area, ...], key: str) -> DemoWorker:
    """One worker: one to three skills, a weekly availability, a home and a travel radius."""
    primary = weighted(rng, skills(), _skill_weights())
    chosen = [primary]
    for _ in range(weighted(rng, (0, 1, 2), (4, 4, 2))):
        extra = rng.choice(skills())
        if extra not in chosen:
            chosen.append(extra)
    start_hour, end_hour = rng.choice(words.WORKER_TIME_WINDOWS)
    area = _area_for(rng, areas, primary)
    lat, lng = jitter(rng, area)
    expected = rng.uniform(primary.day_pay_p10_fen, primary.day_pay_p90_fen)
    return DemoWorker(
        key=key,
        name=person_name(rng),
        skills=tuple(_worker_skill(rng, s) for s in chosen),
        weekdays=_weekdays(rng),
        start_time=time(start_hour),
        end_time=time(end_hour) if end_hour < 24 else time(23, 59),
        accepts_same_day=rng.random() < 0.6,
        area_code=area.code,
        lat=lat,
        lng=lng,
        travel_radius_km=rng.choice((3, 5, 5, 10, 10, 15, 20, 30)),
        expected_day_pay_fen=round_fen(expected, 10),
    )

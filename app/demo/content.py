"""Deterministic, realistic demo content: employers, job postings, gigs and gig workers.

``DemoContent(seed)`` yields the same records for the same seed on every machine (each stream has
its own ``random.Random``, so asking for workers does not change the jobs). Everything is built
from the taxonomy with string templates only — no segmentation, no I/O — so the bench loaders can
draw hundreds of thousands of records in seconds. Generated text never breaks the moderation rules,
and pay stays inside each occupation's typical range (the tests check both).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from app.demo import vocabulary as words
from app.demo.gig_content import make_gig, make_worker
from app.demo.records import (
    DemoEmployer,
    DemoGig,
    DemoJob,
    DemoWorker,
    EmployerKind,
    SizeClass,
)
from app.demo.sampling import jitter, person_name, round_fen, weighted
from app.employers.credit_code import check_character
from app.taxonomy import (
    Area,
    AreaKind,
    EducationLevel,
    JobType,
    Occupation,
    PayUnit,
    areas,
    benefits_by_code,
    certificates_by_code,
    industries,
    occupations,
)

__all__ = ["DemoContent", "DemoEmployer", "DemoGig", "DemoJob", "DemoWorker"]


def demo_credit_code(seed: int, index: int, prefix: str) -> str:
    """A valid, clearly synthetic code: Dongsheng's region code and an organisation part "DE…"."""
    body = f"{prefix}150602DE{seed % 100:02d}{index:05d}"
    return body + check_character(body)


class DemoContent:
    """Demo records for one seed; ``employers`` come first, jobs then refer to them by key.

    ``employers`` holds ``employer_count`` employers, but at least one in every industry that an
    occupation belongs to (about 30), so that every job finds a plausible employer.
    """

    def __init__(self, seed: int = 0, *, employer_count: int = 500) -> None:
        if not 0 <= employer_count < 100_000:
            raise ValueError("employer_count must be below 100,000")
        self.seed = seed
        self._occupations = occupations()
        self._occupation_weights = [
            words.OCCUPATION_DEMAND.get(o.code, 1) for o in self._occupations
        ]
        self._areas = areas()
        self._areas_by_code = {a.code: a for a in self._areas}
        self._area_weights = [3 if a.kind is AreaKind.STREET else 1 for a in self._areas]
        self._job_rng = random.Random(f"{seed}:jobs")
        self._gig_rng = random.Random(f"{seed}:gigs")
        self._worker_rng = random.Random(f"{seed}:workers")
        self._worker_count = 0
        self.employers = self._make_employers(random.Random(f"{seed}:employers"), employer_count)
        self._by_industry: dict[str, list[DemoEmployer]] = {}
        for employer in self.employers:
            self._by_industry.setdefault(employer.industry_code, []).append(employer)

    # --- employers -------------------------------------------------------------------------

    def _make_employers(self, rng: random.Random, count: int) -> tuple[DemoEmployer, ...]:
        demand: dict[str, int] = {}
        for occupation, weight in zip(self._occupations, self._occupation_weights, strict=True):
            for industry in occupation.industries:
                demand[industry] = demand.get(industry, 0) + weight
        # One employer in every industry a job can need, then the rest by demand.
        codes = [i.code for i in industries() if i.code in demand]
        chosen = codes + rng.choices(
            codes, [demand[c] for c in codes], k=max(0, count - len(codes))
        )
        taken: set[str] = set()
        return tuple(self._employer(rng, i, code, taken) for i, code in enumerate(chosen))

    def _employer(
        self, rng: random.Random, index: int, industry: str, taken: set[str]
    ) -> DemoEmployer:
        kind = _employer_kind(rng, industry)
        area = weighted(rng, self._areas, self._area_weights)
        name = _employer_name(rng, kind, industry)
        if name in taken:  # names repeat after a few hundred employers: add a branch
            name = f"{name}{area.short_name}分部{index}"
        taken.add(name)
        lat, lng = jitter(rng, area)
        prefix = {"individual_business": "92", "public_institution": "12"}.get(kind, "91")
        size: SizeClass = (
            "micro"
            if kind == "individual_business"
            else weighted(rng, ("micro", "small", "medium", "large"), (3, 4, 2, 1))
        )
        return DemoEmployer(
            key=f"demo-employer-{self.seed}-{index}",
            name=name,
            credit_code=demo_credit_code(self.seed, index, prefix),
            kind=kind,
            size_class=size,
            industry_code=industry,
            area_code=area.code,
            address=f"东胜区{area.name}{rng.choice(words.ROADS)}{rng.randint(1, 199)}号",
            lat=lat,
            lng=lng,
            contact_name=person_name(rng),
        )

    # --- jobs ------------------------------------------------------------------------------

    def job(self) -> DemoJob:
        """One job posting by one of ``employers``."""
        rng = self._job_rng
        occupation = weighted(rng, self._occupations, self._occupation_weights)
        industry = (
            occupation.industries[0] if rng.random() < 0.7 else rng.choice(occupation.industries)
        )
        employer = rng.choice(self._by_industry[industry])
        job_type = _job_type(rng, occupation)
        pay_min, pay_max, unit = _job_pay(rng, occupation, job_type)
        education = _education(rng, occupation.education)
        experience = 0 if job_type is JobType.INTERNSHIP else rng.choice((0, 0, 0, 1, 1, 2, 3, 5))
        benefits = _benefits(rng, job_type)
        # Most jobs are at the employer's address; some at a branch elsewhere in the district.
        area, lat, lng = self._areas_by_code[employer.area_code], employer.lat, employer.lng
        if rng.random() < 0.2:
            area = weighted(rng, self._areas, self._area_weights)
            lat, lng = jitter(rng, area)
        return DemoJob(
            employer_key=employer.key,
            title=_job_title(rng, occupation, job_type, area, benefits),
            description=_job_description(
                rng, occupation, job_type, education, experience, benefits, area
            ),
            occupation_code=occupation.code,
            industry_code=industry,
            job_type=job_type,
            pay_min_fen=pay_min,
            pay_max_fen=pay_max,
            pay_unit=unit,
            headcount=rng.choice((1, 1, 2, 2, 3, 5, 10, 20)),
            education=education,
            experience_years=experience,
            benefits=benefits,
            open_to_graduates=job_type is JobType.INTERNSHIP
            or rng.random() < (0.5 if education.rank >= EducationLevel.ASSOCIATE.rank else 0.15),
            area_code=area.code,
            lat=lat,
            lng=lng,
            posted_days_ago=min(59, int(rng.expovariate(1 / 7))),
        )

    def jobs(self, count: int) -> Iterator[DemoJob]:
        for _ in range(count):
            yield self.job()

    # --- gigs and workers ------------------------------------------------------------------

    def gig(self) -> DemoGig:
        """One gig posting somewhere in the district."""
        return make_gig(self._gig_rng, self._areas)

    def gigs(self, count: int) -> Iterator[DemoGig]:
        for _ in range(count):
            yield self.gig()

    def worker(self) -> DemoWorker:
        """One gig worker profile; keys number the workers of this seed from 0."""
        key = f"demo-worker-{self.seed}-{self._worker_count}"
        self._worker_count += 1
        return make_worker(self._worker_rng, self._areas, key)

    def workers(self, count: int) -> Iterator[DemoWorker]:
        for _ in range(count):
            yield self.worker()


def _employer_kind(rng: random.Random, industry: str) -> EmployerKind:
    if industry == "hr_services":
        return "hr_agency"
    if industry in words.INSTITUTIONS and rng.random() < 0.5:
        return "public_institution"
    if industry in ("energy_chemical", "coal_mining") and rng.random() < 0.3:
        return "state_owned"
    if industry in words.SHOPS and rng.random() < 0.4:
        return "individual_business"
    return "enterprise"


def _employer_name(rng: random.Random, kind: EmployerKind, industry: str) -> str:
    brand = rng.choice(words.BRANDS)
    if kind == "public_institution":
        return f"示例·东胜区{brand}{rng.choice(words.INSTITUTIONS[industry])}"
    if kind == "individual_business":
        return f"示例·东胜区{brand}{rng.choice(words.SHOPS[industry])}"
    suffix = "集团有限公司" if kind == "state_owned" else rng.choice(("有限公司", "有限责任公司"))
    return f"示例·东胜{brand}{rng.choice(words.TRADES[industry])}{suffix}"


def _job_type(rng: random.Random, occupation: Occupation) -> JobType:
    roll = rng.random()
    if roll < 0.3 and occupation.code in words.PART_TIME_OCCUPATIONS:
        return JobType.PART_TIME
    if roll > 0.93 and occupation.education.rank >= EducationLevel.ASSOCIATE.rank:
        return JobType.INTERNSHIP
    return JobType.FULL_TIME


def _job_pay(
    rng: random.Random, occupation: Occupation, job_type: JobType
) -> tuple[int, int, PayUnit]:
    p10, p90 = occupation.pay_p10_fen, occupation.pay_p90_fen
    if job_type is JobType.INTERNSHIP:
        low = round_fen(max(227_000, p10 * 0.7), 100)
        return low, round_fen(low * 1.2, 100), PayUnit.MONTH
    monthly = rng.uniform(p10, p10 + 0.5 * (p90 - p10))
    if job_type is JobType.PART_TIME:
        if rng.random() < 0.5:
            hourly = round_fen(monthly / 174 * rng.uniform(1.0, 1.3), 1)
            return hourly, hourly + rng.choice((0, 0, 500, 1000)), PayUnit.HOUR
        daily = round_fen(monthly / 21.75 * rng.uniform(1.0, 1.3), 10)
        return daily, daily + rng.choice((0, 2000, 5000)), PayUnit.DAY
    low = round_fen(monthly, 100)
    high = max(low + 50_000, round_fen(min(low * rng.uniform(1.15, 1.6), p90 * 1.3), 100))
    return low, high, PayUnit.MONTH


def _education(rng: random.Random, typical: EducationLevel) -> EducationLevel:
    levels = tuple(EducationLevel)
    shift = weighted(rng, (-1, 0, 1), (2, 7, 1))
    return levels[min(max(typical.rank + shift, 0), len(levels) - 1)]


def _benefits(rng: random.Random, job_type: JobType) -> tuple[str, ...]:
    if job_type is not JobType.FULL_TIME:
        pool = ("meal_allowance", "transport_allowance", "meals", "housing")
        return tuple(rng.sample(pool, rng.randint(0, 2)))
    chosen = [
        weighted(rng, ("social_insurance_fund", "social_insurance", ""), (5, 4, 1)),
        weighted(rng, ("room_and_board", "housing", "meals", ""), (2, 2, 1, 5)),
    ]
    exclusive = {"social_insurance_fund", "social_insurance", "room_and_board", "housing", "meals"}
    rest = [code for code in benefits_by_code() if code not in exclusive]
    chosen.extend(rng.sample(rest, rng.randint(0, 4)))
    return tuple(code for code in chosen if code)


def _job_title(
    rng: random.Random,
    occupation: Occupation,
    job_type: JobType,
    area: Area,
    benefits: tuple[str, ...],
) -> str:
    name = rng.choice(occupation.terms) if rng.random() < 0.2 else occupation.name
    if job_type is JobType.INTERNSHIP:
        return f"{name}实习生"
    if job_type is JobType.PART_TIME:
        return f"{name}（兼职）"
    pattern = rng.choice(words.TITLE_PATTERNS)
    if "{benefit}" in pattern and not benefits:
        pattern = "{name}"
    benefit = benefits_by_code()[benefits[0]].name if benefits else ""
    return pattern.format(name=name, area=area.name, benefit=benefit)


def _job_description(
    rng: random.Random,
    occupation: Occupation,
    job_type: JobType,
    education: EducationLevel,
    experience: int,
    benefits: tuple[str, ...],
    area: Area,
) -> str:
    sentences = [f"岗位职责：{'；'.join(occupation.duties)}。"]
    schooling = "学历不限" if education is EducationLevel.NONE else f"{education.label}及以上学历"
    seniority = "经验不限" if experience == 0 else f"有{experience}年以上相关工作经验"
    wants = [schooling, seniority, rng.choice(words.TRAITS)]
    if occupation.certificates:
        certificate = certificates_by_code()[rng.choice(occupation.certificates)].name
        wants.append(f"持有{certificate}")
    if job_type is JobType.INTERNSHIP:
        wants[1] = "欢迎应届毕业生"
    sentences.append(f"任职要求：{'，'.join(wants)}。")
    if benefits:
        names = "、".join(benefits_by_code()[code].name for code in benefits)
        sentences.append(f"福利待遇：{names}。")
    if rng.random() < 0.6:
        schedules = (
            words.SCHEDULES if job_type is not JobType.PART_TIME else words.PART_TIME_SCHEDULES
        )
        sentences.append(f"工作地点：东胜区{area.name}，{rng.choice(schedules)}。")
    return "".join(sentences)

"""Demo content: reproducible, consistent with the taxonomy, and clean under the posting rules."""

from __future__ import annotations

import pytest

from app.core.geo import haversine_km
from app.demo.content import DemoContent
from app.demo.records import DemoGig, DemoJob
from app.demo.sampling import JITTER_KM
from app.employers.credit_code import validate_credit_code
from app.moderation.rules import check_posting
from app.taxonomy import (
    JobType,
    PayUnit,
    areas_by_code,
    benefits_by_code,
    certificates_by_code,
    get_occupation,
    industries_by_code,
    skills_by_code,
    to_monthly_fen,
)

JOBS = 3_000
GIGS = 1_000
WORKERS = 1_000


@pytest.fixture(scope="module")
def content() -> DemoContent:
    return DemoContent(seed=7, employer_count=300)


@pytest.fixture(scope="module")
def jobs(content: DemoContent) -> list[DemoJob]:
    return list(content.jobs(JOBS))


@pytest.fixture(scope="module")
def gigs(content: DemoContent) -> list[DemoGig]:
    return list(content.gigs(GIGS))


def test_same_seed_same_content() -> None:
    first, second = DemoContent(seed=3, employer_count=50), DemoContent(seed=3, employer_count=50)
    assert first.employers == second.employers
    assert list(first.jobs(200)) == list(second.jobs(200))
    assert list(first.gigs(100)) == list(second.gigs(100))
    assert list(first.workers(100)) == list(second.workers(100))


def test_streams_are_independent() -> None:
    plain, mixed = DemoContent(seed=3, employer_count=50), DemoContent(seed=3, employer_count=50)
    list(mixed.workers(20))
    list(mixed.gigs(20))
    assert list(plain.jobs(50)) == list(mixed.jobs(50))


def test_different_seeds_differ() -> None:
    one, two = DemoContent(seed=1, employer_count=50), DemoContent(seed=2, employer_count=50)
    assert list(one.jobs(20)) != list(two.jobs(20))


def test_employers_are_valid_unique_and_fictional(content: DemoContent) -> None:
    employers = content.employers
    assert len(employers) == 300
    assert len({e.key for e in employers}) == len({e.credit_code for e in employers}) == 300
    assert len({e.name for e in employers}) == 300
    for employer in employers:
        assert validate_credit_code(employer.credit_code) == employer.credit_code
        assert employer.name.startswith("示例·东胜")
        assert employer.industry_code in industries_by_code()
        area = areas_by_code()[employer.area_code]
        assert haversine_km(area.lat, area.lng, employer.lat, employer.lng) <= JITTER_KM + 0.01


def test_every_job_passes_the_posting_rules(jobs: list[DemoJob]) -> None:
    for job in jobs:
        findings = check_posting(
            job.title,
            job.description,
            occupation_code=job.occupation_code,
            pay_min_fen=job.pay_min_fen,
            pay_max_fen=job.pay_max_fen,
            pay_unit=job.pay_unit,
        )
        assert findings == [], (job.title, job.description, findings)


def test_every_gig_passes_the_posting_rules(gigs: list[DemoGig]) -> None:
    for gig in gigs:
        findings = check_posting(
            gig.title,
            gig.description,
            occupation_code=gig.occupation_code,
            pay_min_fen=gig.pay_fen,
            pay_max_fen=gig.pay_fen,
            pay_unit=gig.pay_unit,
        )
        assert findings == [], (gig.title, gig.description, findings)


def test_jobs_are_consistent_with_the_taxonomy(content: DemoContent, jobs: list[DemoJob]) -> None:
    employers = {e.key: e for e in content.employers}
    for job in jobs:
        occupation = get_occupation(job.occupation_code)
        assert occupation is not None
        assert job.industry_code in occupation.industries
        assert employers[job.employer_key].industry_code == job.industry_code
        assert all(code in benefits_by_code() for code in job.benefits)
        assert 2 <= job.description.count("。") <= 4
        assert job.headcount >= 1 and 0 <= job.posted_days_ago < 60
        area = areas_by_code()[job.area_code]
        assert haversine_km(area.lat, area.lng, job.lat, job.lng) <= JITTER_KM + 0.01


def test_job_pay_fits_the_occupation(jobs: list[DemoJob]) -> None:
    for job in jobs:
        occupation = get_occupation(job.occupation_code)
        assert occupation is not None
        assert 0 < job.pay_min_fen <= job.pay_max_fen
        monthly = to_monthly_fen(job.pay_max_fen, job.pay_unit)
        assert monthly is not None and monthly <= 1.5 * occupation.pay_p90_fen, job
        if job.job_type is JobType.FULL_TIME:
            assert job.pay_unit is PayUnit.MONTH
            assert job.pay_min_fen >= occupation.pay_p10_fen - 10_000


def test_job_mix_looks_real(jobs: list[DemoJob]) -> None:
    kinds = {job.job_type for job in jobs}
    assert kinds == set(JobType)
    assert len({job.occupation_code for job in jobs}) > 120
    assert len({job.area_code for job in jobs}) == len(areas_by_code())
    couriers = [job for job in jobs if job.occupation_code == "courier"]
    assert len(couriers) > len(jobs) / 100  # demand weights make common jobs common


def test_gigs_are_consistent_with_the_taxonomy(gigs: list[DemoGig]) -> None:
    for gig in gigs:
        skills = [skills_by_code()[code] for code in gig.skill_codes]
        assert all(code in certificates_by_code() for code in gig.certificate_codes)
        if skills[0].licensed:
            assert gig.certificate_codes
        assert gig.start_time < gig.end_time
        assert 0 <= gig.start_offset_days <= 13 and 1 <= gig.days <= 3
        assert gig.pay_fen > 0 and gig.headcount >= 1
        area = areas_by_code()[gig.area_code]
        assert haversine_km(area.lat, area.lng, gig.lat, gig.lng) <= JITTER_KM + 0.01


def test_workers_are_consistent(content: DemoContent) -> None:
    workers = list(DemoContent(seed=7, employer_count=30).workers(WORKERS))
    assert len({w.key for w in workers}) == WORKERS
    for worker in workers:
        assert 1 <= len(worker.skills) <= 3
        assert len({s.skill_code for s in worker.skills}) == len(worker.skills)
        for skill in worker.skills:
            entry = skills_by_code()[skill.skill_code]
            assert set(skill.certificate_codes) <= set(entry.certificates)
        assert worker.weekdays and all(0 <= day <= 6 for day in worker.weekdays)
        assert list(worker.weekdays) == sorted(set(worker.weekdays))
        assert worker.start_time < worker.end_time
        assert worker.travel_radius_km > 0 and worker.expected_day_pay_fen > 0
        assert 2 <= len(worker.name) <= 5


def test_employer_count_bounds() -> None:
    with pytest.raises(ValueError):
        DemoContent(employer_count=100_000)

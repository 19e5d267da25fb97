"""The plain records the demo generator produces; loaders map them onto the domain models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal

from app.taxonomy.enums import EducationLevel, JobType, PayUnit, SkillLevel

EmployerKind = Literal[
    "enterprise", "hr_agency", "individual_business", "public_institution", "state_owned"
]
SizeClass = Literal["micro", "small", "medium", "large"]
Settlement = Literal["same_day", "on_completion"]


@dataclass(frozen=True, slots=True)
class DemoEmployer:
    key: str  # stable for a seed and position: "demo-employer-<seed>-<n>"
    name: str
    credit_code: str  # valid by GB 32100, unique within a seed
    kind: EmployerKind
    size_class: SizeClass
    industry_code: str
    area_code: str
    address: str
    lat: float
    lng: float
    contact_name: str


@dataclass(frozen=True, slots=True)
class DemoJob:
    employer_key: str
    title: str
    description: str
    occupation_code: str
    industry_code: str
    job_type: JobType
    pay_min_fen: int
    pay_max_fen: int
    pay_unit: PayUnit
    headcount: int
    education: EducationLevel
    experience_years: int  # minimum wanted; 0 = 经验不限
    benefits: tuple[str, ...]  # benefit codes
    open_to_graduates: bool
    area_code: str
    lat: float
    lng: float
    posted_days_ago: int


@dataclass(frozen=True, slots=True)
class DemoGig:
    title: str
    description: str
    skill_codes: tuple[str, ...]
    min_level: SkillLevel
    certificate_codes: tuple[str, ...]  # every one required
    occupation_code: str  # for the pay plausibility check
    start_offset_days: int  # first day, counted from "today" of the loader
    days: int
    start_time: time
    end_time: time
    headcount: int
    pay_fen: int
    pay_unit: PayUnit
    settlement: Settlement
    area_code: str
    lat: float
    lng: float
    contact_name: str


@dataclass(frozen=True, slots=True)
class WorkerSkill:
    skill_code: str
    level: SkillLevel
    certificate_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoWorker:
    key: str  # "demo-worker-<seed>-<n>"
    name: str
    skills: tuple[WorkerSkill, ...]
    weekdays: tuple[int, ...]  # 0 = Monday
    start_time: time
    end_time: time
    accepts_same_day: bool
    area_code: str
    lat: float
    lng: float
    travel_radius_km: int
    expected_day_pay_fen: int

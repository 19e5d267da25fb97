"""The copy of a person's data (个人信息副本, PIPL art. 45): one typed document."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field, JsonValue

from app.applications.resume_schemas import ResumeRead, ResumeSnapshot
from app.core.schemas import ReadSchema
from app.identity.schemas import ContactPreferences


class ExportProfile(ReadSchema):
    id: uuid.UUID
    wechat_openid: str
    nickname: str | None
    avatar_url: str | None
    gender: str
    phone: str | None = Field(description="完整手机号（本人副本不打码）")
    phone_bound_at: datetime | None
    roles: list[str]
    created_at: datetime
    last_login_at: datetime | None


class ExportRealName(ReadSchema):
    name: str
    id_number: str = Field(description="完整身份证号（本人副本不打码，读取留审计记录）")
    birth_date: date | None
    sex: str | None
    verified_at: datetime | None


class ExportJobApplication(ReadSchema):
    id: uuid.UUID
    job_id: uuid.UUID
    job_title: str
    employer_name: str
    status: str
    created_at: datetime
    status_changed_at: datetime
    resume_snapshot: ResumeSnapshot


class ExportEmployment(ReadSchema):
    job_id: uuid.UUID
    employer_id: uuid.UUID
    start_date: date
    contract_type: str
    contract_months: int | None
    created_at: datetime


class ExportInternship(ReadSchema):
    job_id: uuid.UUID
    employer_id: uuid.UUID
    start_date: date
    end_date: date
    agreed_months: int
    monthly_allowance_fen: int
    contract_signed_on: date | None
    left_on: date | None
    retained: bool | None


class ExportFavourite(ReadSchema):
    job_id: uuid.UUID
    created_at: datetime


class ExportSavedSearch(ReadSchema):
    id: uuid.UUID
    name: str
    criteria: dict[str, JsonValue] = Field(description="保存的岗位筛选条件（可能含位置 lat/lng）")
    created_at: datetime


class ExportJobReport(ReadSchema):
    job_id: uuid.UUID
    reason: str
    text: str
    status: str
    created_at: datetime


class ExportMembership(ReadSchema):
    employer_id: uuid.UUID
    employer_name: str
    role: str
    created_at: datetime


class ExportGigProfile(ReadSchema):
    skills: list[JsonValue]
    availability: list[JsonValue]
    home_lat: float
    home_lng: float
    area_code: str | None
    travel_radius_km: float
    expected_pay_fen: int | None
    expected_pay_unit: str | None
    accepts_same_day: bool
    completed_count: int
    cancelled_count: int
    rating_count: int
    rating_sum: int
    created_at: datetime


class ExportGigPosted(ReadSchema):
    id: uuid.UUID
    title: str
    status: str
    address: str
    contact_name: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime


class ExportGigApplication(ReadSchema):
    id: uuid.UUID
    gig_id: uuid.UUID
    origin: str
    status: str
    message: str
    created_at: datetime


class ExportGigBooking(ReadSchema):
    id: uuid.UUID
    gig_id: uuid.UUID
    status: str
    checked_in_at: datetime | None
    check_in_lat: float | None
    check_in_lng: float | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    payment_status: str
    paid_amount_fen: int | None
    dispute_reason: str | None
    created_at: datetime


class ExportGigRating(ReadSchema):
    booking_id: uuid.UUID
    rater_side: str
    score: int
    tags: list[str]
    comment: str
    created_at: datetime


class ExportAppointment(ReadSchema):
    id: uuid.UUID
    slot_id: uuid.UUID
    status: str
    note: str | None
    outcome: str | None
    outcome_note: str | None
    created_at: datetime


class ExportRegistration(ReadSchema):
    id: uuid.UUID
    event_id: uuid.UUID
    status: str
    checked_in_at: datetime | None
    created_at: datetime


class ExportEnrolment(ReadSchema):
    id: uuid.UUID
    course_id: uuid.UUID
    status: str
    attended_hours: int
    completed_on: date | None
    certificate_no: str | None
    created_at: datetime


class ExportComplaint(ReadSchema):
    id: uuid.UUID
    kind: str
    subject_kind: str
    subject_id: uuid.UUID
    description: str
    amount_fen: int | None
    status: str
    reply: str | None
    created_at: datetime


class ExportSubsidyApplication(ReadSchema):
    id: uuid.UUID
    policy_code: str
    applicant_kind: str
    period: str
    status: str
    facts: dict[str, JsonValue]
    note: str | None
    expected_amount_fen: int
    approved_amount_fen: int | None
    paid_on: date | None
    created_at: datetime


class ExportSubsidyAward(ReadSchema):
    application_id: uuid.UUID
    policy_code: str
    amount_fen: int
    year: int
    awarded_on: date


class ExportFile(ReadSchema):
    id: uuid.UUID
    purpose: str
    content_type: str
    size_bytes: int
    original_name: str | None
    created_at: datetime


class AccountExport(ReadSchema):
    """Everything the service holds about the caller."""

    exported_at: datetime
    profile: ExportProfile
    real_name: ExportRealName | None = Field(description="未实名时为 null")
    consents: ContactPreferences = Field(description="联系与消息授权")
    resume: ResumeRead | None
    job_applications: list[ExportJobApplication]
    employment: list[ExportEmployment]
    internships: list[ExportInternship]
    favourites: list[ExportFavourite]
    saved_searches: list[ExportSavedSearch]
    job_reports: list[ExportJobReport]
    employer_memberships: list[ExportMembership]
    gig_profile: ExportGigProfile | None
    gigs_posted: list[ExportGigPosted]
    gig_applications: list[ExportGigApplication]
    gig_bookings: list[ExportGigBooking]
    gig_ratings_given: list[ExportGigRating]
    gig_ratings_received: list[ExportGigRating]
    appointments: list[ExportAppointment]
    event_registrations: list[ExportRegistration]
    training_enrolments: list[ExportEnrolment]
    complaints: list[ExportComplaint]
    subsidy_applications: list[ExportSubsidyApplication]
    subsidy_awards: list[ExportSubsidyAward]
    files: list[ExportFile]

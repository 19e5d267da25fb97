"""Job postings, their cached poster codes, favourites and reports.

``status`` is what staff and posters decide (pending_review → published / rejected, → closed);
expiry is computed in queries (``valid_until`` before today in Asia/Shanghai), never stored, so a
job stops being listed and applicable at midnight without a worker. ``expire_jobs`` in the service
turns expired rows into ``closed`` for tidiness.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of
from app.taxonomy import get_occupation

JOB_TYPES = ("full_time", "part_time", "internship")
SALARY_UNITS = ("month", "day", "hour")
JOB_STATUSES = ("pending_review", "published", "rejected", "closed")
REPORT_REASONS = ("fake_job", "discrimination", "wage_arrears", "other")
REPORT_STATUSES = ("open", "upheld", "dismissed")

PUBLISHED = "status = 'published'"


def _category_of_occupation(context: Any) -> str:
    """Insert default: the taxonomy category of the row's occupation."""
    occupation = get_occupation(context.get_current_parameters().get("occupation_code") or "")
    return occupation.category if occupation is not None else "other"


class Job(UUIDPrimaryKey, Timestamps, Base):
    """A job posting of a verified employer."""

    __tablename__ = "job"

    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employer.id", ondelete="CASCADE"))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    occupation_code: Mapped[str] = mapped_column(String(40))
    # Derived from the occupation (taxonomy), stored for the category filter.
    occupation_category: Mapped[str] = mapped_column(String(40), default=_category_of_occupation)
    industry_code: Mapped[str] = mapped_column(String(40))
    job_type: Mapped[str] = mapped_column(String(20))
    internship_months: Mapped[int | None] = mapped_column(SmallInteger)
    internship_allowance_fen: Mapped[int | None] = mapped_column(Integer)
    salary_min_fen: Mapped[int] = mapped_column(Integer)
    salary_max_fen: Mapped[int] = mapped_column(Integer)
    salary_unit: Mapped[str] = mapped_column(String(10))
    # Monthly equivalents (see app.jobs.salary) so filters and sorting compare like with like.
    monthly_salary_min_fen: Mapped[int] = mapped_column(Integer)
    monthly_salary_max_fen: Mapped[int] = mapped_column(Integer)
    headcount: Mapped[int] = mapped_column(Integer)
    education: Mapped[str] = mapped_column(String(20))
    experience_years: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    area_code: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    benefits: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), server_default=text("'{}'::varchar[]")
    )
    open_to_graduates: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    valid_until: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Why the posting is (not) public: rule findings, WeChat verdict, staff decision.
    moderation: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))

    __table_args__ = (
        CheckConstraint(one_of("status", JOB_STATUSES), name="status"),
        CheckConstraint(one_of("job_type", JOB_TYPES), name="job_type"),
        CheckConstraint(one_of("salary_unit", SALARY_UNITS), name="salary_unit"),
        CheckConstraint("salary_min_fen >= 0 AND salary_max_fen >= salary_min_fen", name="salary"),
        CheckConstraint("headcount >= 1", name="headcount"),
        CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name="published_at"),
        Index("ix_job_employer_created", "employer_id", "created_at", "id"),
        Index("ix_job_status_created", "status", "created_at", "id"),
        Index(
            "ix_job_published_newest",
            "published_at",
            "id",
            postgresql_where=PUBLISHED,
        ),
        # Near me: nearest-first circles use this 2-D index; latitude ranges combined with other
        # conditions use the B-tree below (the planner has statistics for it).
        Index(
            "ix_job_published_point",
            text("point(longitude, latitude)"),
            postgresql_using="gist",
            postgresql_where=PUBLISHED,
        ),
        Index("ix_job_published_lat_lng", "latitude", "longitude", postgresql_where=PUBLISHED),
        # Selective filters with the newest order: walk the filter's slice in order instead of
        # the global published_at index (the ORDER BY … LIMIT planner trap).
        Index(
            "ix_job_published_employer",
            "employer_id",
            "published_at",
            "id",
            postgresql_where=PUBLISHED,
        ),
        Index(
            "ix_job_published_area",
            "area_code",
            "published_at",
            "id",
            postgresql_where=PUBLISHED,
        ),
        Index(
            "ix_job_published_category",
            "occupation_category",
            "published_at",
            "id",
            postgresql_where=PUBLISHED,
        ),
    )


# Columns of job_term copied from the job row (the trigger keeps them in step).
POSTING_COPIES = (
    "published_at", "valid_until", "latitude", "longitude", "occupation_category", "area_code",
    "job_type", "education", "open_to_graduates", "monthly_salary_max_fen",
)  # fmt: skip
POSTING_INCLUDE = ("in_title", *POSTING_COPIES[1:])


class JobTerm(Base):
    """One search term of a job (a posting): the job's keyword index, read in relevance order.

    The application writes ``(job_id, term, in_title)`` from jieba's document terms
    (``app.jobs.documents``); every other column copies the job row and is kept in step by the
    ``job_term_sync`` trigger (migration ``20261203_1400``), so a status change made anywhere — a
    close, a staff decision, the nightly expiry's bulk UPDATE — updates the postings in the same
    transaction. Closed jobs have none. ``score`` is ``job_term_score(published_at, in_title)``:
    the publication day (days since 1970) plus a bonus when the term is in the title or
    occupation, so one descending B-tree walk yields a term's jobs best first. See docs/search.md.
    """

    __tablename__ = "job_term"

    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(String(32), primary_key=True)
    in_title: Mapped[bool] = mapped_column(Boolean)
    published: Mapped[bool] = mapped_column(Boolean)
    published_at: Mapped[datetime | None]
    valid_until: Mapped[date] = mapped_column(Date)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    # The common filters, so a keyword + filter search checks them in the index.
    occupation_category: Mapped[str] = mapped_column(String(40))
    area_code: Mapped[str] = mapped_column(String(20))
    job_type: Mapped[str] = mapped_column(String(20))
    education: Mapped[str] = mapped_column(String(20))
    open_to_graduates: Mapped[bool] = mapped_column(Boolean)
    monthly_salary_max_fen: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        # Walked backwards (score, published_at, job_id descending) for one term: the first page
        # of a keyword is the first entries, read without touching the table (index-only).
        Index(
            "ix_job_term_published_rank",
            "term",
            "score",
            "published_at",
            "job_id",
            postgresql_include=list(POSTING_INCLUDE),
            postgresql_where="published",
        ),
    )


class JobWxacode(Base):
    """The mini-program code image of a job poster, fetched from WeChat once and kept."""

    __tablename__ = "job_wxacode"

    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job.id", ondelete="CASCADE"), primary_key=True
    )
    scene: Mapped[str] = mapped_column(String(32))
    png: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


MAX_JOB_PHOTOS = 6


class JobPhoto(Base):
    """A picture of the workplace shown on a job (at most ``MAX_JOB_PHOTOS``, in order).

    Deleting the stored file (an account's erasure) removes the row: the job shows one photo
    fewer, never a broken picture.
    """

    __tablename__ = "job_photo"

    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stored_file.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(SmallInteger)


class JobFavourite(Base):
    """A job a person keeps for later."""

    __tablename__ = "job_favourite"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (Index("ix_job_favourite_user_created", "user_id", "created_at", "job_id"),)


class JobReport(UUIDPrimaryKey, Base):
    """A person's report that a posting is fake, discriminatory or from an employer owing wages."""

    __tablename__ = "job_report"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500), server_default="")
    status: Mapped[str] = mapped_column(String(10), server_default="open")
    handled_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    handled_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(one_of("reason", REPORT_REASONS), name="reason"),
        CheckConstraint(one_of("status", REPORT_STATUSES), name="status"),
        # One open report per person and job: a double tap does not file two.
        Index(
            "uq_job_report_open",
            "job_id",
            "reporter_id",
            unique=True,
            postgresql_where="status = 'open'",
        ),
        Index("ix_job_report_status_created", "status", "created_at", "id"),
    )


class SavedSearch(UUIDPrimaryKey, Base):
    """A person's job search kept for the daily digest of new matching jobs (订阅搜索)."""

    __tablename__ = "saved_search"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(40))
    # The search parameters of GET /api/v1/jobs it stands for (SavedSearchCriteria).
    criteria: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # The digest has told of the jobs published up to this instant.
    checked_at: Mapped[datetime]

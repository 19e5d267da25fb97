"""Employers (organisations that hire), their members and the invitations that add members."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of

EMPLOYER_KINDS = (
    "enterprise",
    "hr_agency",
    "individual_business",
    "public_institution",
    "state_owned",
)
SIZE_CLASSES = ("micro", "small", "medium", "large")
SME_SIZE_CLASSES = frozenset({"micro", "small", "medium"})
EMPLOYER_STATUSES = ("pending", "verified", "rejected")
MEMBER_ROLES = ("owner", "recruiter")


class Employer(UUIDPrimaryKey, Timestamps, Base):
    """An organisation that posts jobs; ``status`` is ``verified`` once staff checked it."""

    __tablename__ = "employer"

    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(30))
    size_class: Mapped[str] = mapped_column(String(10))
    industry_code: Mapped[str] = mapped_column(String(40))
    area_code: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    contact_name: Mapped[str] = mapped_column(String(40))
    # Personal data: the contact person's phone, AES-GCM sealed (see app.employers.contact).
    contact_phone_encrypted: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    licence_file_id: Mapped[uuid.UUID | None]
    # The public logo (an upload of purpose employer_logo); deleting the file clears it.
    logo_file_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("stored_file.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), server_default="pending")
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    reviewed_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None]
    review_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        # One credit code, one employer.
        Index("uq_employer_credit_code", "credit_code", unique=True),
        Index("ix_employer_status_created_at", "status", "created_at", "id"),
        CheckConstraint(one_of("kind", EMPLOYER_KINDS), name="kind"),
        CheckConstraint(one_of("size_class", SIZE_CLASSES), name="size_class"),
        CheckConstraint(one_of("status", EMPLOYER_STATUSES), name="status"),
        CheckConstraint(
            "latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", name="coords"
        ),
    )

    @property
    def is_sme(self) -> bool:
        """Micro, small and medium enterprises (中小微企业) qualify for several subsidies."""
        return self.size_class in SME_SIZE_CLASSES

    @property
    def is_verified(self) -> bool:
        return self.status == "verified"


class EmployerMember(Base):
    """A person acting for an employer. A person may belong to several employers."""

    __tablename__ = "employer_member"

    employer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(10))
    invitation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("employer_invitation.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(one_of("role", MEMBER_ROLES), name="role"),
        # Exactly one owner per employer.
        Index(
            "uq_employer_member_owner",
            "employer_id",
            unique=True,
            postgresql_where="role = 'owner'",
        ),
    )


class EmployerInvitation(UUIDPrimaryKey, Base):
    """A single-use code the owner shares with a recruiter; it expires, and admits one person.

    ``accepted_by``/``accepted_at`` record who used it (also in the audit log); the owner sees them
    in the invitation list.
    """

    __tablename__ = "employer_invitation"

    employer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime]
    accepted_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint("accepted_by IS NULL OR accepted_at IS NOT NULL", name="accepted"),
    )

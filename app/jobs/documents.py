"""The search document of a job: jieba terms, weighted, turned into a tsvector at write time.

Title and occupation (name and aliases) weigh ``A``; description, place, benefits and employer
name weigh ``B``, so ``ts_rank`` puts a 快递员 title above a posting that mentions it in passing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, literal, literal_column

from app.employers.models import Employer
from app.jobs.models import Job
from app.search.tokenizer import document_terms, to_tsvector_text
from app.taxonomy import areas_by_code, benefits_by_code, get_occupation

# setweight takes a "char"; a bound varchar parameter would not match its signature.
_WEIGHT_A: ColumnElement[str] = literal_column("'A'")
_WEIGHT_B: ColumnElement[str] = literal_column("'B'")


@dataclass(frozen=True, slots=True)
class JobDocument:
    """Bind values for the two weighted halves of the search vector."""

    primary: str
    secondary: str


def job_document(
    *,
    title: str,
    description: str,
    occupation_code: str,
    area_code: str,
    benefits: list[str],
    employer_name: str,
) -> JobDocument:
    occupation = get_occupation(occupation_code)
    occupation_terms = " ".join(occupation.terms) if occupation else ""
    area = areas_by_code().get(area_code)
    benefit_names = [b.name for code in benefits if (b := benefits_by_code().get(code))]
    secondary = " ".join(
        [description, area.name if area else "", " ".join(benefit_names), employer_name]
    )
    return JobDocument(
        primary=to_tsvector_text(document_terms(f"{title} {occupation_terms}")),
        secondary=to_tsvector_text(document_terms(secondary)),
    )


def search_vector(document: JobDocument) -> ColumnElement[Any]:
    """``setweight(to_tsvector('simple', A), 'A') || setweight(to_tsvector('simple', B), 'B')``."""
    primary = func.setweight(func.to_tsvector("simple", literal(document.primary)), _WEIGHT_A)
    secondary = func.setweight(func.to_tsvector("simple", literal(document.secondary)), _WEIGHT_B)
    expr: ColumnElement[Any] = primary.op("||")(secondary)
    return expr


def refresh_search_vector(job: Job, employer: Employer) -> None:
    """Set the job's search vector from its current fields and its employer's name."""
    job.search_vector = search_vector(
        job_document(
            title=job.title,
            description=job.description,
            occupation_code=job.occupation_code,
            area_code=job.area_code,
            benefits=job.benefits,
            employer_name=employer.name,
        )
    )

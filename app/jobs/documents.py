"""The search document of a job: jieba terms, written as postings (``job_term``) at write time.

Title and occupation (name and aliases) are the job's *title* terms; description, place,
benefits and employer name the others. A term found in both counts as a title term, so a
快递员 title ranks above a posting that mentions it in passing (see app.jobs.keyword).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.models import Employer
from app.jobs.models import POSTING_COPIES, Job
from app.search.tokenizer import MAX_TERM_LENGTH, document_terms, to_tsvector_text
from app.taxonomy import areas_by_code, benefits_by_code, get_occupation


@dataclass(frozen=True, slots=True)
class JobDocument:
    """The job's distinct search terms, each with whether it is a title term."""

    terms: dict[str, bool]


def _clean(text_: str) -> list[str]:
    # The same normalisation as the tsvector text used to have: safe terms of ≤ 32 characters.
    return [t for t in to_tsvector_text(document_terms(text_)).split() if len(t) <= MAX_TERM_LENGTH]


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
    terms = dict.fromkeys(_clean(secondary), False)
    terms.update(dict.fromkeys(_clean(f"{title} {occupation_terms}"), True))
    return JobDocument(terms)


def document_of(job: Job, employer: Employer) -> JobDocument:
    """The document of the job's current fields and its employer's name."""
    return job_document(
        title=job.title,
        description=job.description,
        occupation_code=job.occupation_code,
        area_code=job.area_code,
        benefits=job.benefits,
        employer_name=employer.name,
    )


# The job's own columns are copied from its (already flushed) row; the job_term_sync trigger
# keeps them in step afterwards. Closed jobs are not searchable and keep no postings.
_INSERT = text(
    f"""INSERT INTO job_term (job_id, term, in_title, published, {", ".join(POSTING_COPIES)},
                              score)
       SELECT job.id, doc.term, doc.in_title, job.status = 'published',
              {", ".join(f"job.{column}" for column in POSTING_COPIES)},
              job_term_score(job.published_at, doc.in_title)
       FROM unnest(CAST(:job_ids AS uuid[]), CAST(:terms AS text[]), CAST(:in_title AS boolean[]))
            AS doc (job_id, term, in_title)
       JOIN job ON job.id = doc.job_id
       WHERE job.status <> 'closed'"""
)
_DELETE = text("DELETE FROM job_term WHERE job_id = ANY (CAST(:job_ids AS uuid[]))")


async def replace_terms(session: AsyncSession, documents: Mapping[uuid.UUID, JobDocument]) -> None:
    """Rewrite the postings of these jobs (flush the jobs first: their rows are read)."""
    if not documents:
        return
    job_ids, terms, in_title = [], [], []
    for job_id, document in documents.items():
        for term, title in document.terms.items():
            job_ids.append(job_id)
            terms.append(term)
            in_title.append(title)
    await session.execute(_DELETE, {"job_ids": list(documents)})
    if terms:
        await session.execute(_INSERT, {"job_ids": job_ids, "terms": terms, "in_title": in_title})


async def refresh_terms(session: AsyncSession, job: Job, employer: Employer) -> None:
    """Flush the job and rewrite its postings from its current fields."""
    await session.flush()
    await replace_terms(session, {job.id: document_of(job, employer)})

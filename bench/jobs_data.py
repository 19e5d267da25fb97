"""Load a realistic synthetic job data set for the search bench (≥ 200,000 published jobs).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dsjobs_bench \
        .venv/bin/python -m bench.jobs_data --jobs 200000

Migrates the database, then adds bench employers and jobs built by ``app.demo.content`` (Chinese
titles and descriptions from the taxonomy) spread over Dongsheng and the rest of Ordos. The jieba
terms are computed in Python once per distinct sentence (the generator reuses sentences, so this
is fast), rows go in with COPY into an unlogged staging table, one INSERT … SELECT moves the jobs
and another turns the terms into postings (``job_term``) exactly as the service writes them. The
job and posting indexes are dropped for the load and rebuilt afterwards, then analysed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import asyncpg

from app.core import migrate
from app.core.config import get_settings, normalise_database_url
from app.core.security import Security
from app.demo.content import DemoContent, DemoJob
from app.employers.contact import seal_contact_phone
from app.employers.credit_code import check_character
from app.jobs.models import POSTING_COPIES
from app.search.tokenizer import document_terms, to_tsvector_text, warm_up
from app.taxonomy import (
    JobType,
    PayUnit,
    areas_by_code,
    benefits_by_code,
    get_occupation,
    to_monthly_fen,
)

BENCH_SEED = 2025
OWNER_OPENID = "bench-owner"
# Banner (旗) and district centres of Ordos outside Dongsheng: half the jobs spread around them.
ORDOS_CENTRES = (
    (39.608, 109.781),  # 康巴什区
    (39.562, 109.744),  # 伊金霍洛旗
    (40.400, 110.030),  # 达拉特旗
    (39.865, 111.240),  # 准格尔旗
    (39.090, 107.982),  # 鄂托克旗
    (39.835, 108.730),  # 杭锦旗
    (38.597, 108.842),  # 乌审旗
    (38.183, 107.477),  # 鄂托克前旗
)
STAGING = "bench_job_staging"
COLUMNS = (
    "id", "employer_id", "created_by", "status", "title", "description", "occupation_code",
    "occupation_category", "industry_code", "job_type", "internship_months",
    "internship_allowance_fen", "salary_min_fen", "salary_max_fen", "salary_unit",
    "monthly_salary_min_fen", "monthly_salary_max_fen", "headcount", "education",
    "experience_years", "area_code", "address", "latitude", "longitude", "benefits",
    "open_to_graduates", "valid_until", "published_at", "closed_at", "moderation",
    "created_at", "updated_at",
)  # fmt: skip


@lru_cache(maxsize=200_000)
def _terms(sentence: str) -> str:
    return to_tsvector_text(document_terms(sentence))


def _doc(text: str) -> str:
    """Terms of ``text``, segmenting sentence by sentence (punctuation already splits runs)."""
    return " ".join(t for s in text.replace("。", "。\n").splitlines() if (t := _terms(s)))


def _primary(job: DemoJob) -> str:
    occupation = get_occupation(job.occupation_code)
    return _doc(f"{job.title} {' '.join(occupation.terms) if occupation else ''}")


def _secondary(job: DemoJob, employer_name: str) -> str:
    area = areas_by_code()[job.area_code]
    names = " ".join(benefits_by_code()[b].name for b in job.benefits)
    return " ".join(
        (_doc(job.description), _terms(area.name), _terms(names), _terms(employer_name))
    )


def _place(rng: random.Random, job: DemoJob) -> tuple[float, float]:
    if rng.random() < 0.5:
        return job.lat, job.lng
    lat, lng = rng.choice(ORDOS_CENTRES)
    return lat + rng.gauss(0, 0.08), lng + rng.gauss(0, 0.1)


def _status(rng: random.Random) -> str:
    roll = rng.random()
    return "closed" if roll < 0.03 else "pending_review" if roll < 0.045 else "published"


def _row(
    rng: random.Random,
    job: DemoJob,
    employer: tuple[uuid.UUID, str],
    owner: uuid.UUID,
    now: datetime,
) -> tuple[Any, ...]:
    employer_id, employer_name = employer
    occupation = get_occupation(job.occupation_code)
    assert occupation is not None
    lat, lng = _place(rng, job)
    status = _status(rng)
    published = now - timedelta(days=job.posted_days_ago, seconds=rng.randint(0, 86_399))
    internship = job.job_type is JobType.INTERNSHIP
    unit = PayUnit(job.pay_unit)
    moderation = {"outcome": "published", "findings": [], "wechat_suggest": "pass"}
    return (
        uuid.uuid4(), employer_id, owner, status, job.title[:60], job.description,
        job.occupation_code, occupation.category, job.industry_code, str(job.job_type),
        rng.choice((3, 6)) if internship else None, job.pay_min_fen if internship else None,
        job.pay_min_fen, job.pay_max_fen, str(unit), to_monthly_fen(job.pay_min_fen, unit),
        to_monthly_fen(job.pay_max_fen, unit), job.headcount, str(job.education),
        job.experience_years, job.area_code, f"东胜区{areas_by_code()[job.area_code].name}",
        lat, lng, list(job.benefits), job.open_to_graduates,
        (now + timedelta(days=rng.randint(-2, 120))).date(),
        None if status == "pending_review" else published,
        now if status == "closed" else None, json.dumps(moderation), published, published,
        _primary(job), _secondary(job, employer_name),
    )  # fmt: skip


async def _owner(conn: asyncpg.Connection) -> uuid.UUID:
    await conn.execute(
        """INSERT INTO "user" (id, openid, nickname) VALUES ($1, $2, '压测单位负责人')
           ON CONFLICT (openid) DO NOTHING""",
        uuid.uuid4(),
        OWNER_OPENID,
    )
    owner: uuid.UUID = await conn.fetchval('SELECT id FROM "user" WHERE openid = $1', OWNER_OPENID)
    return owner


async def _employers(
    conn: asyncpg.Connection, content: DemoContent, owner: uuid.UUID
) -> dict[str, tuple[uuid.UUID, str]]:
    rows = [
        (uuid.uuid4(), f"压测·{e.name}", e.credit_code.replace("DE", "BE", 1)[:17], e)
        for e in content.employers
    ]
    records = []
    security = Security.from_settings(get_settings().security)
    for ident, name, first17, e in rows:
        records.append(
            (ident, name, first17 + check_character(first17), e.kind, e.size_class,
             e.industry_code, e.area_code, e.address, e.lat, e.lng, e.contact_name,
             seal_contact_phone(security, "0477-8000000"), "verified", owner)
        )  # fmt: skip
    await conn.copy_records_to_table(
        "employer",
        records=records,
        columns=[
            "id", "name", "credit_code", "kind", "size_class", "industry_code", "area_code",
            "address", "latitude", "longitude", "contact_name", "contact_phone_encrypted", "status",
            "created_by",
        ],
    )  # fmt: skip
    await conn.executemany(
        "INSERT INTO employer_member (employer_id, user_id, role) VALUES ($1, $2, 'recruiter')",
        [(r[0], owner) for r in rows],
    )
    return {e.key: (ident, name) for ident, name, _, e in rows}


async def _drop_indexes(conn: asyncpg.Connection, table: str) -> list[str]:
    rows = await conn.fetch(
        """SELECT indexname, indexdef FROM pg_indexes
           WHERE tablename = $1 AND indexname <> 'pk_' || $1""",
        table,
    )
    for row in rows:
        await conn.execute(f'DROP INDEX "{row["indexname"]}"')
    return [row["indexdef"] for row in rows]


def _batches(
    content: DemoContent,
    employers: dict[str, tuple[uuid.UUID, str]],
    owner: uuid.UUID,
    count: int,
    size: int,
) -> Iterator[list[tuple[Any, ...]]]:
    rng, now = random.Random(f"{BENCH_SEED}:rows"), datetime.now(UTC)
    batch: list[tuple[Any, ...]] = []
    for job in content.jobs(count):
        batch.append(_row(rng, job, employers[job.employer_key], owner, now))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def load(url: str, jobs: int, employers: int) -> None:
    started = time.perf_counter()
    warm_up()
    content = DemoContent(BENCH_SEED, employer_count=employers)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        owner = await _owner(conn)
        by_key = await _employers(conn, content, owner)
        await conn.execute(
            f"CREATE UNLOGGED TABLE {STAGING} (LIKE job INCLUDING DEFAULTS, doc_a text, doc_b text)"
        )
        for batch in _batches(content, by_key, owner, jobs, 20_000):
            await conn.copy_records_to_table(
                STAGING, records=batch, columns=[*COLUMNS, "doc_a", "doc_b"]
            )
        print(f"staged {jobs} jobs in {time.perf_counter() - started:.1f}s", flush=True)
        indexdefs = await _drop_indexes(conn, "job") + await _drop_indexes(conn, "job_term")
        columns = ", ".join(COLUMNS)
        await conn.execute(f"INSERT INTO job ({columns}) SELECT {columns} FROM {STAGING}")
        # The postings exactly as app.jobs.documents writes them: a term of the title half
        # (doc_a) is a title term; closed jobs have none.
        copies = ", ".join(POSTING_COPIES)
        # Every posting's job is in the same statement's source: skip 14 million FK checks.
        await conn.execute("SET session_replication_role = replica")
        await conn.execute(
            f"""INSERT INTO job_term (job_id, term, in_title, published, {copies}, score)
                SELECT s.id, doc.term, doc.in_title, s.status = 'published',
                       {", ".join(f"s.{c}" for c in POSTING_COPIES)},
                       job_term_score(s.published_at, doc.in_title)
                FROM {STAGING} AS s,
                LATERAL (SELECT term, bool_or(in_title) AS in_title
                         FROM (SELECT unnest(string_to_array(s.doc_a, ' ')), true
                               UNION ALL
                               SELECT unnest(string_to_array(s.doc_b, ' ')), false)
                              AS terms (term, in_title)
                         WHERE term <> '' AND length(term) <= 32
                         GROUP BY term) AS doc
                WHERE s.status <> 'closed'"""
        )
        await conn.execute("SET session_replication_role = DEFAULT")
        await conn.execute(f"DROP TABLE {STAGING}")
        print(f"inserted in {time.perf_counter() - started:.1f}s", flush=True)
        await conn.execute("SET maintenance_work_mem = '512MB'")
        for indexdef in indexdefs:
            await conn.execute(indexdef)
        await conn.execute("VACUUM ANALYZE job_term")
        await conn.execute("VACUUM ANALYZE job")
        await conn.execute("ANALYZE employer")
        published = await conn.fetchval(
            "SELECT count(*) FROM job WHERE status = 'published' AND valid_until >= current_date"
        )
    finally:
        await conn.close()
    print(
        f"done in {time.perf_counter() - started:.1f}s: {jobs} jobs "
        f"({published} published and unexpired), {len(by_key)} employers",
        flush=True,
    )


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--jobs", type=int, default=220_000)
    parser.add_argument("--employers", type=int, default=3_000)
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("set DATABASE_URL or pass --database-url")
    url = normalise_database_url(args.database_url)
    migrate.upgrade(url)
    asyncio.run(load(url, args.jobs, args.employers))


if __name__ == "__main__":
    main()

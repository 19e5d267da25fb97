"""job_term: per-term postings read in relevance order; search_vector leaves the job row

Revision ID: 87e127afafb2
Revises: cac2a854c484
Create Date: 2026-12-03 14:00:00.000000+00:00

The application writes ``(job_id, term, in_title)``; the trigger below copies the job's status,
dates and position into its postings whenever they change, whoever changes them. The backfill
reads the terms and weights (A = title and occupation) out of the existing ``search_vector``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "87e127afafb2"
down_revision: str | None = "cac2a854c484"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Columns copied from the job row (app.jobs.models.POSTING_COPIES at this revision).
COPIES = (
    "published_at", "valid_until", "latitude", "longitude", "occupation_category", "area_code",
    "job_type", "education", "open_to_graduates", "monthly_salary_max_fen",
)  # fmt: skip
_SET = ",\n            ".join(f"{c} = NEW.{c}" for c in COPIES)
_CHANGED = "\n      OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ("status", *COPIES))

# Keep in step with app.jobs.keyword (TITLE_BONUS_DAYS and the day arithmetic).
FUNCTIONS = (
    """
CREATE FUNCTION job_term_days(published_at timestamptz) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(extract(epoch FROM published_at)::double precision / 86400, 0) $$
""",
    """
CREATE FUNCTION job_term_score(published_at timestamptz, in_title boolean)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT job_term_days(published_at) + CASE WHEN in_title THEN 30 ELSE 0 END $$
""",
    f"""
CREATE FUNCTION job_term_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'closed' THEN
        DELETE FROM job_term WHERE job_id = NEW.id;
    ELSE
        UPDATE job_term
        SET published = (NEW.status = 'published'),
            {_SET},
            score = job_term_score(NEW.published_at, in_title)
        WHERE job_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$
""",
    f"""
CREATE TRIGGER job_term_sync
AFTER UPDATE OF status, {", ".join(COPIES)} ON job
FOR EACH ROW
WHEN ({_CHANGED})
EXECUTE FUNCTION job_term_sync()
""",
)

BACKFILL = f"""
INSERT INTO job_term (job_id, term, in_title, published, {", ".join(COPIES)}, score)
SELECT job.id, lexeme.lexeme, 'A' = ANY (lexeme.weights), job.status = 'published',
       {", ".join(f"job.{c}" for c in COPIES)},
       job_term_score(job.published_at, 'A' = ANY (lexeme.weights))
FROM job, unnest(job.search_vector) AS lexeme
WHERE job.status <> 'closed' AND length(lexeme.lexeme) <= 32
"""


def upgrade() -> None:
    op.create_table(
        "job_term",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("term", sa.String(length=32), nullable=False),
        sa.Column("in_title", sa.Boolean(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("occupation_category", sa.String(length=40), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("job_type", sa.String(length=20), nullable=False),
        sa.Column("education", sa.String(length=20), nullable=False),
        sa.Column("open_to_graduates", sa.Boolean(), nullable=False),
        sa.Column("monthly_salary_max_fen", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["job.id"], name=op.f("fk_job_term_job_id_job"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", "term", name=op.f("pk_job_term")),
    )
    for statement in FUNCTIONS:
        op.execute(statement)
    # A finer histogram of terms: the planner and the choice of the rarest term read it.
    op.execute("ALTER TABLE job_term ALTER COLUMN term SET STATISTICS 1000")
    op.execute(BACKFILL)
    op.create_index(
        "ix_job_term_published_rank",
        "job_term",
        ["term", "score", "published_at", "job_id"],
        unique=False,
        postgresql_include=["in_title", *COPIES[1:]],
        postgresql_where="published",
    )
    op.drop_index(
        "ix_job_published_search",
        table_name="job",
        postgresql_using="gin",
        postgresql_where="status = 'published'",
    )
    op.drop_column("job", "search_vector")


def downgrade() -> None:
    op.add_column(
        "job",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            server_default=sa.text("''::tsvector"),
            nullable=False,
        ),
    )
    op.execute(
        """UPDATE job SET search_vector =
               setweight(array_to_tsvector(terms.a), 'A')
                   || setweight(array_to_tsvector(terms.b), 'B')
           FROM (SELECT job_id,
                        coalesce(array_agg(term::text) FILTER (WHERE in_title), '{}') AS a,
                        coalesce(array_agg(term::text) FILTER (WHERE NOT in_title), '{}') AS b
                 FROM job_term GROUP BY job_id) AS terms
           WHERE terms.job_id = job.id"""
    )
    op.alter_column("job", "search_vector", server_default=None)
    op.create_index(
        "ix_job_published_search",
        "job",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
        postgresql_where="status = 'published'",
    )
    op.execute("DROP TRIGGER job_term_sync ON job")
    op.drop_table("job_term")
    op.execute("DROP FUNCTION job_term_sync()")
    op.execute("DROP FUNCTION job_term_score(timestamptz, boolean)")
    op.execute("DROP FUNCTION job_term_days(timestamptz)")

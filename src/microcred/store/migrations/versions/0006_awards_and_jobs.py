"""Awards (one row per learner award, idempotency key unique) and jobs with their chunks.

Revision ID: 0006_awards_and_jobs
Revises: 0005_seal_certificates
Create Date: 2025-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006_awards_and_jobs"
down_revision = "0005_seal_certificates"
branch_labels = None
depends_on = None

document = sa.JSON().with_variant(JSONB(), "postgresql")
timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "awards",
        sa.Column("id", sa.Uuid(as_uuid=False), primary_key=True),
        sa.Column(
            "institution_id",
            sa.Integer,
            sa.ForeignKey("institutions.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("specification_id", sa.String(36), nullable=False),
        sa.Column("specification_version", sa.Integer, nullable=False),
        sa.Column(
            "credential_id",
            sa.String(500),
            sa.ForeignKey("issued_credentials.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("learner_name", sa.String(300), nullable=True),
        sa.Column("learner_email", sa.String(320), nullable=True),
        sa.Column("learner_institutional_id", sa.String(200), nullable=True),
        sa.Column("learner_did", sa.String(500), nullable=True),
        sa.Column("learner_date_of_birth", sa.Date, nullable=True),
        sa.Column("learner_language", sa.String(35), nullable=True),
        sa.Column("grade", sa.String(100), nullable=True),
        sa.Column("awarded_on", sa.Date, nullable=False),
        sa.Column("issued_at", timestamp, nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("job_id", sa.String(36), nullable=True),
        sa.Column("replaced_by", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.UniqueConstraint("credential_id"),
        sa.UniqueConstraint("idempotency_key"),
        sa.CheckConstraint("attempt >= 1", name="ck_award_attempt"),
    )
    op.create_index("ix_awards_institution_id", "awards", ["institution_id"])
    op.create_index("ix_awards_specification_id", "awards", ["specification_id"])
    op.create_index("ix_awards_learner_email", "awards", ["learner_email"])
    op.create_index("ix_awards_job_id", "awards", ["job_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("institution", sa.String(100), nullable=False),
        sa.Column("payload", document, nullable=False),
        sa.Column("payload_digest", sa.String(64), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("started_at", timestamp, nullable=True),
        sa.Column("finished_at", timestamp, nullable=True),
        sa.Column("heartbeat_at", timestamp, nullable=True),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="ck_job_state"),
    )
    op.create_index("ix_jobs_institution", "jobs", ["institution"])
    op.create_index("ix_jobs_payload_digest", "jobs", ["payload_digest"])
    op.create_index("ix_jobs_state", "jobs", ["state"])
    op.create_table(
        "job_chunks",
        sa.Column(
            "job_id",
            sa.String(36),
            sa.ForeignKey("jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("rows", document, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("claimed_by", sa.String(200), nullable=True),
        sa.Column("claimed_at", timestamp, nullable=True),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("failures", document, nullable=False),
        sa.Column("finished_at", timestamp, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("job_chunks")
    op.drop_table("jobs")
    op.drop_table("awards")

"""figure snapshots: the dashboards' and the skills map's figures, computed by
`flask cop refresh-figures` and read by the pages (cop/shared_cache.py)

Revision ID: 0016_figure_snapshots
Revises: 0015_job_runs
Create Date: 2026-12-07 20:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0016_figure_snapshots'
down_revision = '0015_job_runs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('figure_snapshots',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_figure_snapshots'))
    )


def downgrade():
    op.drop_table('figure_snapshots')

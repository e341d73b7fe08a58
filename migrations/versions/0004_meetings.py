"""meeting records (issue 5): a slot in the chain, no tables yet

Revision ID: 0004_meetings
Revises: 0003_practices
Create Date: 2026-12-02 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_meetings'
down_revision = '0003_practices'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

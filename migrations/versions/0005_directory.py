"""directory of people, skills and trainers

Revision ID: 0005_directory
Revises: 0004_meetings
Create Date: 2026-12-02 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_directory'
down_revision = '0004_meetings'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

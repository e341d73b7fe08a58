"""good-practice library

Revision ID: 0003_practices
Revises: 0002_discussions
Create Date: 2026-12-02 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_practices'
down_revision = '0002_discussions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

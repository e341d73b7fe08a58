"""meeting minutes: who wrote them since their last approval (four eyes, amendments)

Revision ID: 0011_meeting_minutes_amendments
Revises: 0010_notification_email_failures
Create Date: 2026-12-07 16:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0011_meeting_minutes_amendments'
down_revision = '0010_notification_email_failures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('minutes_authors',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_authors_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_minutes_authors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'user_id', name=op.f('pk_minutes_authors'))
    )


def downgrade():
    op.drop_table('minutes_authors')

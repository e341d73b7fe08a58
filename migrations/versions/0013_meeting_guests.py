"""meeting guests: people without an account invited to a meeting by email

Revision ID: 0013_meeting_guests
Revises: 0012_practice_adoption_events
Create Date: 2026-12-07 17:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0013_meeting_guests'
down_revision = '0012_practice_adoption_events'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_guests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_meeting_guests_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_guests_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_guests')),
    sa.UniqueConstraint('meeting_id', 'email', name=op.f('uq_meeting_guests_meeting_id_email')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_meeting_guests_token_hash'))
    )


def downgrade():
    op.drop_table('meeting_guests')

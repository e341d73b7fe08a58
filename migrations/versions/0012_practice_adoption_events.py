"""practice adoption events: the history of each Alleanza's adoption of a record

Revision ID: 0012_practice_adoption_events
Revises: 0011_meeting_minutes_amendments
Create Date: 2026-12-07 13:35:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0012_practice_adoption_events'
down_revision = '0011_meeting_minutes_amendments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice_adoption_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('alleanza_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['alleanza_id'], ['alleanze.id'], name=op.f('fk_practice_adoption_events_alleanza_id_alleanze'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_adoption_events_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_adoption_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_adoption_events'))
    )
    with op.batch_alter_table('practice_adoption_events', schema=None) as batch_op:
        batch_op.create_index('ix_practice_adoption_events_practice', ['practice_id', 'created_at'], unique=False)
    # the adoptions registered so far start their history
    op.execute("INSERT INTO practice_adoption_events (practice_id, alleanza_id, action, kind, "
               "note, user_id, created_at) SELECT practice_id, alleanza_id, 'registrata', kind, "
               "note, user_id, created_at FROM practice_adoptions")


def downgrade():
    with op.batch_alter_table('practice_adoption_events', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_adoption_events_practice')
    op.drop_table('practice_adoption_events')

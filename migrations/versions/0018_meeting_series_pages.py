"""meeting series: the agenda items a series writes at the top of its next meeting (the
approval of the previous minutes, linked to that meeting, and the actions still open)

Revision ID: 0018_meeting_series_pages
Revises: 0016_figure_snapshots
Create Date: 2026-12-07 21:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0018_meeting_series_pages'
down_revision = '0016_figure_snapshots'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('previous_meeting_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_agenda_items_previous_meeting_id_meetings'), 'meetings',
            ['previous_meeting_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agenda_items_previous_meeting_id_meetings'),
                                 type_='foreignkey')
        batch_op.drop_column('previous_meeting_id')
        batch_op.drop_column('role')

"""one notification path: a notification is about any feature's subject; a choice per kind;
meeting guests' attendance and recomputable answer links

Revision ID: 0014_notification_subjects
Revises: 0013_meeting_guests
Create Date: 2026-12-07 19:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0014_notification_subjects'
down_revision = '0013_meeting_guests'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
    # Until now every notification was about a discussion.
    op.execute("UPDATE notifications SET subject_type = 'thread', subject_id = thread_id")
    op.execute("DELETE FROM notifications WHERE subject_id IS NULL")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('subject_type', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('subject_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index('ix_notifications_subject', ['subject_type', 'subject_id'],
                              unique=False)

    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind')
    )

    with op.batch_alter_table('meeting_guests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_nonce', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('presence', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('organisation_name', sa.String(length=200),
                                      nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('meeting_guests', schema=None) as batch_op:
        batch_op.drop_column('organisation_name')
        batch_op.drop_column('presence')
        batch_op.drop_column('link_nonce')
    op.drop_table('notification_preferences')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_subject')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_type')

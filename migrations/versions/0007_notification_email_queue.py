"""notification emails: a queue for the email worker

Revision ID: 0007_notification_email_queue
Revises: 0006_engagement
Create Date: 2026-12-04 19:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0007_notification_email_queue'
down_revision = '0006_engagement'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_pending', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_index('ix_notifications_email_queue', 'notifications', ['id'], unique=False,
                    sqlite_where=sa.text('email_pending'),
                    postgresql_where=sa.text('email_pending'))


def downgrade():
    op.drop_index('ix_notifications_email_queue', table_name='notifications',
                  sqlite_where=sa.text('email_pending'),
                  postgresql_where=sa.text('email_pending'))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('email_pending')

"""notification emails: a message the worker cannot build or send is counted and kept aside

Revision ID: 0010_notification_email_failures
Revises: 0009_people_order_indexes
Create Date: 2026-12-07 12:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0010_notification_email_failures'
down_revision = '0009_people_order_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_attempts', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('email_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('email_retry_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('email_retry_at')
        batch_op.drop_column('email_error')
        batch_op.drop_column('email_attempts')

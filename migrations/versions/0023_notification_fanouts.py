"""notification fanouts: a new post's followers told by the email worker, not the request
(cop.notifications.models.Fanout)

Revision ID: 0023_notification_fanouts
Revises: 0022_decisions
Create Date: 2026-12-08 00:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0023_notification_fanouts'
down_revision = '0022_decisions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_fanouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('followers', sa.String(length=20), nullable=False),
    sa.Column('direct', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                            name=op.f('fk_notification_fanouts_actor_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'],
                            name=op.f('fk_notification_fanouts_post_id_posts'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'],
                            name=op.f('fk_notification_fanouts_thread_id_threads'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_fanouts'))
    )


def downgrade():
    op.drop_table('notification_fanouts')

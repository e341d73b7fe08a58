"""decisions and polls (cop/decisions): a decision in a discussion thread or on a meeting's
agenda item, its options with their stored counts, each person's stance and choices

Revision ID: 0022_decisions
Revises: 0021_oidc_identities
Create Date: 2026-12-07 21:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0022_decisions'
down_revision = '0021_oidc_identities'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('details_html', sa.Text(), nullable=False),
    sa.Column('multiple', sa.Boolean(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('score_min', sa.Integer(), nullable=False),
    sa.Column('score_max', sa.Integer(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('participant_count', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('outcome_html', sa.Text(), nullable=False),
    sa.Column('outcome_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome_at', sa.DateTime(), nullable=True),
    sa.Column('meeting_decision_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(thread_id IS NULL) <> (meeting_id IS NULL)', name=op.f('ck_decisions_thread_or_meeting')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_decisions_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_decisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_decision_id'], ['meeting_decisions.id'], name=op.f('fk_decisions_meeting_decision_id_meeting_decisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_decisions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['users.id'], name=op.f('fk_decisions_outcome_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_decisions_space_id_spaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_decisions_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_decisions_closes_at', ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_space_id'), ['space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_thread_id'), ['thread_id'], unique=False)

    op.create_table('decision_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('vote_count', sa.Integer(), nullable=False),
    sa.Column('score_total', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_options_decision_id_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_options')),
    sa.UniqueConstraint('decision_id', 'position', name=op.f('uq_decision_options_decision_id_position'))
    )
    op.create_table('decision_stances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reason_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_stances_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_decision_stances_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_stances')),
    sa.UniqueConstraint('decision_id', 'user_id', name=op.f('uq_decision_stances_decision_id_user_id'))
    )
    with op.batch_alter_table('decision_stances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_stances_user_id'), ['user_id'], unique=False)

    op.create_table('decision_stance_choices',
    sa.Column('stance_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['option_id'], ['decision_options.id'], name=op.f('fk_decision_stance_choices_option_id_decision_options'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stance_id'], ['decision_stances.id'], name=op.f('fk_decision_stance_choices_stance_id_decision_stances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('stance_id', 'option_id', name=op.f('pk_decision_stance_choices'))
    )
    with op.batch_alter_table('decision_stance_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_stance_choices_option_id'), ['option_id'], unique=False)



def downgrade():
    with op.batch_alter_table('decision_stance_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_stance_choices_option_id'))

    op.drop_table('decision_stance_choices')
    with op.batch_alter_table('decision_stances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_stances_user_id'))

    op.drop_table('decision_stances')
    op.drop_table('decision_options')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_thread_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_space_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_meeting_id'))
        batch_op.drop_index('ix_decisions_closes_at')
        batch_op.drop_index(batch_op.f('ix_decisions_author_id'))

    op.drop_table('decisions')

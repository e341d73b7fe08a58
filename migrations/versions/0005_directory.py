"""directory of people, skills and trainers

Revision ID: 0005_directory
Revises: 0004_meetings
Create Date: 2026-12-02 19:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_directory'
down_revision = '0004_meetings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('learning_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learning_records_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_records'))
    )
    with op.batch_alter_table('learning_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_records_user_id'), ['user_id'], unique=False)

    op.create_table('person_skills',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('skill_code', sa.String(length=8), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('endorsement_count', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 4', name=op.f('ck_person_skills_level_range')),
    sa.ForeignKeyConstraint(['skill_code'], ['skills.code'], name=op.f('fk_person_skills_skill_code_skills')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_person_skills_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'skill_code', name=op.f('pk_person_skills'))
    )
    with op.batch_alter_table('person_skills', schema=None) as batch_op:
        batch_op.create_index('ix_person_skills_skill_level', ['skill_code', 'level'], unique=False)

    op.create_table('profile_details',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('topics', sa.Text(), nullable=False),
    sa.Column('languages', sa.String(length=300), nullable=False),
    sa.Column('search_words', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_profile_details_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_profile_details'))
    )
    with op.batch_alter_table('profile_details', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_details_visibility'), ['visibility'], unique=False)

    op.create_table('trainer_offers',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topics', sa.Text(), nullable=False),
    sa.Column('in_person', sa.Boolean(), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('availability', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_trainer_offers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_trainer_offers'))
    )
    op.create_table('endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('skill_code', sa.String(length=8), nullable=False),
    sa.Column('endorser_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('user_id <> endorser_id', name=op.f('ck_endorsements_not_oneself')),
    sa.ForeignKeyConstraint(['endorser_id'], ['users.id'], name=op.f('fk_endorsements_endorser_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id', 'skill_code'], ['person_skills.user_id', 'person_skills.skill_code'], name=op.f('fk_endorsements_user_id_person_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements')),
    sa.UniqueConstraint('user_id', 'skill_code', 'endorser_id', name=op.f('uq_endorsements_user_id_skill_code_endorser_id'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_endorser_id'), ['endorser_id'], unique=False)

    op.create_table('trainer_territories',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ats_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ats_id'], ['ats.id'], name=op.f('fk_trainer_territories_ats_id_ats'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['trainer_offers.user_id'], name=op.f('fk_trainer_territories_user_id_trainer_offers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'ats_id', name=op.f('pk_trainer_territories'))
    )
    with op.batch_alter_table('trainer_territories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainer_territories_ats_id'), ['ats_id'], unique=False)



def downgrade():
    with op.batch_alter_table('trainer_territories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainer_territories_ats_id'))

    op.drop_table('trainer_territories')
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_endorser_id'))

    op.drop_table('endorsements')
    op.drop_table('trainer_offers')
    with op.batch_alter_table('profile_details', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_details_visibility'))

    op.drop_table('profile_details')
    with op.batch_alter_table('person_skills', schema=None) as batch_op:
        batch_op.drop_index('ix_person_skills_skill_level')

    op.drop_table('person_skills')
    with op.batch_alter_table('learning_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_records_user_id'))

    op.drop_table('learning_records')


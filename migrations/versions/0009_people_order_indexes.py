"""people in order: users by name, a skill's holders by strength

Revision ID: 0009_people_order_indexes
Revises: 0008_search_doc_type
Create Date: 2026-12-06 20:40:00

"""
from alembic import op

revision = '0009_people_order_indexes'
down_revision = '0008_search_doc_type'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_users_name', 'users', ['name', 'id'], unique=False)
    op.drop_index('ix_person_skills_skill_level', table_name='person_skills')
    op.create_index('ix_person_skills_skill_strength', 'person_skills',
                    ['skill_code', 'level', 'endorsement_count'], unique=False)


def downgrade():
    op.drop_index('ix_person_skills_skill_strength', table_name='person_skills')
    op.create_index('ix_person_skills_skill_level', 'person_skills', ['skill_code', 'level'],
                    unique=False)
    op.drop_index('ix_users_name', table_name='users')

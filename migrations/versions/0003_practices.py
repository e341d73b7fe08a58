"""good-practice library

Revision ID: 0003_practices
Revises: 0002_discussions
Create Date: 2026-12-02 19:00:00.000000

"""
from datetime import UTC

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_practices'
down_revision = '0002_discussions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('need', sa.Text(), nullable=False),
    sa.Column('target', sa.String(length=20), nullable=True),
    sa.Column('reached_count', sa.Integer(), nullable=True),
    sa.Column('area_code', sa.String(length=60), nullable=True),
    sa.Column('ats_id', sa.Integer(), nullable=True),
    sa.Column('alleanza_id', sa.Integer(), nullable=True),
    sa.Column('municipalities', sa.Text(), nullable=False),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=True),
    sa.Column('lead_organisation_name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=True),
    sa.Column('stage_owner', sa.String(length=200), nullable=False),
    sa.Column('budget', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('funding_source', sa.String(length=300), nullable=False),
    sa.Column('staff', sa.Text(), nullable=False),
    sa.Column('activities', sa.Text(), nullable=False),
    sa.Column('activities_html', sa.Text(), nullable=False),
    sa.Column('evidence', sa.String(length=20), nullable=True),
    sa.Column('difficulties', sa.Text(), nullable=False),
    sa.Column('difficulties_html', sa.Text(), nullable=False),
    sa.Column('lessons', sa.Text(), nullable=False),
    sa.Column('lessons_html', sa.Text(), nullable=False),
    sa.Column('transferability', sa.Text(), nullable=False),
    sa.Column('transferability_html', sa.Text(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('keywords', sa.Text(), nullable=False),
    sa.Column('comment_thread_id', sa.Integer(), nullable=True),
    sa.Column('version_count', sa.Integer(), nullable=False),
    sa.Column('adoption_count', sa.Integer(), nullable=False),
    sa.Column('attachment_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['alleanza_id'], ['alleanze.id'], name=op.f('fk_practices_alleanza_id_alleanze')),
    sa.ForeignKeyConstraint(['area_code'], ['intervention_areas.code'], name=op.f('fk_practices_area_code_intervention_areas')),
    sa.ForeignKeyConstraint(['ats_id'], ['ats.id'], name=op.f('fk_practices_ats_id_ats')),
    sa.ForeignKeyConstraint(['comment_thread_id'], ['threads.id'], name=op.f('fk_practices_comment_thread_id_threads'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['users.id'], name=op.f('fk_practices_contact_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_practices_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_practices_lead_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_practices_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practices'))
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practices_alleanza_id'), ['alleanza_id'], unique=False)
        batch_op.create_index('ix_practices_ats_area_target', ['ats_id', 'area_code', 'target'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_ats_id'), ['ats_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_lead_organisation_id'), ['lead_organisation_id'], unique=False)
        batch_op.create_index('ix_practices_space_status', ['space_id', 'status'], unique=False)
        batch_op.create_index('ix_practices_status_updated', ['status', 'updated_at'], unique=False)

    op.create_table('practice_adoptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('alleanza_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['alleanza_id'], ['alleanze.id'], name=op.f('fk_practice_adoptions_alleanza_id_alleanze'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_adoptions_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_adoptions_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_adoptions')),
    sa.UniqueConstraint('practice_id', 'alleanza_id', name=op.f('uq_practice_adoptions_practice_id_alleanza_id'))
    )
    with op.batch_alter_table('practice_adoptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_adoptions_alleanza_id'), ['alleanza_id'], unique=False)

    op.create_table('practice_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('unit', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_indicators_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_indicators'))
    )
    with op.batch_alter_table('practice_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_indicators_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_links_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_links')),
    sa.UniqueConstraint('practice_id', 'kind', 'target_id', name=op.f('uq_practice_links_practice_id_kind_target_id'))
    )
    op.create_table('practice_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_practice_partners_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_partners_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_partners'))
    )
    with op.batch_alter_table('practice_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_partners_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_partners_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_practice_reviews_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_reviews_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_reviews'))
    )
    with op.batch_alter_table('practice_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_practice_reviews_practice', ['practice_id', 'created_at'], unique=False)

    op.create_table('practice_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_practice_versions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_versions_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_versions')),
    sa.UniqueConstraint('practice_id', 'number', name=op.f('uq_practice_versions_practice_id_number'))
    )
    _library_space()


def downgrade():
    op.drop_table('practice_versions')
    with op.batch_alter_table('practice_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_reviews_practice')

    op.drop_table('practice_reviews')
    with op.batch_alter_table('practice_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_partners_practice_id'))
        batch_op.drop_index(batch_op.f('ix_practice_partners_organisation_id'))

    op.drop_table('practice_partners')
    op.drop_table('practice_links')
    with op.batch_alter_table('practice_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_indicators_practice_id'))

    op.drop_table('practice_indicators')
    with op.batch_alter_table('practice_adoptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_adoptions_alleanza_id'))

    op.drop_table('practice_adoptions')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_index('ix_practices_status_updated')
        batch_op.drop_index('ix_practices_space_status')
        batch_op.drop_index(batch_op.f('ix_practices_lead_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_practices_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_practices_ats_id'))
        batch_op.drop_index('ix_practices_ats_area_target')
        batch_op.drop_index(batch_op.f('ix_practices_alleanza_id'))

    op.drop_table('practices')


def _library_space():
    """The regional space that holds the comments on records read beyond their own space."""
    spaces = sa.table("spaces", sa.column("slug"), sa.column("name"), sa.column("description"),
                      sa.column("description_html"), sa.column("kind"), sa.column("visibility"),
                      sa.column("member_count"), sa.column("pending_request_count"),
                      sa.column("created_at"))
    bind = op.get_bind()
    if bind.execute(sa.select(spaces.c.slug).where(
            spaces.c.slug == "biblioteca-buone-pratiche")).first():
        return
    from datetime import datetime

    text = "Le discussioni sulle schede di buona pratica della biblioteca regionale."
    bind.execute(spaces.insert().values(
        slug="biblioteca-buone-pratiche", name="Biblioteca delle buone pratiche",
        description=text, description_html=f"<p>{text}</p>", kind="tematico",
        visibility="regionale", member_count=0, pending_request_count=0,
        created_at=datetime.now(UTC).replace(tzinfo=None)))

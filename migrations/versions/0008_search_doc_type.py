"""search: the SQLite full-text index also knows each document's type

Revision ID: 0008_search_doc_type
Revises: 0007_notification_email_queue
Create Date: 2026-12-04 19:45:00

"""
from alembic import op

from cop.search import ddl

revision = '0008_search_doc_type'
down_revision = '0007_notification_email_queue'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite only (PostgreSQL's tsvector is unchanged): the FTS5 table is made again with the
    # doc_type column and filled from search_entries.
    bind = op.get_bind()
    ddl.uninstall(bind)
    ddl.install(bind)
    ddl.rebuild(bind)


def downgrade():
    pass  # the index with the extra column serves the earlier code as well

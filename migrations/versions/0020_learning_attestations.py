"""learning attestations: a completed path's attestation with a public verification code;
the hours a path's authors recognise (learning_paths.duration_minutes)

Revision ID: 0020_learning_attestations
Revises: 0019_api_tokens
Create Date: 2026-12-07 21:40:00

Paths already written keep duration_minutes empty: their attestations count the modules'
estimated minutes, as for any path whose authors leave it empty. Every completion already
recorded gets its attestation here (a random code, the path's title and time as they are now).
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0020_learning_attestations'
down_revision = '0019_api_tokens'
branch_labels = None
depends_on = None

# As cop.learning.services.CODE_ALPHABET (no 0/O, 1/I/L): a migration does not import the app.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def upgrade():
    with op.batch_alter_table('learning_paths', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duration_minutes', sa.Integer(), nullable=True))

    op.create_table('learning_attestations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=True),
    sa.Column('path_id', sa.Integer(), nullable=True),
    sa.Column('path_title', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['completion_id'], ['learning_completions.id'],
                            name=op.f('fk_learning_attestations_completion_id_learning_completions'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['path_id'], ['learning_paths.id'],
                            name=op.f('fk_learning_attestations_path_id_learning_paths'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_learning_attestations_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_attestations')),
    sa.UniqueConstraint('code', name=op.f('uq_learning_attestations_code')),
    sa.UniqueConstraint('completion_id', name=op.f('uq_learning_attestations_completion_id'))
    )
    with op.batch_alter_table('learning_attestations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_attestations_path_id'), ['path_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_learning_attestations_user_id'), ['user_id'],
                              unique=False)

    _issue_for_existing_completions()


def _issue_for_existing_completions():
    """One attestation per completion, copied in SQL (dates stay as each database keeps
    them), with a code drawn here; issued on the day of the completion."""
    connection = op.get_bind()
    ids = connection.execute(sa.text("SELECT id FROM learning_completions ORDER BY id")).scalars()
    used: set[str] = set()
    values = []
    for completion_id in ids:
        code = ""
        while not code or code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        used.add(code)
        values.append({"code": code, "completion_id": completion_id})
    if values:
        connection.execute(sa.text(
            "INSERT INTO learning_attestations (code, user_id, completion_id, path_id, "
            "path_title, minutes, completed_at, issued_at) "
            "SELECT :code, c.user_id, c.id, c.path_id, p.title, "
            "(SELECT SUM(m.minutes) FROM learning_modules m WHERE m.path_id = p.id), "
            "c.completed_at, c.completed_at "
            "FROM learning_completions c JOIN learning_paths p ON p.id = c.path_id "
            "WHERE c.id = :completion_id"), values)


def downgrade():
    with op.batch_alter_table('learning_attestations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_attestations_user_id'))
        batch_op.drop_index(batch_op.f('ix_learning_attestations_path_id'))
    op.drop_table('learning_attestations')
    with op.batch_alter_table('learning_paths', schema=None) as batch_op:
        batch_op.drop_column('duration_minutes')

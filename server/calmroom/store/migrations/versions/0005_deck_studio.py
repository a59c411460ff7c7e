"""deck studio: decks.draft (hidden draft versions of test rooms) and deck_meta
(archived, based_on, untranslated)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A deck can now be deleted. SQLite gives a new row the largest rowid + 1,
    # so deleting the newest deck would hand its pk to the next one, and a
    # worker's deck cache (keyed by pk) would serve the old deck: on SQLite
    # the table is rebuilt with AUTOINCREMENT (PostgreSQL's sequence never
    # reuses a value).
    sqlite = op.get_bind().dialect.name == 'sqlite'
    kwargs = {'recreate': 'always', 'table_kwargs': {'sqlite_autoincrement': True}} if sqlite else {}
    with op.batch_alter_table('decks', **kwargs) as batch:
        batch.add_column(sa.Column('draft', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('deck_meta',
    sa.Column('deck_id', sa.String(length=60), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column('based_on', sa.String(length=60), nullable=True),
    sa.Column('untranslated', sa.JSON(), nullable=True),
    sa.Column('updated_ms', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('deck_id')
    )


def downgrade() -> None:
    op.drop_table('deck_meta')
    with op.batch_alter_table('decks') as batch:
        batch.drop_column('draft')

"""rooms.shared_version: the version of the last change every participant was told of

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 14:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rooms') as batch:
        batch.add_column(sa.Column('shared_version', sa.Integer(), nullable=False, server_default='1'))
    # a room from before: its participants' next event names the current version as `prev`
    op.execute('UPDATE rooms SET shared_version = version')


def downgrade() -> None:
    with op.batch_alter_table('rooms') as batch:
        batch.drop_column('shared_version')

"""rooms.options: anonymity, named time-outs, fishbowl (domain/options.py)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL is every option at its default: rooms from before keep playing as they did
    with op.batch_alter_table('rooms') as batch:
        batch.add_column(sa.Column('options', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rooms') as batch:
        batch.drop_column('options')

"""join requests (knocks, moves to a new device) and participants' rejoin codes

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 16:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('join_requests',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_key', sa.String(length=40), nullable=False),
    sa.Column('participant_id', sa.String(length=32), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=9), nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.Column('answered_ms', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_join_requests_room_id'), 'join_requests', ['room_id'], unique=False)
    with op.batch_alter_table('participants') as batch:
        batch.add_column(sa.Column('rejoin_code_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('moved_token_hash', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('participants') as batch:
        batch.drop_column('moved_token_hash')
        batch.drop_column('rejoin_code_hash')
    op.drop_index(op.f('ix_join_requests_room_id'), table_name='join_requests')
    op.drop_table('join_requests')

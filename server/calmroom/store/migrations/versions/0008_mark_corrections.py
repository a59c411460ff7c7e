"""mark corrections: an observer undoes or changes a live mark; both the mark
and the correction stay stored

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-01 16:15:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mark_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('author', sa.String(length=32), nullable=False),
    sa.Column('mark_client_id', sa.String(length=64), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('t_ms', sa.BigInteger(), nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'author', 'client_id')
    )
    with op.batch_alter_table('mark_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_corrections_room_id'), ['room_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mark_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_corrections_room_id'))
    op.drop_table('mark_corrections')

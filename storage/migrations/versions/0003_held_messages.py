"""held messages: private messages waiting for someone to open a private chat with the bot

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('held_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_messages'))
    )
    with op.batch_alter_table('held_messages', schema=None) as batch_op:
        batch_op.create_index('ix_held_messages_for', ['platform', 'user_id', 'delivered_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('held_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_held_messages_for')
    op.drop_table('held_messages')

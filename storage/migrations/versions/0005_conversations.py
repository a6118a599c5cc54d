"""conversations: earlier wordings of the touchstone kept to restore; a cancelled vote draft

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('touchstone_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('changed_by', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by'], ['people.id'], name=op.f('fk_touchstone_versions_changed_by_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_touchstone_versions_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_touchstone_versions'))
    )
    with op.batch_alter_table('touchstone_versions', schema=None) as batch_op:
        batch_op.create_index('ix_touchstone_versions_group', ['group_id', 'id'], unique=False)
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint('vote_status', type_='check')
        batch_op.create_check_constraint('vote_status', "status IN ('draft', 'open', 'closed', 'cancelled')")


def downgrade() -> None:
    op.execute("DELETE FROM votes WHERE status = 'cancelled'")
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint('vote_status', type_='check')
        batch_op.create_check_constraint('vote_status', "status IN ('draft', 'open', 'closed')")
    with op.batch_alter_table('touchstone_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_touchstone_versions_group')
    op.drop_table('touchstone_versions')

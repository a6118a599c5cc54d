"""room to grow: a group's time zone is a column; contributions have a kind; outbox attempts; vote status checked

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), server_default='Europe/London', nullable=False))
        batch_op.add_column(sa.Column('without_cochair', sa.Boolean(), server_default=sa.false(), nullable=False))
    # A group whose co-chairs all left the chat before this column existed.
    op.execute(
        "UPDATE groups SET without_cochair = TRUE WHERE NOT EXISTS (SELECT 1 FROM memberships m "
        "WHERE m.group_id = groups.id AND m.active AND m.role = 'cochair')"
    )
    # The time zone was a setting looked up by its name; it is now a property of the group.
    op.execute(
        "UPDATE groups SET timezone = (SELECT value FROM group_settings s "
        "WHERE s.group_id = groups.id AND s.key = 'timezone') "
        "WHERE EXISTS (SELECT 1 FROM group_settings s WHERE s.group_id = groups.id AND s.key = 'timezone')"
    )
    op.execute("DELETE FROM group_settings WHERE key = 'timezone'")

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='message', nullable=False))
        batch_op.alter_column('channel_id', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint('fk_contributions_channel_id_channels', type_='foreignkey')
        batch_op.create_foreign_key(
            batch_op.f('fk_contributions_channel_id_channels'), 'channels', ['channel_id'], ['id'], ondelete='SET NULL'
        )

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_check_constraint('vote_status', "status IN ('draft', 'open', 'closed')")


def downgrade() -> None:
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint('vote_status', type_='check')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('attempts')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_constraint('fk_contributions_channel_id_channels', type_='foreignkey')
        batch_op.create_foreign_key(
            batch_op.f('fk_contributions_channel_id_channels'), 'channels', ['channel_id'], ['id'], ondelete='CASCADE'
        )
        batch_op.alter_column('channel_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('kind')
    op.execute(
        "INSERT INTO group_settings (group_id, key, value) SELECT id, 'timezone', timezone FROM groups"
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('without_cochair')
        batch_op.drop_column('timezone')

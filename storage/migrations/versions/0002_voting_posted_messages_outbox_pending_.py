"""voting, posted messages, outbox, pending inputs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 01:23:57.676251
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('target_kind', sa.String(length=10), nullable=False),
    sa.Column('target_id', sa.String(length=64), nullable=False),
    sa.Column('target_name', sa.String(length=200), nullable=False),
    sa.Column('chat_kind', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_unsent', ['sent_at'], unique=False)

    op.create_table('pending_inputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('prompt', sa.String(length=32), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_inputs')),
    sa.UniqueConstraint('platform', 'chat_id', 'user_id', name=op.f('uq_pending_inputs_platform_chat_id_user_id'))
    )
    op.create_table('posted_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('chat_kind', sa.String(length=10), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posted_messages'))
    )
    with op.batch_alter_table('posted_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posted_messages_key'), ['key'], unique=False)

    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('hide_results', sa.Boolean(), nullable=False),
    sa.Column('lay_only', sa.Boolean(), nullable=False),
    sa.Column('quorum_kind', sa.String(length=10), nullable=False),
    sa.Column('quorum_value', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('remind_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by'], ['people.id'], name=op.f('fk_votes_closed_by_people')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_votes_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by'], ['people.id'], name=op.f('fk_votes_opened_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_group_status', ['group_id', 'status'], unique=False)

    op.create_table('ballot_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.String(length=200), nullable=False),
    sa.Column('proxy_by', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_ballot_changes_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proxy_by'], ['people.id'], name=op.f('fk_ballot_changes_proxy_by_people')),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_ballot_changes_vote_id_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_changes'))
    )
    with op.batch_alter_table('ballot_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_changes_vote_id'), ['vote_id'], unique=False)

    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('proxy_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_ballots_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proxy_by'], ['people.id'], name=op.f('fk_ballots_proxy_by_people')),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_ballots_vote_id_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('vote_id', 'person_id', name=op.f('uq_ballots_vote_id_person_id'))
    )
    op.create_table('vote_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_vote_options_vote_id_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_options')),
    sa.UniqueConstraint('vote_id', 'position', name=op.f('uq_vote_options_vote_id_position'))
    )
    with op.batch_alter_table('vote_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_options_vote_id'), ['vote_id'], unique=False)

    op.create_table('vote_voters',
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_vote_voters_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_vote_voters_vote_id_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vote_id', 'person_id', name=op.f('pk_vote_voters'))
    )


def downgrade() -> None:
    op.drop_table('vote_voters')
    with op.batch_alter_table('vote_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_options_vote_id'))

    op.drop_table('vote_options')
    op.drop_table('ballots')
    with op.batch_alter_table('ballot_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_changes_vote_id'))

    op.drop_table('ballot_changes')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_group_status')

    op.drop_table('votes')
    with op.batch_alter_table('posted_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posted_messages_key'))

    op.drop_table('posted_messages')
    op.drop_table('pending_inputs')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unsent')

    op.drop_table('outbox')

"""api tokens expire and can be revoked: api_tokens.expires_at, api_tokens.revoked_at

Tokens made before this revision get the default lifetime, counted from when they were made: a year after
``created_at`` (29 February + 1 year = 28 February). One that is already more than a year old stops working.

Revision ID: 0005_api_token_expiry
Revises: 0002_supervision
Create Date: 2026-11-30 09:00:00.000000

"""
import calendar
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0005_api_token_expiry'
down_revision = '0004_sign_in_failures'
branch_labels = None
depends_on = None


def _a_year_after(moment: datetime) -> datetime:
    """Frozen here (not imported from the app), so this revision always computes the same dates."""
    year = moment.year + 1
    return moment.replace(year=year, day=min(moment.day, calendar.monthrange(year, moment.month)[1]))


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', teamops.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', teamops.types.UTCDateTime(timezone=True), nullable=True))

    # In Python, with the app's column type, rather than date arithmetic that SQLite and PostgreSQL spell
    # differently; a handful of rows at most.
    tokens = sa.table('api_tokens', sa.column('id', sa.Integer()),
                      sa.column('created_at', teamops.types.UTCDateTime(timezone=True)),
                      sa.column('expires_at', teamops.types.UTCDateTime(timezone=True)))
    connection = op.get_bind()
    for token_id, created_at in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        connection.execute(tokens.update().where(tokens.c.id == token_id)
                           .values(expires_at=_a_year_after(created_at)))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=teamops.types.UTCDateTime(timezone=True), nullable=False)


def downgrade():
    # Without these columns a revoked or expired token would work again: delete those rather than revive them.
    tokens = sa.table('api_tokens', sa.column('expires_at', teamops.types.UTCDateTime(timezone=True)),
                      sa.column('revoked_at', teamops.types.UTCDateTime(timezone=True)))
    op.get_bind().execute(tokens.delete().where(
        sa.or_(tokens.c.revoked_at.is_not(None), tokens.c.expires_at <= datetime.now(UTC))))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('expires_at')

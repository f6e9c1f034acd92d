"""Sign-up: every account made before sign-up existed counts verified.

``one_time_links``, ``users.locale`` (0006_account) and ``users.email_verified_at`` (0006_joining) came before;
an unverified account cannot sign in, and the accounts an operator (or the demo) made were vouched for.

Revision ID: 0006_signup
Revises: 0006_account
"""

from __future__ import annotations

from alembic import op

revision = "0006_signup"
down_revision = "0006_account"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE users SET email_verified_at = created_at WHERE email_verified_at IS NULL")


def downgrade() -> None:
    pass  # which accounts were verified before cannot be told apart: they stay verified

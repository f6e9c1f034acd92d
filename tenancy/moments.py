"""Datetimes read back from the database: SQLite hands back naive ones for timezone-aware columns, which
were written in UTC; PostgreSQL hands back aware ones."""

from __future__ import annotations

from datetime import UTC, datetime


def aware(moment: datetime) -> datetime:
    """``moment`` with its offset: UTC when it has none."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC, whatever offset it came with (UTC when it has none)."""
    return aware(moment).astimezone(UTC)

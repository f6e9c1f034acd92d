"""Input helpers: strawberry's UNSET (field not sent) becomes the domain's KEEP."""

from __future__ import annotations

from typing import Any, TypeVar

from strawberry import UNSET

from tenancy.changes import KEEP, Keep

T = TypeVar("T")


def keep_unset(value: Any) -> Any | Keep:
    return KEEP if value is UNSET else value


def keep_unset_required(value: T | None) -> T | Keep:
    """For non-nullable targets: absent or null both mean 'unchanged'."""
    return KEEP if value is UNSET or value is None else value

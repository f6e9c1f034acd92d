"""Partial updates: KEEP means 'leave as it is', distinct from None which clears an optional field."""

from __future__ import annotations

from enum import Enum
from typing import Literal, TypeAlias, TypeVar

T = TypeVar("T")


class _Keep(Enum):
    KEEP = "KEEP"


KEEP: Literal[_Keep.KEEP] = _Keep.KEEP
Keep: TypeAlias = Literal[_Keep.KEEP]


def kept(value: T | Keep, current: T) -> T:
    return current if value is KEEP else value

"""A mapping that forgets its oldest entry past a size: for what an app remembers across requests."""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self._items.get(key)

    def put(self, key: K, value: V) -> None:
        if key not in self._items and len(self._items) >= self.size:
            del self._items[next(iter(self._items))]  # the oldest entry
        self._items[key] = value

    def __len__(self) -> int:
        return len(self._items)

"""Per-request DataLoaders: created lazily on the context, so nothing is cached across requests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

K = TypeVar("K")
V = TypeVar("V")


def loader(context: Any, name: str, load: Callable[[Sequence[K]], Awaitable[Sequence[V]]]) -> DataLoader[K, V]:
    existing = context.loaders.get(name)
    if existing is None:
        existing = context.loaders[name] = DataLoader(load_fn=load, max_batch_size=500)
    return existing  # type: ignore[no-any-return]

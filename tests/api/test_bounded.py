"""What the app remembers across requests stays within its bound, the oldest entry going first."""

from __future__ import annotations

from api.core.bounded import BoundedCache


def test_the_oldest_entry_goes_when_the_cache_is_full() -> None:
    cache: BoundedCache[str, str] = BoundedCache(2)
    cache.put("a", "1")
    cache.put("b", "2")
    cache.put("a", "3")  # known already: replaced, nothing forgotten
    assert (len(cache), cache.get("a"), cache.get("b")) == (2, "3", "2")
    cache.put("c", "4")
    assert (len(cache), cache.get("a"), cache.get("b"), cache.get("c")) == (2, None, "2", "4")

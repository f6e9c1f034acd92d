"""Text folding for search: 'Saint-Étienne' and 'saint etienne' must meet."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’.,/]+")


def fold(value: str | None) -> str:
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", stripped.lower()).strip()


def search_text(*parts: str | None) -> str:
    return " | ".join(fold(p) for p in parts if p)

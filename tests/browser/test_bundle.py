"""The first load stays small: at most 250 kB of compressed JavaScript (issue 11)."""

from __future__ import annotations

import gzip
import os
import re

import pytest

from tests.browser.conftest import DIST

BUDGET = 250 * 1024


def test_first_load_javascript_is_within_budget() -> None:
    index = DIST / "index.html"
    if not index.is_file():
        if os.environ.get("CI"):
            pytest.fail("frontend/dist is not built (make frontend)")
        pytest.skip("frontend/dist is not built (make frontend)")
    html = index.read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]+src="/([^"]+\.js)"', html) + re.findall(
        r'<link[^>]+rel="modulepreload"[^>]+href="/([^"]+\.js)"', html
    )
    assert scripts, html
    assert "<script>" not in html  # nothing inline: the CSP would refuse it
    size = sum(len(gzip.compress((DIST / path).read_bytes(), compresslevel=9)) for path in scripts)
    print(f"first load: {size / 1024:.1f} kB of gzip-compressed JavaScript in {len(scripts)} file(s)")
    assert size <= BUDGET

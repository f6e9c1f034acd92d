"""What both speed benches do with the servers they start: stop them, killing the ones that do not stop."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import Any


def stop_all(procs: Sequence[subprocess.Popen[Any]]) -> None:
    # terminate all first, then wait: the servers shut down side by side, not one after the other
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()

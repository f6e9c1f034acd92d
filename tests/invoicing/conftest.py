"""Puts the corpus agreement counts in the terminal summary of every run, passed or not."""

from __future__ import annotations

import pytest

from tests.invoicing.corpus_files import SUMMARY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SUMMARY:
        terminalreporter.section("invoicing: agreement with the official verdicts")
        for line in SUMMARY:
            terminalreporter.write_line(line)

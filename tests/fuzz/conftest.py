"""The fuzz tier (marked `fuzz` by tests/conftest.py; `make fuzz` runs only it, longer) reports what it sent at
the end of the run; `TGW_FUZZ_REPORT=<file>` also writes that as JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.terminal import TerminalReporter

from local.app import LocalApp
from support.clock import ManualClock
from telemetry_gateway import clock as clock_module
from tests.fuzz.harness import LEDGER, MULTIPLIER, PROFILE


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if not LEDGER.requests:
        return
    counts = ", ".join(f"{family} {count}" for family, count in sorted(LEDGER.requests.items()))
    terminalreporter.write_line(
        f"fuzz ({PROFILE} x{MULTIPLIER}): requests {counts}; undocumented 5xx: {len(LEDGER.server_errors)}"
    )
    for error in LEDGER.server_errors[:20]:
        terminalreporter.write_line(f"  {error}")
    if report := os.environ.get("TGW_FUZZ_REPORT"):
        Path(report).write_text(json.dumps(LEDGER.as_json(), indent=2) + "\n")


@pytest.fixture
def manual_clock(aws: LocalApp) -> Iterator[ManualClock]:
    """Virtual time for handlers and Lambda contexts: the notify waits end at once."""
    manual = ManualClock()
    previous = clock_module.install(manual)
    yield manual
    clock_module.install(previous)

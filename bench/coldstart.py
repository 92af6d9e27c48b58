"""Cold import time of each function's module, against `import boto3` measured in the same run."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

from bench.harness import Table
from local.paths import ROOT
from local.template import load
from support.template_env import declared_environment

RUNS = 5
_TIME_IMPORT = """
import time, importlib.util
started = time.perf_counter()
{body}
print((time.perf_counter() - started) * 1000)
"""
_LOAD_FUNCTION = """
spec = importlib.util.spec_from_file_location("app", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
"""


def _fresh_process_ms(body: str, environment: dict[str, str] | None = None) -> float:
    """Median over fresh interpreters, so every run is a true cold import. Functions validate their
    environment at import, so they get the one the template declares for them."""
    timings = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", _TIME_IMPORT.format(body=body)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **(environment or {})},
        )
        timings.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(timings)


def cold_imports() -> Table:
    boto3_ms = _fresh_process_ms("import boto3")
    table = Table("Cold import per function (median of 5 fresh interpreters)", ["function", "import ms", "x boto3"])
    table.rows.append(["(import boto3)", boto3_ms, "1.00"])
    for fn in sorted(load().functions.values(), key=lambda f: f.logical_id):
        ms = _fresh_process_ms(_LOAD_FUNCTION.format(path=str(fn.source)), declared_environment(fn.logical_id))
        table.rows.append([fn.logical_id, ms, f"{ms / boto3_ms:.2f}"])
    return table

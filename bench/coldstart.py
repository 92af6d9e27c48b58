"""Cold import of each function as Lambda runs it, against `import boto3` measured in the same run.

As on Lambda: an interpreter whose only packages are the layer's pinned requirements (`.venv-layer`, built
here once per requirements file; pip compiles their bytecode at install, as they would be on a warm
runtime), the layer's own code on PYTHONPATH like /opt/python and the function's folder like /var/task, the
function's template environment, and the variables Lambda sets, so Powertools' Tracer is active (it checks
`LAMBDA_TASK_ROOT`). Lambda cannot write bytecode next to its read-only code, so our code is compiled on every
cold start: each sample runs on a fresh copy of `layers/gateway/telemetry_gateway` and `functions/<name>`
with no bytecode in it. PYTHONDONTWRITEBYTECODE stays unset, as on Lambda, and the interpreter's attempt to
cache what it compiled fails as it does there: every directory of the copy holds a *file* named
`__pycache__`, so the directory cannot be made (on Lambda: a read-only file system). Writing the cache
would cost this machine about 50 ms per sensor function that Lambda never spends.

Each function's samples alternate with samples of `import boto3`, and its ratio is the median of its own
samples over the median of the boto3 samples taken between them, so a change of machine load during the
run moves both sides.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.harness import Table
from local.paths import ROOT
from local.template import Function, load
from support.template_env import declared_environment

RUNS = 5  # samples per function (and as many of `import boto3` between them)
LIMIT = 1.5  # the bound on a function's cold import, in units of `import boto3`
LAYER = ROOT / "layers" / "gateway"
LAYER_VENV = ROOT / ".venv-layer"

# Wall time, and the CPU time of the importing process: on a shared machine the wall time includes waiting
# for a core, which a Lambda sandbox does not share; the CPU time is the steadier measure of the import.
_TIMER = (
    "import time\nstarted, cpu = time.perf_counter(), time.process_time()\n{statement}\n"
    "print((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)\n"
)

# What the Lambda runtime sets before it imports the handler (besides the function's name, memory, task root).
_LAMBDA_ENVIRONMENT = {
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
    "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
    "AWS_ACCESS_KEY_ID": "cold-start",
    "AWS_SECRET_ACCESS_KEY": "cold-start",  # never used: nothing is called at import
    "AWS_SESSION_TOKEN": "cold-start",
    "LANG": "en_US.UTF-8",
    "TZ": ":UTC",
}


def layer_python() -> Path:
    """The interpreter of `.venv-layer`: Python 3.12 with only the layer's requirements, rebuilt when
    requirements.txt changes."""
    requirements = LAYER / "requirements.txt"
    stamp = LAYER_VENV / f".installed-{hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]}"
    python = LAYER_VENV / "bin" / "python"
    if not stamp.exists():
        print(f"  building {LAYER_VENV.name} (the layer's requirements only; once per requirements file)", flush=True)
        shutil.rmtree(LAYER_VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(LAYER_VENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        installed = subprocess.run([*pip, "-r", str(requirements)], capture_output=True, text=True, check=False)
        if installed.returncode != 0:
            raise RuntimeError(f"installing the layer's requirements failed:\n{installed.stdout}{installed.stderr}")
        stamp.touch()
    return python


@dataclass(frozen=True)
class Sample:
    wall_ms: float
    cpu_ms: float


def _sample(python: Path, statement: str, fn: Function | None) -> Sample:
    """One fresh interpreter importing `statement`, on fresh copies of our code (no bytecode)."""
    with tempfile.TemporaryDirectory(prefix="tgw-cold-") as scratch:
        opt, task = Path(scratch, "opt", "python"), Path(scratch, "var", "task")
        no_bytecode = shutil.ignore_patterns("__pycache__")
        shutil.copytree(LAYER / "telemetry_gateway", opt / "telemetry_gateway", ignore=no_bytecode)
        if fn is None:
            task.mkdir(parents=True)
        else:
            shutil.copytree(fn.source.parent, task, ignore=no_bytecode)
        for directory in [task, *(path for path in opt.rglob("*") if path.is_dir())]:
            (directory / "__pycache__").touch()  # read-only, as far as the bytecode cache is concerned
        environment = {
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": f"{task}{os.pathsep}{opt}",
            "LAMBDA_TASK_ROOT": str(task),
            "AWS_LAMBDA_FUNCTION_NAME": fn.logical_id if fn else "boto3",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory if fn else 128),
            **_LAMBDA_ENVIRONMENT,
            **(declared_environment(fn.logical_id) if fn else {}),
        }
        out = subprocess.run(
            [str(python), "-c", _TIMER.format(statement=statement)],
            cwd=task,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(f"cold import of {fn.logical_id if fn else statement} failed:\n{out.stderr}")
        wall, cpu = out.stdout.strip().splitlines()[-1].split()
        return Sample(float(wall), float(cpu))


def _median(samples: list[Sample], measure: str) -> float:
    return statistics.median(sample.cpu_ms if measure == "cpu_ms" else sample.wall_ms for sample in samples)


def cold_imports() -> Table:
    python = layer_python()
    functions = sorted(load().functions.values(), key=lambda f: f.logical_id)
    rows: list[list[Any]] = []
    all_boto3: list[Sample] = []
    cpu_ratios: list[float] = []
    wall_ratios: list[float] = []
    for fn in functions:
        boto3: list[Sample] = []
        imported: list[Sample] = []
        for _ in range(RUNS):
            boto3.append(_sample(python, "import boto3", None))
            imported.append(_sample(python, "import app", fn))
        all_boto3 += boto3
        cpu_ratio = _median(imported, "cpu_ms") / _median(boto3, "cpu_ms")
        wall_ratio = _median(imported, "wall_ms") / _median(boto3, "wall_ms")
        cpu_ratios.append(cpu_ratio)
        wall_ratios.append(wall_ratio)
        rows.append(
            [
                fn.logical_id,
                _median(imported, "cpu_ms"),
                f"{cpu_ratio:.2f}",
                _median(imported, "wall_ms"),
                f"{wall_ratio:.2f}",
                "" if cpu_ratio <= LIMIT else "over",
            ]
        )
    table = Table(
        f"Cold import per function, as Lambda runs it (layer requirements only, our code compiled afresh, "
        f"tracing active; median of {RUNS} fresh interpreters, each ratio against the `import boto3` samples "
        f"taken between them; bound {LIMIT}x on CPU time)",
        ["function", "CPU ms", "x boto3", "wall ms", "x boto3 (wall)", ""],
    )
    table.rows = [
        ["(import boto3)", _median(all_boto3, "cpu_ms"), "1.00", _median(all_boto3, "wall_ms"), "1.00", ""],
        *rows,
    ]
    table.rows.append(
        [
            "(median of the functions)",
            "",
            f"{statistics.median(cpu_ratios):.2f}",
            "",
            f"{statistics.median(wall_ratios):.2f}",
            "",
        ]
    )
    return table

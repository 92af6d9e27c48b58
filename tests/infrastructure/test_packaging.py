"""`tgw` installed as an operator installs it: `pip install .`, without the development extras."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from local.paths import ROOT


@pytest.fixture(scope="module")
def operator_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("operator-venv")
    # Installed by the suite's own pip into a venv without one (ensurepip and compiling bytecode are
    # half the time of this test and prove nothing about the install).
    venv.create(home, with_pip=False)
    pip = [sys.executable, "-m", "pip", "--python", str(home / "bin/python"), "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "install", "--quiet", "--no-compile", "-c", str(ROOT / "constraints.txt"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return home


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--stack-name", "x", "notify", "user", "list", "--help"],
        ["--local", "sensors", "--help"],
        ["--local", "console", "--help"],
    ],
    ids=["tgw", "stack-command", "local-group", "console"],
)
def test_tgw_runs_without_the_development_extras(operator_venv: Path, argv: list[str]) -> None:
    done = subprocess.run([str(operator_venv / "bin/tgw"), *argv], capture_output=True, text=True, check=False)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("usage: tgw")


def in_venv(venv: Path, code: str) -> subprocess.CompletedProcess[str]:
    """`code` run by the operator venv's Python."""
    return subprocess.run([str(venv / "bin/python"), "-c", code], capture_output=True, text=True, check=False)


def test_the_install_carries_no_development_dependency(operator_venv: Path) -> None:
    code = "import importlib.metadata as m; print(' '.join(d.metadata['Name'].lower() for d in m.distributions()))"
    listed = in_venv(operator_venv, code).stdout.split()

    assert "botocore" in listed
    assert [name for name in ("moto", "pyyaml", "pytest", "requests") if name in listed] == []


def test_the_console_ships_its_front_end_and_imports_without_the_extras(operator_venv: Path) -> None:
    """Its own files are package data; its libraries come from a checkout's node_modules (npm), not the wheel."""
    code = "import cli.console.server, cli.console.assets as a; print(sorted(p.name for p in a.STATIC.iterdir()))"
    done = in_venv(operator_venv, code)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip() == str(["app.js", "favicon.svg", "index.html", "style.css"])

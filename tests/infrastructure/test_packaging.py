"""`tgw` installed as an operator installs it: `pip install .`, without the development extras."""

from __future__ import annotations

import subprocess
import venv
from pathlib import Path

import pytest

from local.paths import ROOT


@pytest.fixture(scope="module")
def operator_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("operator-venv")
    venv.create(home, with_pip=True)
    subprocess.run(
        [str(home / "bin/python"), "-m", "pip", "install", "--quiet", "-c", str(ROOT / "constraints.txt"), str(ROOT)],
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


def test_the_install_carries_no_development_dependency(operator_venv: Path) -> None:
    listed = subprocess.run(
        [str(operator_venv / "bin/python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()

    assert [name for name in ("moto", "pyyaml", "pytest", "requests") if f"\n{name}==" in f"\n{listed}"] == []


def test_the_console_ships_its_front_end_and_imports_without_the_extras(operator_venv: Path) -> None:
    """Its own files are package data; its libraries come from a checkout's node_modules (npm), not the wheel."""
    done = subprocess.run(
        [
            str(operator_venv / "bin/python"),
            "-c",
            "import cli.console.server, cli.console.assets as a; print(sorted(p.name for p in a.STATIC.iterdir()))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip() == str(["app.js", "favicon.svg", "index.html", "style.css"])

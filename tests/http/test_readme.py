"""The README is executable: its ```sh blocks run as written, in order, in one shell, against a `make run`
on a free port (blocks that must not run here, such as deploying, are fenced as ```console)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from local.paths import ROOT
from support.local_server import LocalServer

README = ROOT / "README.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SECONDS = 300


def sh_blocks(text: str) -> list[str]:
    return [match.group(1) for match in BLOCK.finditer(text)]


def test_the_readme_has_runnable_examples_and_fences_the_rest() -> None:
    text = README.read_text()
    fences = re.findall(r"^```(\w*)$", text, re.MULTILINE)

    assert len(sh_blocks(text)) >= 5
    assert set(fences) <= {"sh", "console", "text", ""}  # "" closes a block


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def test_every_sh_block_runs_as_written_in_order(server: LocalServer, tmp_path: Path) -> None:
    """One shell for all blocks, so later blocks use what earlier ones set; each block announces itself so a
    failure names it."""
    blocks = sh_blocks(README.read_text())
    script = ["set -euo pipefail"]
    for number, block in enumerate(blocks, start=1):
        script += [f"echo '### block {number}' >&2", block]
    env = {
        **os.environ,
        "PORT": str(server.port),
        "TGW_LOCAL_DATA": str(server.data_dir),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
    }

    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )

    reached = re.findall(r"^### block (\d+)$", done.stderr, re.MULTILINE)
    assert done.returncode == 0, f"README block {reached[-1] if reached else '?'} failed:\n{done.stderr[-4000:]}"
    assert len(reached) == len(blocks)

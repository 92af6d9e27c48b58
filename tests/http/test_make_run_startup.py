"""`make run` starting up, as a separate process: a busy port ends it with one clear line."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from local import template as template_file
from local.app import shell_environment
from local.template import ROOT


def local_env(port: int, data_dir: Path) -> dict[str, str]:
    return {
        **shell_environment(template_file.load()),
        "PORT": str(port),
        "TGW_LOCAL_DATA": str(data_dir),
        "LOCAL_LOG_LEVEL": "WARNING",
    }


def test_a_busy_port_ends_make_run_with_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as occupant:
        occupant.bind(("127.0.0.1", 0))
        occupant.listen()
        port = occupant.getsockname()[1]

        done = subprocess.run(
            [sys.executable, "-m", "local"],
            cwd=ROOT,
            env=local_env(port, tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert done.returncode != 0
    assert (done.stdout + done.stderr).splitlines() == [
        f"make run: port {port} is in use; set PORT=... or stop the other server"
    ]
    assert not (tmp_path / "server.json").exists()

"""`make run` starting up, as a separate process: a busy port ends it with one clear line, and its output
names the emulator's dashboard after the ready line, then how to put `tgw` on PATH."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import requests

from local import template as template_file
from local.app import shell_environment
from local.paths import ROOT


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


def test_startup_prints_the_ready_line_first_then_the_dashboard_the_docs_and_tgw_on_path(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "local"],
        cwd=ROOT,
        env=local_env(0, tmp_path),  # any free port: the ready line names the one it got
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, dashboard, docs, path_line = (process.stdout.readline() for _ in range(4))
        url = ready.split(" on ", 1)[1].split()[0]
        dashboard_url = dashboard.strip().rsplit(" ", 1)[1]

        assert ready.startswith("Telemetry Gateway: ")
        assert url.startswith("http://127.0.0.1:")
        assert not url.endswith(":0")
        assert requests.get(f"{url}/healthz", timeout=10).json() == {"alive": True}
        assert dashboard.startswith("Emulator dashboard: http://127.0.0.1:")
        assert dashboard_url.endswith("/moto-api/")
        assert requests.get(dashboard_url, timeout=10).status_code == 200
        assert docs.strip() == f"API docs: {url}/docs"
        assert requests.get(f"{url}/docs", timeout=10).status_code == 200
        assert path_line.startswith(f'tgw: export PATH="{Path(sys.executable).parent}:$PATH"')
        # After `tgw: ` the line is a shell command as printed: after it, `tgw` is found on PATH.
        found = subprocess.run(
            ["bash", "-c", f"{path_line.removeprefix('tgw: ')}\ncommand -v tgw"],
            env={"PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        assert found.stdout.strip() == str(Path(sys.executable).parent / "tgw")
    finally:
        process.terminate()
        process.wait(timeout=20)

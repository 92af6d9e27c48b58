"""`make run` in a subprocess, with its own data dir and a free port, as a newcomer runs it."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import boto3

from local import template as template_file
from local.app import shell_environment
from local.paths import ROOT
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.table import Table

# One request: (method, path, body, headers).
Request = tuple[str, str, bytes, dict[str, str]]
TGW = Path(sys.executable).parent / "tgw"  # the operator tool the bootstrap installs beside this Python


def run_tgw(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """`tgw` as an operator runs it, a process of its own; `--local` reaches the server of `data_dir`."""
    return subprocess.run(  # noqa: S603 - this checkout's own tgw
        [str(TGW), *argv],
        env={**os.environ, "TGW_LOCAL_DATA": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalServer:
    """`python -m local` in a subprocess, with its own data dir, as `make run` runs it."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="tgw-local-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = {
            **shell_environment(template_file.load()),
            "PORT": str(self.port),
            "LOCAL_LOG_LEVEL": "WARNING",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
            "TGW_LOCAL_DATA": str(self.data_dir),
            **(env or {}),
        }
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> LocalServer:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "local"],
            cwd=ROOT,
            env=self._env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline()
        if self.url not in ready:
            raise RuntimeError(f"local server did not start: {ready!r}")
        # Keep draining its output: a full pipe would block the server's logging.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if '"level":"ERROR"' in line or "Traceback" in line:
                sys.stderr.write(line)

    def __exit__(self, *_: object) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=20)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def tgw(self, *argv: str) -> dict[str, Any]:
        """`tgw --local <argv> --json` on this server: its one JSON object; a failure raises with tgw's stderr."""
        done = run_tgw(self.data_dir, "--local", *argv, "--json")
        if done.returncode != 0:
            raise RuntimeError(f"tgw {' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
        return dict(json.loads(done.stdout))

    @property
    def info(self) -> dict[str, Any]:
        return dict(json.loads((self.data_dir / "server.json").read_text()))

    def aws_client(self, service: str) -> Any:
        """A client on the server's own moto, e.g. to preload a table."""
        info = self.info
        return boto3.client(  # type: ignore[call-overload]
            service,
            endpoint_url=info["aws_endpoint"],
            region_name=info["region"],
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 - the emulator's dummy credentials
        )

    def table(self, output: str) -> Table:
        """A table of the server's stack (by its output name), reached through the server's own moto."""
        client = self.aws_client("dynamodb")
        return Table(self.info["outputs"][output], lambda: client)

    def bucket(self, output: str) -> Bucket:
        client = self.aws_client("s3")
        return Bucket(self.info["outputs"][output], lambda: client)

    def call(self, request: Request) -> tuple[int, bytes, dict[str, str]]:
        method, path, body, headers = request
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            connection.close()

"""`tgw console` for tests: its server in this process over any stores, or the real command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from cli.console.server import ConsoleServer
from cli.console.sources import Source, Stores
from cli.target import Target
from support.local_server import TGW, LocalServer


class FixedSource:
    """Stores that never move: a test's own moto, or a running `make run` reached by its endpoint."""

    def __init__(self, stores: Stores) -> None:
        self._stores = stores

    def stores(self) -> Stores:
        return self._stores


def server_target(server: LocalServer) -> Target:
    """What `tgw --local` builds from a running `make run`'s state file."""
    info = server.info
    session = boto3.session.Session(
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - the emulator's dummy credentials
        region_name=info["region"],
    )
    return Target(dict(info["outputs"]), session, info["aws_endpoint"])


@contextmanager
def console_thread(source: Source) -> Iterator[ConsoleServer]:
    """The console's HTTP server on a free port, served by a thread of this process."""
    server = ConsoleServer(source, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def console_process(server: LocalServer) -> Iterator[dict[str, Any]]:
    """`tgw --local console --port 0 --json` on a running `make run`, as an operator starts it; yields its
    first line (the URL), once it listens."""
    process = subprocess.Popen(  # noqa: S603 - this checkout's own tgw
        [str(TGW), "--local", "console", "--port", "0", "--json"],
        env={**os.environ, "TGW_LOCAL_DATA": str(server.data_dir)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"tgw console did not start (exit status {process.wait(timeout=10)})")
        yield dict(json.loads(line))
    finally:
        process.terminate()
        process.wait(timeout=10)

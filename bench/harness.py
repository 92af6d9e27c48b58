"""Shared bench machinery: a `make run` server in its own process, a keep-alive HTTP load generator,
in-process AWS call counting, and table printing."""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from local import template as template_file
from local.app import shell_environment
from local.template import ROOT
from telemetry_gateway import aws

# One request: (method, path, body, headers). A factory makes the i-th request of a run.
Request = tuple[str, str, bytes, dict[str, str]]
RequestFactory = Callable[[int], Request]


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def render(self) -> str:
        cells = [self.columns, *[[_cell(v) for v in row] for row in self.rows]]
        widths = [max(len(str(row[i])) for row in cells) for i in range(len(self.columns))]
        lines = [f"## {self.title}", ""]
        for index, row in enumerate(cells):
            lines.append("| " + " | ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)) + " |")
            if index == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: Counter[int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        return percentile(self.latencies_ms, q)


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank `q` quantile (0..1) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class LocalServer:
    """`python -m local` in a subprocess, with its own data dir, as `make run` runs it."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="tgw-bench-"))
        self.port = _free_port()
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

    @property
    def info(self) -> dict[str, Any]:
        return dict(json.loads((self.data_dir / "server.json").read_text()))

    def aws_client(self, service: str) -> Any:
        """A client on the server's own moto, e.g. to preload a table."""
        info = self.info
        return boto3.client(
            service,
            endpoint_url=info["aws_endpoint"],
            region_name=info["region"],
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 - the emulator's dummy credentials
        )

    def call(self, request: Request) -> tuple[int, bytes, dict[str, str]]:
        method, path, body, headers = request
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def load(server: LocalServer, make: RequestFactory, connections: int, total: int) -> LoadResult:
    """`total` requests over `connections` keep-alive connections, as fast as they are answered."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        local_latencies, local_statuses = [], Counter[int]()
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            method, path, body, headers = make(index)
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            local_latencies.append((time.perf_counter() - started) * 1000)
            local_statuses[response.status] += 1
        connection.close()
        with lock:
            latencies.extend(local_latencies)
            statuses.update(local_statuses)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(total, time.perf_counter() - started, latencies, statuses)


def latency_row(name: str, connections: int, result: LoadResult) -> list[Any]:
    statuses = ",".join(f"{code}x{count}" for code, count in sorted(result.statuses.items()))
    return [name, connections, result.percentile(0.5), result.percentile(0.99), result.rps, statuses]


LATENCY_COLUMNS = ["scenario", "conns", "p50 ms", "p99 ms", "req/s", "statuses"]


@contextmanager
def counted_aws_calls() -> Iterator[Counter[str]]:
    """AWS API calls made on this thread while the block runs, so that requests in flight on other
    threads (a Dispatch waiting while its Master replies) are counted apart."""
    calls: Counter[str] = Counter()
    thread = threading.get_ident()

    def count(service: str, operation: str) -> None:
        if threading.get_ident() == thread:
            calls.update([f"{service}.{operation}"])

    stop = aws.observe_calls(count)
    try:
        yield calls
    finally:
        stop()


def median(values: list[float]) -> float:
    return statistics.median(values)

"""Bench machinery: a keep-alive HTTP load generator against a `make run` (support.local_server), and
table printing."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from support.local_server import LocalServer, Request

# A factory makes the i-th request of a run.
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


def median(values: list[float]) -> float:
    return statistics.median(values)

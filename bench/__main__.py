"""`make bench`: cold imports, per-route latency and throughput through `make run`, AWS calls and our own time
per request in process.

It says up front how long it should take, and prints a line as each phase starts (stdout, flushed), so a
slow or stuck phase is visible while it runs.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import coldstart, handler_cost, notify, sensor_data, sensors, telemetry
from bench.harness import Table
from local.app import LocalApp, boot, secret_names
from local.template import load
from support.aws_calls import counted_aws_calls
from support.local_server import LocalServer
from telemetry_gateway.observability import logger

# Each family: run(server) -> tables over HTTP; aws_calls(send) -> rows of in-process call counts.
FAMILIES: list[Any] = [telemetry, notify, sensors, sensor_data]


@dataclass(frozen=True)
class Phase:
    """A part of the bench and about how long it takes on the 2-core machine (seconds, measured)."""

    name: str
    seconds: int


COLD = Phase("cold imports: fresh interpreters in the layer-only venv, each function against import boto3", 80)
HTTP = {
    telemetry: Phase("telemetry API through make run (/report on an empty table, then 30,000 items stored)", 70),
    notify: Phase("Notify relay through make run (delivery both ways, back to back and with 0-3 s pauses)", 100),
    sensors: Phase("sensor API through make run, and the sweep over 10,000 clients", 55),
    sensor_data: Phase("sensor data path through make run (picks, heartbeats with requests, uploads)", 40),
}
IN_PROCESS = Phase("in process: AWS calls per request, reads of idle waits, our own time per request", 75)
START = 10  # a make run server starting, twice


def _in_process_app() -> LocalApp:
    template = load()
    secrets = dict.fromkeys(secret_names(template), "a" * 88)
    app = boot(template, secrets, 3000, environ={"POWERTOOLS_LOG_LEVEL": "ERROR"})
    # The layer's logger was made when the bench's imports loaded it, before boot exported the level.
    logger.setLevel("ERROR")
    return app


def _in_process_sender(app: LocalApp) -> Callable[..., tuple[dict[str, Any], str]]:
    """Invoke functions in this process on moto and report the AWS calls each request made."""

    def send(method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[dict[str, Any], str]:
        route, event = app.gateway.event_for(method, path, body, list(headers.items()))
        with counted_aws_calls() as calls:
            response = app.runtime.invoke(route.function, event)
        summary = ", ".join(f"{name} x{count}" for name, count in sorted(calls.items())) or "none"
        return response, summary

    return send


class Progress:
    def __init__(self, phases: list[Phase]) -> None:
        self.phases = phases
        self.started = time.perf_counter()
        self.done = 0
        expected = sum(phase.seconds for phase in phases) + START
        print(
            f"make bench: {len(phases)} phases, about {expected // 60} min {expected % 60} s on 2 idle cores "
            f"(longer on a busy machine; load average now {os.getloadavg()[0]:.1f})",
            flush=True,
        )

    def start(self, phase: Phase) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.started
        print(
            f"[{self.done}/{len(self.phases)}] {phase.name}: about {phase.seconds} s "
            f"({elapsed:.0f} s elapsed, load {os.getloadavg()[0]:.1f})",
            flush=True,
        )


def show(tables: list[Table]) -> None:
    for table in tables:
        print(table.render(), flush=True)


def main() -> None:
    progress = Progress([COLD, *HTTP.values(), IN_PROCESS])
    progress.start(COLD)
    show([coldstart.cold_imports()])
    with LocalServer() as server:
        for family in FAMILIES:
            progress.start(HTTP[family])
            show(family.run(server))
    progress.start(IN_PROCESS)
    app = _in_process_app()
    send = _in_process_sender(app)
    calls = Table("AWS API calls per request (counted with botocore event hooks)", ["request", "calls"])
    for family in FAMILIES:
        calls.rows.extend(family.aws_calls(send))
    show([calls, *handler_cost.handler_cost(app)])
    print(
        f"bench finished in {time.perf_counter() - progress.started:.0f} s on {os.cpu_count()} cores, "
        f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()

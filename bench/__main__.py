"""`make bench`: cold imports, per-route latency and throughput through `make run`, AWS calls per request."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import coldstart, notify, sensor_data, sensors, telemetry
from bench.harness import Table
from local.app import boot, secret_names
from local.template import load
from support.aws_calls import counted_aws_calls
from support.local_server import LocalServer

# Each family: run(server) -> tables over HTTP; aws_calls(send) -> rows of in-process call counts.
FAMILIES: list[Any] = [telemetry, notify, sensors, sensor_data]


def _in_process_sender() -> Callable[..., tuple[dict[str, Any], str]]:
    """Invoke functions in this process on moto and report the AWS calls each request made."""
    template = load()
    app = boot(
        template, dict.fromkeys(secret_names(template), "a" * 88), 3000, environ={"POWERTOOLS_LOG_LEVEL": "ERROR"}
    )

    def send(method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[dict[str, Any], str]:
        route, event = app.gateway.event_for(method, path, body, list(headers.items()))
        with counted_aws_calls() as calls:
            response = app.runtime.invoke(route.function, event)
        summary = ", ".join(f"{name} x{count}" for name, count in sorted(calls.items())) or "none"
        return response, summary

    return send


def main() -> None:
    started = time.perf_counter()
    print(coldstart.cold_imports().render(), flush=True)
    with LocalServer() as server:
        for family in FAMILIES:
            for table in family.run(server):
                print(table.render(), flush=True)
    send = _in_process_sender()
    calls = Table("AWS API calls per request (counted with botocore event hooks)", ["request", "calls"])
    for family in FAMILIES:
        calls.rows.extend(family.aws_calls(send))
    print(calls.render())
    print(
        f"bench finished in {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores, {sys.version.split()[0]}"
    )


if __name__ == "__main__":
    main()

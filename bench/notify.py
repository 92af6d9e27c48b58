"""Notify relay: delivery latency both ways through `make run`, a burst on one circuit, and the DynamoDB
reads an idle wait costs."""

from __future__ import annotations

import base64
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from bench.harness import Table, percentile
from cli import notify_admin
from cli.notify_admin import CIRCUIT, USER
from support.clock import ManualClock
from support.local_server import LocalServer, Request
from telemetry_gateway import clock as clock_module
from telemetry_gateway.clock import SystemClock
from telemetry_gateway.config import Env
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify import credentials
from telemetry_gateway.storage.table import Table as DynamoTable

ROUNDS = {"back to back": 40, "0-3 s pauses": 25}
BURST = 20
IDLE_WINDOW_SECONDS = 25  # the default windows, which the in-process sender runs with


@dataclass(frozen=True)
class Circuit:
    ka: str
    kc: str
    secret: str


def _circuit(directory: DynamoTable, name: str) -> Circuit:
    now, deadline = datetime.now(UTC), Deadline.after(SystemClock(), 60)
    ka = notify_admin.create(directory, USER, f"bench-{name}", now, deadline)[credentials.KA]
    issued = notify_admin.create(directory, CIRCUIT, name, now, deadline)
    return Circuit(ka, issued[credentials.KC], issued[credentials.KS])


@dataclass
class Timings:
    """Seconds on time.perf_counter() of one message's trip, written by the Client and Master threads."""

    sent: dict[bytes, float] = field(default_factory=dict)
    listened: dict[bytes, float] = field(default_factory=dict)
    replied: dict[bytes, float] = field(default_factory=dict)
    answered: dict[bytes, float] = field(default_factory=dict)
    statuses: list[int] = field(default_factory=list)


def _master(server: LocalServer, circuit: Circuit, count: int, think: Callable[[], float], timings: Timings) -> None:
    """Listen with a cursor, wait `think()` seconds, reply; `count` times."""
    referer = {"Referer": server.url, "Content-Type": "application/x-www-form-urlencoded"}
    last = ""
    while len(timings.replied) < count:
        status, body, headers = server.call(
            ("POST", "/MailboxListen/", urlencode({"secret": circuit.secret, "last": last}).encode(), referer)
        )
        if status != 200:
            continue  # 502: the window ended; listen again with the same cursor
        message = base64.b64decode(body.split(b"\n\n", 1)[1])
        timings.listened[message] = time.perf_counter()
        last = headers["X-Message-Id"]
        time.sleep(think())
        reply = urlencode({"secret": circuit.secret, "id": last, "data": b"re: " + message}).encode()
        server.call(("POST", "/MailboxPost/", reply, referer))
        timings.replied[message] = time.perf_counter()


def _client(server: LocalServer, circuit: Circuit, message: bytes, timings: Timings) -> None:
    timings.sent[message] = time.perf_counter()
    status, _, _ = server.call(("POST", f"/Dispatch/{circuit.ka}/{circuit.kc}", message, {}))
    timings.answered[message] = time.perf_counter()
    timings.statuses.append(status)


def _relay_rounds(server: LocalServer, circuit: Circuit, pause: Callable[[], float], rounds: int) -> Timings:
    """One Dispatch at a time; `pause()` seconds pass before each Dispatch and before each reply, so
    the polls on both sides meet the message at every moment of their cadence."""
    timings = Timings()
    master = threading.Thread(target=_master, args=(server, circuit, rounds, pause, timings))
    master.start()
    for n in range(rounds):
        time.sleep(pause())
        _client(server, circuit, f"round {n}".encode(), timings)
    master.join()
    return timings


def _burst(server: LocalServer, circuit: Circuit) -> tuple[Timings, float]:
    """BURST Dispatches at once on one circuit (they contend for its sequence), one Master."""
    timings = Timings()
    master = threading.Thread(target=_master, args=(server, circuit, BURST, lambda: 0.0, timings))
    clients = [
        threading.Thread(target=_client, args=(server, circuit, f"burst {n}".encode(), timings)) for n in range(BURST)
    ]
    started = time.perf_counter()
    master.start()
    for thread in clients:
        thread.start()
    for thread in [*clients, master]:
        thread.join()
    return timings, time.perf_counter() - started


def _ms(pairs: list[tuple[float, float]]) -> list[float]:
    return [(end - start) * 1000 for start, end in pairs]


def _row(name: str, scenario: str, values: list[float]) -> list[Any]:
    return [name, scenario, len(values), percentile(values, 0.5), percentile(values, 0.99), max(values)]


def _latency_rows(scenario: str, timings: Timings) -> list[list[Any]]:
    to_master = _ms([(timings.sent[m], timings.listened[m]) for m in timings.listened])
    to_client = _ms([(timings.replied[m], timings.answered[m]) for m in timings.answered])
    return [
        _row("dispatch -> listen (Client sends .. Master has it)", scenario, to_master),
        _row("reply -> dispatch (MailboxPost answered .. Client has it)", scenario, to_client),
    ]


def run(server: LocalServer) -> list[Table]:
    directory = server.table("NotifyDirectoryTableName")
    table = Table(
        "Notify relay through the local gateway (one circuit, one Master)",
        ["trip", "scenario", "n", "p50 ms", "p99 ms", "max ms"],
    )
    rng = random.Random(7)
    # Not measured: the server's first Dispatch pays one-time costs of the emulator (its expression parsers)
    # and of the function (its process number), about 200 ms; a new circuit's first round is measured.
    _relay_rounds(server, _circuit(directory, "warm-up"), lambda: 0.0, 2)
    eager = _relay_rounds(server, _circuit(directory, "eager"), lambda: 0.0, ROUNDS["back to back"])
    table.rows.extend(_latency_rows("back to back", eager))
    idle = _relay_rounds(server, _circuit(directory, "idle"), lambda: rng.uniform(0, 3), ROUNDS["0-3 s pauses"])
    table.rows.extend(_latency_rows("0-3 s pauses", idle))
    burst, seconds = _burst(server, _circuit(directory, "burst"))
    table.rows.extend(_latency_rows(f"{BURST} at once", burst))
    statuses = ",".join(f"{code}x{burst.statuses.count(code)}" for code in sorted(set(burst.statuses)))
    table.rows.append([f"{BURST} concurrent Dispatches, all answered", statuses, BURST, "", "", seconds * 1000])
    return [table]


def aws_calls(send: Any) -> list[list[Any]]:
    """Calls per request in-process (each counted on its own thread), and the reads of idle waits."""
    circuit = _circuit(DynamoTable(Env().text("NOTIFY_DIRECTORY_TABLE")), "calls")
    dispatch: Request = ("POST", f"/Dispatch/{circuit.ka}/{circuit.kc}", b"hello", {})
    referer = {"Referer": "http://127.0.0.1:3000"}
    answered: list[str] = []
    waiting = threading.Thread(target=lambda: answered.append(send(*dispatch)[1]))
    waiting.start()
    time.sleep(0.3)  # the message is stored; the Dispatch is polling for its reply
    listened, listen_calls = send("POST", "/MailboxListen/", urlencode({"secret": circuit.secret}).encode(), referer)
    reply = urlencode({"secret": circuit.secret, "id": listened["headers"]["X-Message-Id"], "data": "hi"})
    posted_calls = send("POST", "/MailboxPost/", reply.encode(), referer)[1]
    waiting.join()
    rows = [
        ["POST /Dispatch/{ka}/{kc}, answered after ~0.3 s", answered[0]],
        ["POST /MailboxListen/, a message pending", listen_calls],
        ["POST /MailboxPost/", posted_calls],
    ]
    # Idle waits run on a virtual clock: the cadence is deterministic, so the count is what 25 s costs.
    previous = clock_module.install(ManualClock())
    try:
        idle_dispatch = send(*dispatch)
        cursor = idle_dispatch[0]["headers"]["X-Message-Id"]
        last = urlencode({"secret": circuit.secret, "last": cursor}).encode()
        idle_listen = send("POST", "/MailboxListen/", last, referer)
    finally:
        clock_module.install(previous)
    for name, (response, calls) in (("POST /Dispatch", idle_dispatch), ("POST /MailboxListen/", idle_listen)):
        reads = sum(int(part.rsplit("x", 1)[1]) for part in calls.split(", ") if "GetItem" in part or "Query" in part)
        rows.append(
            [
                f"{name}, idle for the whole {IDLE_WINDOW_SECONDS} s window ({response['statusCode']})",
                f"{calls}; {reads} reads = {reads / IDLE_WINDOW_SECONDS:.2f} per second of waiting",
            ]
        )
    return rows

"""Our own time per request, in process: each handler's time minus its AWS calls and minus its sleeps (the long
polls' waits), next to the end-to-end time and the AWS calls it made; and, for /report of 10 items, what that
remaining time is spent on.

An AWS call is timed from botocore's `provide-client-params` (the first event of a client call) to its
`after-call` (or `after-call-error`), on the layer's own clients: botocore's serialisation, the emulator and
the parsing of the answer are all "AWS". Sleeps are timed by a clock installed around the process clock.
Events and the Lambda context are built before the clock starts; what is timed is the function's handler,
Powertools' wrappers included.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from bench.harness import Table, percentile
from bench.notify import Circuit, _circuit
from bench.sensors import HEADERS, _create_body, _heartbeat, _signature
from bench.telemetry import report_body
from local.app import LocalApp
from local.lambda_runtime import LocalContext
from support.local_server import Request
from telemetry_gateway import aws
from telemetry_gateway import clock as clock_module
from telemetry_gateway.clock import Clock
from telemetry_gateway.config import Env
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateResponse, ClientMetadataRequest
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage
from telemetry_gateway.sensors.pb.query_messages_pb2 import RecentEventQuery
from telemetry_gateway.storage.table import Table as DynamoTable

SERVICES = ("dynamodb", "s3", "secretsmanager", "sqs")
TARGET_REPORT_MS = 2.0  # the bound for /report of 10 items: what SUSE's Go server spends with an index


@dataclass
class Measured:
    """One request: its time, the part of it in AWS calls and in sleeps, and the calls it made."""

    total: float = 0.0
    aws: float = 0.0
    sleeping: float = 0.0
    calls: Counter[str] = field(default_factory=Counter)

    @property
    def ours(self) -> float:
        return self.total - self.aws - self.sleeping


class Meter:
    """Per thread: the AWS calls and sleeps of the request that thread is serving."""

    def __init__(self) -> None:
        self._current: dict[int, Measured] = {}
        self._started: dict[int, float] = {}

    def attach(self) -> None:
        for service in SERVICES:
            events = aws.client(service).meta.events
            events.register("provide-client-params", self._call_starts)
            events.register("after-call", self._call_ends)
            events.register("after-call-error", self._call_ends)

    @contextmanager
    def request(self) -> Iterator[Measured]:
        measured = self._current[threading.get_ident()] = Measured()
        started = time.perf_counter()
        try:
            yield measured
        finally:
            measured.total = time.perf_counter() - started
            del self._current[threading.get_ident()]

    def slept(self, seconds: float) -> None:
        measured = self._current.get(threading.get_ident())
        if measured is not None:
            measured.sleeping += seconds

    def _call_starts(self, model: Any, **_: Any) -> None:
        thread = threading.get_ident()
        if thread in self._current:
            self._started[thread] = time.perf_counter()
            self._current[thread].calls[f"{model.service_model.service_name}.{model.name}"] += 1

    def _call_ends(self, **_: Any) -> None:
        thread = threading.get_ident()
        started = self._started.pop(thread, None)
        if started is not None and thread in self._current:
            self._current[thread].aws += time.perf_counter() - started


class MeteredClock:
    """The process clock, with each sleep reported to the meter (a long poll's wait is not our time)."""

    def __init__(self, inner: Clock, meter: Meter) -> None:
        self._inner = inner
        self._meter = meter

    def now(self) -> datetime:
        return self._inner.now()

    def monotonic(self) -> float:
        return self._inner.monotonic()

    def sleep(self, seconds: float) -> None:
        started = time.perf_counter()
        self._inner.sleep(seconds)
        self._meter.slept(time.perf_counter() - started)


class Bench:
    """Invokes the functions in this process, as `make run` does, and measures each invocation."""

    def __init__(self, app: LocalApp) -> None:
        self.app = app
        self.meter = Meter()
        self.meter.attach()
        self.in_handler = threading.Event()  # for the sampler: set while a handler runs on the profiled thread

    def invoke(self, request: Request) -> tuple[dict[str, Any], Measured]:
        method, path, body, headers = request
        route, event = self.app.gateway.event_for(method, path, body, list(headers.items()))
        fn = self.app.runtime.function(route.function)
        handler = self.app.runtime.handler(fn)
        context = LocalContext(fn, self.app.runtime.region)
        with self.meter.request() as measured:
            self.in_handler.set()
            try:
                response = handler(event, context)
            finally:
                self.in_handler.clear()
        return response, measured

    def row(self, label: str, requests: Iterator[Request], count: int, warm: int = 5) -> list[Any]:
        """`count` requests after `warm` unmeasured ones (the first of a container also reads keys)."""
        runs = []
        for n, request in enumerate(requests):
            response, measured = self.invoke(request)
            assert response["statusCode"] < 300, (label, response)
            if n >= warm:
                runs.append(measured)
            if len(runs) == count:
                break
        return summary(label, runs)


def summary(label: str, runs: list[Measured]) -> list[Any]:
    calls = sum((run.calls for run in runs), Counter[str]())
    per_request = ", ".join(f"{name} x{calls[name] / len(runs):.3g}" for name in sorted(calls)) or "none"
    return [
        label,
        len(runs),
        f"{statistics.median(run.total for run in runs) * 1000:.2f}",
        f"{statistics.median(run.aws for run in runs) * 1000:.2f}",
        f"{statistics.median(run.ours for run in runs) * 1000:.2f}",
        f"{percentile([run.ours * 1000 for run in runs], 0.9):.2f}",
        per_request,
    ]


COLUMNS = ["request", "n", "e2e p50 ms", "AWS p50 ms", "ours p50 ms", "ours p90 ms", "AWS calls per request"]


def _body(response: dict[str, Any]) -> bytes:
    raw = response["body"]
    return base64.b64decode(raw) if response.get("isBase64Encoded") else str(raw).encode()


# ---------------------------------------------------------------------------- the requests


def _telemetry(bench: Bench) -> tuple[dict[str, str], int, str]:
    client_id = str(uuid.uuid4())
    body = {"clientRegistration": {"clientId": client_id, "systemUUID": "", "timestamp": "t"}}
    registered, _ = bench.invoke(("POST", "/telemetry/register", json.dumps(body).encode(), {}))
    creds = json.loads(registered["body"])
    headers = {
        "Authorization": f"Bearer {creds['authToken']}",
        "X-Telemetry-Registration-Id": str(creds["registrationId"]),
        "Content-Type": "application/json",
    }
    return headers, int(creds["registrationId"]), client_id


def _registrations() -> Iterator[Request]:
    while True:
        body = {"clientRegistration": {"clientId": f"cost-{uuid.uuid4()}", "systemUUID": "", "timestamp": "t"}}
        yield ("POST", "/telemetry/register", json.dumps(body).encode(), {})


def _authentications(registration_id: int, client_id: str) -> Iterator[Request]:
    digest = hashlib.sha256(f"{client_id}||t".encode()).hexdigest()
    body = {"registrationId": registration_id, "regHash": {"method": "sha256", "value": digest}}
    while True:
        yield ("POST", "/telemetry/authenticate", json.dumps(body).encode(), {})


def _reports(headers: dict[str, str], items: int) -> Iterator[Request]:
    seed = 0
    while True:
        seed += 1
        yield ("POST", "/telemetry/report", report_body(seed, items), headers)


def _sensor_client(bench: Bench, north: float = 0.0) -> ClientCreateResponse:
    created, _ = bench.invoke(("POST", "/api/v1/bench/client/create", _create_body(north), HEADERS))
    client = ClientCreateResponse.FromString(_body(created))
    beat = _heartbeat(client, 1)  # active, so its picks are counted
    bench.invoke(("POST", f"/api/v1/bench/heartbeat/{client.client_id}", beat, HEADERS))
    return client


_message_ids: dict[int, itertools.count[int]] = {}


def _signed(client: ClientCreateResponse, route: str, body: Callable[[int], bytes]) -> Iterator[Request]:
    """Requests of one client, each with its next message id (id 1 went to its first heartbeat)."""
    ids = _message_ids.setdefault(client.client_id, itertools.count(2))
    while True:
        yield ("POST", f"/api/v1/bench/{route}/{client.client_id}", body(next(ids)), HEADERS)


def _pick(client: ClientCreateResponse, message_id: int) -> bytes:
    """A pick of now (so detection evaluates it), each a millisecond apart."""
    now = format_date(datetime.now(UTC) + timedelta(milliseconds=message_id))
    event = EventMessage.SensorEvent(sensor_id=client.sensor_ids[0], readings=[0.01, -0.03, 0.99], date=now)
    return EventMessage(
        client_signature=_signature(client.client_secret, message_id, now), event=event
    ).SerializeToString()


def _metadata(client: ClientCreateResponse, message_id: int) -> bytes:
    signature = _signature(client.client_secret, message_id)
    return ClientMetadataRequest(client_signature=signature, include_sensor_data=True).SerializeToString()


def _creations() -> Iterator[Request]:
    while True:
        yield ("POST", "/api/v1/bench/client/create", _create_body(), HEADERS)


def _recent() -> Iterator[Request]:
    while True:
        yield ("POST", "/api/v1/bench/events/recent", RecentEventQuery().SerializeToString(), HEADERS)


def _notify() -> tuple[Circuit, dict[str, str]]:
    circuit = _circuit(DynamoTable(Env().text("NOTIFY_DIRECTORY_TABLE")), f"cost-{uuid.uuid4().hex[:8]}")
    return circuit, {"Referer": "http://127.0.0.1:3000", "Content-Type": "application/x-www-form-urlencoded"}


class Relay:
    """Dispatches, each answered by a Master on another thread; the Master's own requests are measured too
    (each thread's calls and time are its own)."""

    def __init__(self, bench: Bench, circuit: Circuit, referer: dict[str, str]) -> None:
        self.bench, self.circuit, self.referer = bench, circuit, referer
        self.listens: list[Measured] = []
        self.posts: list[Measured] = []
        self._stop = threading.Event()

    def dispatches(self) -> Iterator[Request]:
        thread = threading.Thread(target=self._master, daemon=True)
        thread.start()
        try:
            while True:
                yield ("POST", f"/Dispatch/{self.circuit.ka}/{self.circuit.kc}", b"hello", {})
        finally:
            self._stop.set()

    def _master(self) -> None:
        last = ""
        while not self._stop.is_set():
            form = urlencode({"secret": self.circuit.secret, "last": last}).encode()
            listened, measured = self.bench.invoke(("POST", "/MailboxListen/", form, self.referer))
            if listened["statusCode"] != 200:
                continue
            self.listens.append(measured)
            last = listened["headers"]["X-Message-Id"]
            reply = urlencode({"secret": self.circuit.secret, "id": last, "data": "re"}).encode()
            self.posts.append(self.bench.invoke(("POST", "/MailboxPost/", reply, self.referer))[1])


# ---------------------------------------------------------------------------- the phase


@contextmanager
def _metered_clock(meter: Meter) -> Iterator[None]:
    previous = clock_module.install(MeteredClock(clock_module.current(), meter))
    try:
        yield
    finally:
        clock_module.install(previous)


def handler_cost(app: LocalApp) -> list[Table]:
    bench = Bench(app)
    table = Table(
        "Handler cost in process: our own time per request = end to end minus AWS calls (botocore events on the "
        "layer's clients, emulator included) minus sleeps; p50/p90 over n requests",
        COLUMNS,
    )
    with _metered_clock(bench.meter):
        headers, _, _ = _telemetry(bench)
        _, registration_id, client_id = _telemetry(bench)  # re-authenticated: its token changes every time
        rows = [
            bench.row("GET /healthz", iter(lambda: ("GET", "/healthz", b"", {}), None), 300),
            bench.row("POST /telemetry/register", _registrations(), 100),
            bench.row("POST /telemetry/authenticate", _authentications(registration_id, client_id), 100),
            bench.row("POST /telemetry/report 1x10 items", _reports(headers, 10), 300),
            bench.row("POST /telemetry/report 1x100 items", _reports(headers, 100), 50),
        ]
        relay = Relay(bench, *_notify())
        rows.append(bench.row("POST /Dispatch/{ka}/{kc}, answered", relay.dispatches(), 30, warm=2))
        rows.append(summary("POST /MailboxListen/ (the Master of those)", relay.listens[2:]))
        rows.append(summary("POST /MailboxPost/ (its replies)", relay.posts[2:]))
        client = _sensor_client(bench)
        picker = _sensor_client(bench, north=0.1)  # its own cell: every pick evaluated, none declares
        heartbeats = _signed(client, "heartbeat", lambda n: _heartbeat(client, n))
        metadata = _signed(client, "client/metadata", lambda n: _metadata(client, n))
        picks = _signed(picker, "event", lambda n: _pick(picker, n))
        rows += [
            bench.row("POST client/create", _creations(), 100),
            bench.row("POST heartbeat/{id}", heartbeats, 200),
            bench.row("POST client/metadata/{id}", metadata, 100),
            bench.row("POST event/{id}: pick of now, detection", picks, 200),
            bench.row("POST events/recent", _recent(), 100),
        ]
    table.rows = rows
    report_ms = float(rows[3][4])  # ours p50 of /report 1x10
    return [table, report_breakdown(bench, headers, report_ms)]


# ---------------------------------------------------------------------------- what /report's own time is


def report_breakdown(bench: Bench, headers: dict[str, str], ours_ms: float, count: int = 600) -> Table:
    """Where /report of 10 items spends our time: a sampling profile (a thread looks at the handler's stack
    every 0.2 ms); each sample outside an AWS call is charged to the innermost frame of ours (the layer, the
    function) and to the library it was in, if any. The shares are applied to `ours_ms`, measured without
    the sampler (which slows the handler)."""
    target = threading.get_ident()
    samples: Counter[str] = Counter()
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            time.sleep(0.0002)
            if bench.in_handler.is_set():
                samples[_charge(sys._current_frames().get(target))] += 1

    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.0001)  # let the sampler in often
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        for request in _take(_reports(headers, 10), count):
            bench.invoke(request)
    finally:
        stop.set()
        sampler.join()
        sys.setswitchinterval(previous)
    counted = {name: n for name, n in samples.items() if name not in ("AWS call", "idle")}
    total = sum(counted.values()) or 1
    table = Table(
        f"What our {ours_ms:.2f} ms (p50) of a /report of 10 items are spent on (target {TARGET_REPORT_MS} ms; "
        f"sampling profile, {total} samples of our code over {count} requests)",
        ["where (our module, and the library it was in)", "share", "ms per request"],
    )
    shown = sorted(counted.items(), key=lambda item: -item[1])[:15]
    for name, n in shown:
        table.rows.append([name, f"{100 * n / total:.0f}%", f"{ours_ms * n / total:.2f}"])
    rest = total - sum(n for _, n in shown)
    if rest:
        table.rows.append(["(the rest)", f"{100 * rest / total:.0f}%", f"{ours_ms * rest / total:.2f}"])
    return table


def _take(requests: Iterator[Request], count: int) -> Iterator[Request]:
    for _, request in zip(range(count), requests, strict=False):
        yield request


LAYER_MARK = "/layers/gateway/telemetry_gateway/"
FUNCTION_MARK = "/functions/"


def _charge(frame: Any) -> str:
    """'AWS call' inside a botocore client call; else the innermost frame of ours, and the library below it."""
    if frame is None:
        return "idle"
    library = None
    while frame is not None:
        code = frame.f_code
        filename = code.co_filename
        if code.co_name == "_make_api_call" and "botocore" in filename:
            return "AWS call"
        if LAYER_MARK in filename or FUNCTION_MARK in filename:
            ours = _module(filename)
            return f"{ours} ({library})" if library else ours
        if filename == "<string>":  # code that dataclasses generate: __init__, __eq__, __hash__
            library = library or "dataclass methods"
        elif library is None:
            library = _library(filename)
        frame = frame.f_back
    return library or "other"


def _module(filename: str) -> str:
    if LAYER_MARK in filename:
        return filename.split(LAYER_MARK, 1)[1].removesuffix(".py").replace("/", ".")
    return "functions/" + filename.split(FUNCTION_MARK, 1)[1]


def _library(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    parts = filename.removesuffix(".py").split("/")
    name = parts[-2] if parts[-1] == "__init__" and len(parts) > 1 else parts[-1]
    return f"stdlib {name}" if "/lib/python3" in filename else name

"""The front door's threads and sockets, with the template's real routing and a stand-in runtime whose
long polls (Dispatch, MailboxListen) wait until the test releases them: held long polls never starve
other requests, a pipelined answer is not held behind one, stopping never waits for them, Nagle is off,
and functions get header lines and chunked bodies as the client sent them."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from local.apigw import Gateway
from local.server import GatewayServer, listen
from local.template import load
from tests.http.raw_http import TIMEOUT, RawConnection

LONG_POLLS = ("/Dispatch/{ka}/{kc}", "/MailboxListen")
DISPATCH = "/Dispatch/KA" + "a" * 43 + "/KC" + "b" * 43


@dataclass
class HoldingRuntime:
    """Answers at once with what the function received, except long polls, which wait for `release`."""

    release: threading.Event = field(default_factory=threading.Event)
    held: int = 0
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def invoke(self, function: str, event: dict[str, Any], _request_id: str | None = None) -> dict[str, Any]:
        if event["resource"] in LONG_POLLS:
            with self.arrived:
                self.held += 1
                self.arrived.notify_all()
            self.release.wait(timeout=60)
        received = {"function": function, "headers": event["multiValueHeaders"], "body": event["body"]}
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(received)}

    def wait_until_held(self, count: int) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: self.held >= count, timeout=TIMEOUT)


@dataclass
class Served:
    server: GatewayServer
    runtime: HoldingRuntime
    url: str


def serve(runtime: HoldingRuntime) -> tuple[GatewayServer, threading.Thread]:
    server = GatewayServer(listen(0), Gateway(load()), runtime)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def served() -> Iterator[Served]:
    runtime = HoldingRuntime()
    server, _ = serve(runtime)
    yield Served(server, runtime, f"http://127.0.0.1:{server.port}")
    runtime.release.set()
    server.shutdown()
    server.server_close()


def test_a_hundred_held_long_polls_do_not_starve_other_requests(served: Served) -> None:
    held = [RawConnection(served.url) for _ in range(100)]
    try:
        for n, connection in enumerate(held):
            connection.request("POST", DISPATCH if n % 2 else "/MailboxListen", body=b"secret=x")
        assert served.runtime.wait_until_held(100)

        with RawConnection(served.url) as other:
            other.request("GET", "/healthz")
            assert other.response().status == 200  # within TIMEOUT, while the hundred wait

        served.runtime.release.set()
        assert [connection.response().status for connection in held] == [200] * 100
    finally:
        for connection in held:
            connection.close()


def test_a_pipelined_answer_is_not_held_behind_a_long_poll(served: Served) -> None:
    with RawConnection(served.url) as connection:
        connection.send(
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            + f"POST {DISPATCH} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi".encode()
        )
        first = connection.response()  # within TIMEOUT, while the Dispatch behind it waits
        assert served.runtime.wait_until_held(1)
        served.runtime.release.set()
        second = connection.response()

    assert (first.status, json.loads(first.body)["function"]) == (200, "Healthz")
    assert (second.status, json.loads(second.body)["body"]) == (200, "hi")


def test_stopping_the_server_does_not_wait_for_held_long_polls() -> None:
    runtime = HoldingRuntime()
    server, serving = serve(runtime)
    try:
        with RawConnection(f"http://127.0.0.1:{server.port}") as connection:
            connection.request("POST", "/MailboxListen", body=b"secret=x")
            assert runtime.wait_until_held(1)

            def stop() -> None:
                server.shutdown()
                server.server_close()

            stopping = threading.Thread(target=stop)
            stopping.start()
            stopping.join(timeout=TIMEOUT)

            assert not stopping.is_alive()
            assert not serving.is_alive()
            assert connection.closed_by_server()
    finally:
        runtime.release.set()


def test_accepted_connections_have_nagle_off(served: Served) -> None:
    with RawConnection(served.url) as connection:
        connection.request("GET", "/healthz")
        assert connection.response().status == 200
        # The server's side of the connection (waitress' channels, keyed by descriptor).
        accepted = [c.socket for c in served.server._map.values() if getattr(c, "addr", None)]

        assert accepted
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in accepted)


def test_functions_get_header_lines_as_sent_and_chunked_bodies_whole(served: Served) -> None:
    with RawConnection(served.url) as connection:
        connection.send(
            b"POST /telemetry/report HTTP/1.1\r\nHost: x\r\nX-Repeated: one\r\nx-REPEATED: two\r\n"
            b"X_Underscored: kept\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"
        )
        received = json.loads(connection.response().body)

    assert received["body"] == "hello world"
    assert received["headers"]["X-Repeated"] == ["one"]
    assert received["headers"]["x-REPEATED"] == ["two"]
    assert received["headers"]["X_Underscored"] == ["kept"]

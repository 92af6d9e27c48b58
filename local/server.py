"""The HTTP front door of `make run`: waitress, a maintained multi-threaded WSGI server, serving
`local.wsgi.FrontDoor` on 127.0.0.1.

waitress owns HTTP: malformed framing (a bad Content-Length or chunk size) answers 400 and closes,
`Connection: close` is honoured and echoed, keep-alive, pipelining, `Expect: 100-continue`, HEAD, and
TCP_NODELAY on every accepted socket (its default; without it each response waited ~40 ms for a
delayed ACK). This module sizes it and adds small hooks: header lines kept as sent, a refused oversized body
answered with the template's 413, an access-log line for every refusal, and a prompt send of a response
that pipelined requests wait behind."""

from __future__ import annotations

import socket
import threading
import time
import warnings
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, get_header_lines
from waitress.rfc7230 import HEADER_FIELD_RE
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from local.access_log import log_request
from local.apigw import MAX_REQUEST_BYTES, Gateway
from local.lambda_runtime import FunctionRuntime
from local.wsgi import RAW_HEADERS, FrontDoor, request_target, status_line, wire_headers

HOST = "127.0.0.1"

# Worker threads. A Notify Dispatch or MailboxListen holds one for its whole wait (up to ~28 s); tests
# open up to 64 at once and `make bench` 20. 128 leaves at least 64 for every other request while they
# wait. An idle worker blocks on a condition variable and costs only its stack.
THREADS = 128

# Open connections before waitress stops accepting (its default, 100, is below the long polls plus the
# keep-alive clients of a test run). poll() instead of select(), which cannot watch descriptors >= 1024.
CONNECTION_LIMIT = 1000

# waitress counts a chunked body with its chunk framing; the slack lets a chunked body of exactly 10 MB
# reach FrontDoor, which enforces the exact limit. Beyond this, waitress stops reading and _ErrorTask
# answers the same 413.
BODY_LIMIT = MAX_REQUEST_BYTES + 64 * 1024

# A worker sends its response itself only once this many bytes are pending; smaller ones go out from the
# event loop in one send() with their header. waitress' default (1) sends header and body apart from the
# worker: measured on /healthz over 8 connections, 540-765 us of server CPU per request against 360-420.
SEND_BYTES = 8192

BACKLOG = 1024  # waitress' default


def listen(port: int) -> socket.socket:
    """A socket listening on 127.0.0.1:`port` (0: a free port), made before anything else starts, so that
    a busy port fails at once; connections wait in its backlog until `serve_forever()`. Raises OSError
    (errno EADDRINUSE when another server holds the port)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart without waiting out TIME_WAIT
        listener.bind((HOST, port))
        listener.listen(BACKLOG)
    except OSError:
        listener.close()
        raise
    return listener


class GatewayServer:
    """waitress serving the gateway on a socket from `listen`. Like socketserver's servers:
    `serve_forever()` on one thread, `shutdown()` from another, then `server_close()`."""

    def __init__(self, listener: socket.socket, gateway: Gateway, runtime: FunctionRuntime) -> None:
        self.port = int(listener.getsockname()[1])
        self.front_door = FrontDoor(gateway, runtime, self.port)
        with warnings.catch_warnings():  # send_bytes is deprecated; waitress is pinned (constraints.txt)
            warnings.simplefilter("ignore", DeprecationWarning)
            adjustments = Adjustments(
                sockets=[listener],
                send_bytes=SEND_BYTES,
                threads=THREADS,
                connection_limit=CONNECTION_LIMIT,
                max_request_body_size=BODY_LIMIT,
                asyncore_use_poll=True,
                # Functions get X-Forwarded-* as the client sent them, followed by the gateway's own.
                clear_untrusted_proxy_headers=False,
            )
        self._map: dict[int, Any] = {}
        self._waitress = _Server(
            self.front_door,
            self._map,
            _sock=listener,
            adj=adjustments,
            bind_socket=False,
            sockinfo=(listener.family, listener.type, listener.proto, listener.getsockname()),
        )
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

    def serve_forever(self) -> None:
        """Serve until `shutdown()`; Ctrl-C (KeyboardInterrupt) ends it too."""
        self._stopped.clear()
        try:
            while not self._stopping.is_set():
                wasyncore.poll2(self._waitress.adj.asyncore_loop_timeout, self._map)
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop `serve_forever()` running on another thread, and wait until it has returned."""
        self._stopping.set()
        self._waitress.pull_trigger()
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listener and every connection. Workers still holding a long poll are daemon threads
        and are not waited for, so Ctrl-C never hangs."""
        self._waitress.task_dispatcher.set_thread_count(0)
        wasyncore.close_all(self._map, ignore_all=True)


class _Parser(HTTPRequestParser):
    """Also keeps the header lines as sent: WSGI's HTTP_* keys lose the client's spelling of names and
    merge repeated headers, and the spec hands functions both as the client sent them."""

    raw_headers: tuple[tuple[str, str], ...] = ()

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)  # validates every line, or raises
        pairs = []
        for line in get_header_lines(header_plus.partition(b"\r\n")[2]):
            name, value = HEADER_FIELD_RE.match(line).group("name", "value")
            pairs.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))
        self.raw_headers = tuple(pairs)


class _Task(WSGITask):
    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        environ[RAW_HEADERS] = self.request.raw_headers
        return environ


class _ErrorTask(ErrorTask):
    """waitress' refusals: an oversized body gets the API's REQUEST_TOO_LARGE response, as API Gateway
    answers it; malformed framing keeps waitress' own 400. Either way the connection closes."""

    def execute(self) -> None:
        started = time.perf_counter()
        request = self.request
        front_door = self.channel.server.application
        if not (isinstance(request.error, RequestEntityTooLarge) and isinstance(front_door, FrontDoor)):
            super().execute()
            log_request(request.command, "(malformed request)", request.error.code, started)
            return
        response, resource = front_door.too_large(request.command, request_target(request.request_uri))
        self.status = status_line(response.status)
        self.response_headers.extend(wire_headers(response))
        self.set_close_on_finish()  # the rest of the body was never read
        self.content_length = len(response.body)
        self.write(b"" if request.command == "HEAD" else response.body)
        log_request(request.command, resource, response.status, started)


class _Channel(HTTPChannel):
    parser_class = _Parser
    task_class = _Task
    error_task_class = _ErrorTask

    def service(self) -> None:
        super().service()
        # The event loop sends a response under SEND_BYTES only when no request is pending; with pipelined
        # requests waiting behind it, send it now rather than after the next one (perhaps a long poll).
        if self.requests and self.total_outbufs_len:
            with self.outbuf_lock:
                self._flush_exception(self._flush_some, do_close=False)


class _Server(TcpWSGIServer):
    channel_class = _Channel

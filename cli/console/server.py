"""The console's HTTP server: the standard library's ThreadingHTTPServer on 127.0.0.1, GET and HEAD only.

A read-only tool for one operator on their own machine needs no framework, and `tgw` must run without the
development extras. Requests whose Host is not this address are refused (a web page elsewhere cannot reach
it through DNS rebinding), and every page may load only from this server (Content-Security-Policy).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from cli.console import api, assets
from cli.console.sources import Source
from cli.target import TargetError
from telemetry_gateway.clock import Clock, SystemClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.errors import NotFound, StorageError

HOST = "127.0.0.1"
REQUEST_SECONDS = 8  # one API answer's budget: a stopped `make run` shows as an error, not as a hang
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
READ_ONLY = b'{"error": "the console is read-only: GET and HEAD only"}'


class ConsoleServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, source: Source, port: int, clock: Clock | None = None) -> None:
        super().__init__((HOST, port), Handler)
        self.source = source
        self.clock = clock or SystemClock()
        self.port = int(self.server_address[1])
        self.url = f"http://{HOST}:{self.port}/"
        self.hosts = {f"{HOST}:{self.port}", f"localhost:{self.port}"}


class Handler(BaseHTTPRequestHandler):
    server: ConsoleServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each keep-alive answer waits ~40 ms for an ACK
    server_version = "tgw-console"
    sys_version = ""

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Every other method (`do_POST`, `do_DELETE`, ... as http.server looks them up) is refused."""
        if name.startswith("do_"):
            return self._refuse
        raise AttributeError(name)

    def _refuse(self) -> None:
        self.close_connection = True  # its body, if any, is not read
        self._send(405, READ_ONLY, "application/json", extra={"Allow": "GET, HEAD"})

    def _serve(self, head: bool) -> None:
        host = self.headers.get("Host")
        if host is not None and host not in self.server.hosts:
            self._send(403, b"tgw console answers on 127.0.0.1 only\n", "text/plain; charset=utf-8", head=head)
            return
        url = urlsplit(self.path)
        path = url.path
        if path.startswith("/api/"):
            status, payload = self._api(path, {name: values[0] for name, values in parse_qs(url.query).items()})
            self._send(status, json.dumps(payload, default=_plain).encode(), "application/json", head=head)
            return
        asset, status = None, 200
        if path in ("/", "/index.html"):
            missing = assets.missing_libraries()
            asset = assets.bootstrap_page(missing) if missing else assets.static("index.html")
            status = 503 if missing else 200
        elif path.startswith("/static/"):
            asset = assets.static(path.removeprefix("/static/"))
        elif path.startswith("/vendor/"):
            asset = assets.vendor(path.removeprefix("/vendor/"))
        if asset is None:
            self._send(404, b"not found\n", "text/plain; charset=utf-8", head=head)
            return
        self._send(status, asset.body, asset.content_type, head=head, cache_seconds=asset.cache_seconds)

    def _api(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """(status, JSON answer); storage and target failures are answered, never raised."""
        try:
            endpoint, parts = api.route(path)
            clock = self.server.clock
            call = api.Call(
                self.server.source.stores(), parts, query, clock.now(), Deadline.after(clock, REQUEST_SECONDS)
            )
            return 200, endpoint(call)
        except api.ApiError as refused:
            return refused.status, {"error": str(refused)}
        except NotFound as missing:
            return 404, {"error": str(missing) or "not found"}
        except (TargetError, StorageError, ClientError, BotoCoreError) as failed:
            return 503, {"error": f"cannot read the stored data: {failed}"}
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return 500, {"error": "internal error of tgw console (its terminal has the details)"}

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        *,
        head: bool = False,
        cache_seconds: int = 0,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", f"max-age={cache_seconds}" if cache_seconds else "no-store")
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows the address and failures, not every refresh."""


def _plain(value: Any) -> Any:
    """Values the stored items hold that JSON does not: numbers, sets and bytes (as sizes)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) if isinstance(v, Decimal) else v for v in value)
    if isinstance(value, bytes):
        return {"bytes": len(value)}
    raise TypeError(type(value).__name__)

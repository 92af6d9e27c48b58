"""The HTTP front door of `make run`: a threaded server on 127.0.0.1 handing requests to the Gateway."""

from __future__ import annotations

import logging
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from local.apigw import MAX_REQUEST_BYTES, Gateway, HttpRequest, HttpResponse
from local.lambda_runtime import FunctionRuntime
from local.template import Route

log = logging.getLogger("local.server")


class GatewayServer(ThreadingHTTPServer):
    daemon_threads = True  # long-polls must not keep the process alive on Ctrl-C
    request_queue_size = 128

    def __init__(self, port: int, gateway: Gateway, runtime: FunctionRuntime) -> None:
        self.gateway = gateway
        self.runtime = runtime
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_request_data(self, request: HttpRequest) -> tuple[HttpResponse, str]:
        """The response, and the resource to log: the route's template path (`/Dispatch/{ka}/{kc}`),
        never the path sent, because path parameters may be credentials."""
        path = request.target.split("?", 1)[0]
        matched = self.gateway.match(request.method, path)
        if matched is None:
            api = self.gateway.api_for_path(path)
            return api.gateway_response("MISSING_AUTHENTICATION_TOKEN", "not found"), "(no route)"
        route, params = matched
        return self._invoke(request, route, params), route.path

    def _invoke(self, request: HttpRequest, route: Route, params: dict[str, str]) -> HttpResponse:
        api = self.gateway.apis[route.api]
        if len(request.body) > MAX_REQUEST_BYTES:
            return api.gateway_response("REQUEST_TOO_LARGE", "Request Too Large")
        event = self.gateway.build_event(request, route, params)
        if self.gateway.event_too_large(event):
            return api.gateway_response("REQUEST_TOO_LARGE", "Request Too Large")
        try:
            result = self.runtime.invoke(route.function, event, event["requestContext"]["requestId"])
        except Exception:  # the platform's answer to a crashed function
            log.error("%s raised:\n%s", route.function, traceback.format_exc())
            return api.gateway_response("DEFAULT_5XX", "Internal server error")
        return self.gateway.render(request, route, result)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # without it every response waits ~40 ms for a delayed ACK
    server: GatewayServer

    def _serve(self) -> None:
        started = time.perf_counter()
        body = self._read_body()
        request = HttpRequest(
            method=self.command,
            target=self.path,
            headers=list(self.headers.items()),
            body=body,
            client_ip=self.client_address[0],
            local_port=self.server.port,
        )
        response, resource = self.server.handle_request_data(request)
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)
        log.info(
            "%s %s %d %.1fms",
            self.command,
            resource,
            response.status,
            (time.perf_counter() - started) * 1000,
        )

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def __getattr__(self, name: str) -> Any:
        """Any other method (TRACE, CONNECT, made-up ones) goes to the gateway too, which answers an
        unknown route in the API's shape; http.server alone would answer 501 with an HTML page."""
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Nothing: `_serve` logs the route instead. http.server's line holds the raw request line, whose path
        carries the Dispatch cookies (KA, KC)."""

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)

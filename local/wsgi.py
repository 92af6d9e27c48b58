"""The gateway as a WSGI application: a request becomes a `local.apigw.HttpRequest`, is routed and
answered as API Gateway REST answers it (the function's response, or the template's gateway response),
and the `HttpResponse` is sent back. HTTP framing is the WSGI server's job (local/server.py)."""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlsplit

from local import docs
from local.access_log import ACCESS_LOG, log_request, masked_target
from local.apigw import MAX_REQUEST_BYTES, Gateway, HttpRequest, HttpResponse
from local.lambda_runtime import FunctionRuntime

# The request's header lines as sent (names spelled by the client, repeats kept, in order), which the
# server puts into the environ: the spec hands them to functions that way, and WSGI's HTTP_* keys can't.
RAW_HEADERS = "local.raw_headers"

# Framing is the server's: a function's own values for these would contradict what it sends.
_SERVER_OWNED = frozenset(
    {"connection", "content-length", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers"}
    | {"transfer-encoding", "upgrade"}
)

_UNSENDABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class FrontDoor:
    """Every route of the template behind one WSGI callable, as `make run` serves them."""

    def __init__(self, gateway: Gateway, runtime: FunctionRuntime, port: int) -> None:
        self.gateway = gateway
        self.runtime = runtime
        self.port = port

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        request = self.request_from(environ)
        response, resource = self.answer(request)
        log_request(request.method, resource, response.status, started)
        start_response(status_line(response.status), wire_headers(response))
        return [] if request.method == "HEAD" else [response.body]

    def request_from(self, environ: dict[str, Any]) -> HttpRequest:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw_headers = environ.get(RAW_HEADERS)
        return HttpRequest(
            method=environ["REQUEST_METHOD"],
            target=_target(environ),
            headers=list(raw_headers) if raw_headers is not None else _environ_headers(environ),
            body=environ["wsgi.input"].read(length) if length else b"",
            client_ip=environ.get("REMOTE_ADDR") or "127.0.0.1",
            local_port=self.port,
        )

    def answer(self, request: HttpRequest) -> tuple[HttpResponse, str]:
        """The response, and the resource to log: the route's template path (`/Dispatch/{ka}/{kc}`),
        never the path sent, because path parameters may be credentials."""
        path = request.target.split("?", 1)[0]
        if docs.is_docs(path):
            return docs.answer(request.method, path), path
        matched = self.gateway.match(request.method, path)
        if matched is None:
            api = self.gateway.api_for_path(path)
            return api.gateway_response("MISSING_AUTHENTICATION_TOKEN", "not found"), masked_target(request.target)
        route, params = matched
        api = self.gateway.apis[route.api]
        if len(request.body) > MAX_REQUEST_BYTES:
            return api.gateway_response("REQUEST_TOO_LARGE", "Request Too Large"), route.path
        event = self.gateway.build_event(request, route, params)
        if self.gateway.event_too_large(event):
            return api.gateway_response("REQUEST_TOO_LARGE", "Request Too Large"), route.path
        try:
            result = self.runtime.invoke(route.function, event, event["requestContext"]["requestId"])
        except Exception:  # the platform's answer to a crashed function
            ACCESS_LOG.error("%s raised:\n%s", route.function, traceback.format_exc())
            return api.gateway_response("DEFAULT_5XX", "Internal server error"), route.path
        response = self.gateway.render(request, route, result)
        if not _sendable(response.headers):  # API Gateway's "malformed Lambda proxy response"
            response = api.gateway_response("DEFAULT_5XX", "Internal server error")
        return response, route.path

    def too_large(self, method: str, target: str) -> tuple[HttpResponse, str]:
        """The answer to a body the server refused to read: the API's REQUEST_TOO_LARGE response."""
        path = target.split("?", 1)[0]
        matched = self.gateway.match(method, path)
        resource = matched[0].path if matched else masked_target(target)
        return self.gateway.api_for_path(path).gateway_response("REQUEST_TOO_LARGE", "Request Too Large"), resource


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def wire_headers(response: HttpResponse) -> list[tuple[str, str]]:
    """The response's headers without the framing ones, plus its length (sent for HEAD too)."""
    headers = [(name, value) for name, value in response.headers if name.lower() not in _SERVER_OWNED]
    return [*headers, ("Content-Length", str(len(response.body)))]


def _sendable(headers: list[tuple[str, str]]) -> bool:
    """Whether every header fits on one latin-1 line (no CR, LF or other control character but tab)."""
    return not any(_UNSENDABLE.search(name + value) for name, value in headers)


def request_target(uri: str) -> str:
    """Path and query of a request line's target, exactly as received (doubled slashes and percent-escapes
    intact); the absolute form (`GET http://host/path HTTP/1.1`) is reduced to them."""
    if uri.startswith("/"):
        return uri
    split = urlsplit(uri)
    return (split.path or "/") + (f"?{split.query}" if split.query else "")


def _target(environ: dict[str, Any]) -> str:
    uri = environ.get("REQUEST_URI")  # waitress passes the request line's target
    if uri is not None:
        return request_target(str(uri))
    query = environ.get("QUERY_STRING")
    return quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) + (f"?{query}" if query else "")


def _environ_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    names = {"CONTENT_TYPE": "Content-Type", "CONTENT_LENGTH": "Content-Length"}
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append((key[5:].replace("_", "-").title(), str(value)))
        elif key in names and value:
            headers.append((names[key], str(value)))
    return headers

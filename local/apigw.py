"""API Gateway (REST, v1 proxy integration) as the template declares it: routing, the event a function
receives, binary media types, gateway responses, and turning the function's answer into HTTP."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from local.template import Route, Template

STAGE = "Prod"
MAX_REQUEST_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
MAX_EVENT_BYTES = 6 * 1024 * 1024  # Lambda's synchronous invocation limit, the whole event
_DEFAULT_STATUS = {"MISSING_AUTHENTICATION_TOKEN": 403, "REQUEST_TOO_LARGE": 413, "DEFAULT_5XX": 502}


@dataclass(frozen=True)
class HttpRequest:
    method: str
    target: str  # path and query exactly as received
    headers: list[tuple[str, str]]
    body: bytes
    client_ip: str = "127.0.0.1"
    local_port: int = 3000


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


@dataclass(frozen=True)
class Api:
    logical_id: str
    binary_media_types: tuple[str, ...]
    gateway_responses: dict[str, Any]

    def is_binary(self, media_type: str | None) -> bool:
        value = (media_type or "").split(";", 1)[0].strip().lower()
        for pattern in self.binary_media_types:
            major, _, minor = pattern.partition("/")
            got_major, _, got_minor = value.partition("/")
            if major in ("*", got_major) and minor in ("*", got_minor):
                return True
        return False

    def gateway_response(self, kind: str, message: str) -> HttpResponse:
        """A platform-generated answer, shaped by the template's GatewayResponses when it has one."""
        fallback = "DEFAULT_5XX" if _DEFAULT_STATUS.get(kind, 400) >= 500 else "DEFAULT_4XX"
        spec = self.gateway_responses.get(kind) or self.gateway_responses.get(fallback) or {}
        status = int(spec.get("StatusCode", _DEFAULT_STATUS.get(kind, 400)))
        headers = [
            (name, str(value).strip("'"))
            for name, value in (spec.get("ResponseParameters", {}).get("Headers", {}) or {}).items()
        ]
        templates = spec.get("ResponseTemplates") or {"application/json": '{"message":$context.error.messageString}'}
        content_type, body = next(iter(templates.items()))
        body = body.replace("$context.error.messageString", json.dumps(message))
        body = body.replace("$context.error.message", message)
        # A Content-Type among the response parameters overrides the template's (the sensor API's protobuf
        # bodies); the template text is sent as its UTF-8 bytes, so control characters arrive as bytes.
        if not any(name.lower() == "content-type" for name, _ in headers):
            headers.insert(0, ("Content-Type", content_type))
        return HttpResponse(status, headers, body.encode("utf-8"))


@dataclass(frozen=True)
class _CompiledRoute:
    route: Route
    pattern: re.Pattern[str]
    literal_segments: int


def _compile(route: Route) -> _CompiledRoute:
    parts, literals = [], 0
    for segment in route.path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            parts.append(f"(?P<{segment[1:-2]}>.+)")
        elif segment.startswith("{") and segment.endswith("}"):
            parts.append(f"(?P<{segment[1:-1]}>[^/]+)")
        else:
            parts.append(re.escape(segment))
            literals += 1
    return _CompiledRoute(route, re.compile("^/" + "/".join(parts) + "$"), literals)


def normalize_path(path: str) -> str:
    """How the REST API matches resources: repeated slashes count as one, a trailing slash is ignored."""
    collapsed = re.sub(r"/{2,}", "/", path)
    return collapsed.rstrip("/") or "/"


class Gateway:
    """Every API of the template behind one address, as `make run` serves them."""

    def __init__(self, template: Template) -> None:
        self.apis = {
            name: Api(
                logical_id=name,
                binary_media_types=tuple(
                    t.replace("~1", "/") for t in template.api_properties(name).get("BinaryMediaTypes", [])
                ),
                gateway_responses=template.api_properties(name).get("GatewayResponses", {}),
            )
            for name in template.resources_of_type("AWS::Serverless::Api")
        }
        compiled = [_compile(route) for route in template.routes]
        # API Gateway prefers the most specific resource: more literal segments first.
        self.routes = sorted(compiled, key=lambda c: -c.literal_segments)
        self._api_by_prefix = {c.route.path.strip("/").split("/")[0]: c.route.api for c in compiled}
        self._default_api = next(iter(self.apis))

    def api_for_path(self, path: str) -> Api:
        prefix = normalize_path(path).strip("/").split("/")[0]
        return self.apis[self._api_by_prefix.get(prefix, self._default_api)]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        normalized = normalize_path(path)
        for compiled in self.routes:
            found = compiled.pattern.match(normalized)
            if found and compiled.route.method in (method, "ANY"):
                return compiled.route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def build_event(self, request: HttpRequest, route: Route, path_parameters: dict[str, str]) -> dict[str, Any]:
        api = self.apis[route.api]
        split = urlsplit(request.target)
        headers = [
            *request.headers,
            ("X-Forwarded-For", request.client_ip),
            ("X-Forwarded-Port", str(request.local_port)),
            ("X-Forwarded-Proto", "http"),
            ("X-Amzn-Trace-Id", f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"),
        ]
        multi_headers: dict[str, list[str]] = {}
        for name, value in headers:
            multi_headers.setdefault(name, []).append(value)
        query = parse_qsl(split.query, keep_blank_values=True)
        multi_query: dict[str, list[str]] = {}
        for name, value in query:
            multi_query.setdefault(name, []).append(value)
        content_type = next((v for n, v in request.headers if n.lower() == "content-type"), None)
        encoding = next((v for n, v in request.headers if n.lower() == "content-encoding"), "identity")
        as_binary = api.is_binary(content_type) or encoding.strip().lower() not in ("", "identity")
        if not request.body and request.method in ("GET", "HEAD"):
            body: str | None = None
        elif as_binary:
            body = base64.b64encode(request.body).decode("ascii")
        else:
            body = request.body.decode("utf-8", errors="replace")
        now = time.time()
        host = next((v for n, v in request.headers if n.lower() == "host"), f"127.0.0.1:{request.local_port}")
        request_id = str(uuid.uuid4())
        return {
            "resource": route.path,
            "path": split.path,
            "httpMethod": request.method,
            "headers": {name: values[-1] for name, values in multi_headers.items()},
            "multiValueHeaders": multi_headers,
            "queryStringParameters": {name: values[-1] for name, values in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
            "requestContext": {
                "accountId": "123456789012",
                "apiId": api.logical_id.lower(),
                "resourceId": "local",
                "resourcePath": route.path,
                "httpMethod": request.method,
                "path": split.path,
                "stage": STAGE,
                "protocol": "HTTP/1.1",
                "domainName": host,
                "requestId": request_id,
                "extendedRequestId": request_id,
                "requestTimeEpoch": int(now * 1000),
                "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
                "identity": {
                    "sourceIp": request.client_ip,
                    "userAgent": next((v for n, v in request.headers if n.lower() == "user-agent"), None),
                },
            },
            "body": body,
            "isBase64Encoded": as_binary and body is not None,
        }

    def render(self, request: HttpRequest, route: Route, result: Any) -> HttpResponse:
        """The function's proxy response as API Gateway would send it; a malformed one is a 502."""
        api = self.apis[route.api]
        if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
            return api.gateway_response("DEFAULT_5XX", "Internal server error")
        headers = [(n, str(v)) for n, v in (result.get("headers") or {}).items()]
        single = {n.lower() for n, _ in headers}
        for name, values in (result.get("multiValueHeaders") or {}).items():
            if name.lower() not in single:
                headers.extend((name, str(v)) for v in values)
        raw = result.get("body") or ""
        if result.get("isBase64Encoded"):
            accept = next((v for n, v in request.headers if n.lower() == "accept"), "")
            first_accept = accept.split(",", 1)[0]
            decode = "*/*" in api.binary_media_types or (bool(first_accept) and api.is_binary(first_accept))
            body = base64.b64decode(raw) if decode else raw.encode("ascii")
        else:
            body = raw.encode("utf-8")
        if request.method == "HEAD":
            body = b""
        return HttpResponse(int(result["statusCode"]), headers, body)

    def event_for(
        self, method: str, target: str, body: bytes = b"", headers: list[tuple[str, str]] | None = None
    ) -> tuple[Route, dict[str, Any]]:
        """The route and event a request would produce (tests and benchmarks invoke functions with it)."""
        matched = self.match(method, target.split("?", 1)[0])
        if matched is None:
            raise LookupError(f"no route for {method} {target}")
        route, params = matched
        request = HttpRequest(method, target, [("Host", "127.0.0.1:3000"), *(headers or [])], body)
        return route, self.build_event(request, route, params)

    def event_too_large(self, event: dict[str, Any]) -> bool:
        return len(json.dumps(event)) > MAX_EVENT_BYTES

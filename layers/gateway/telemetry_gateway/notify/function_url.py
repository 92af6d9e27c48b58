"""A Lambda function URL's event (payload format 2.0) in the REST API shape (1.0) the handlers read.

Function URLs are the front door for windows longer than API Gateway REST allows (see template.yaml).
They have no routes, so the event carries no path parameters; `path_segment` finds them by position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from telemetry_gateway.web.event import ApiEvent


def rest_event(event: dict[str, Any]) -> dict[str, Any]:
    """`event` unchanged unless it is a 2.0 payload. Repeated headers arrive comma-joined in 2.0 and
    stay that way; cookies return to one Cookie header."""
    if event.get("version") != "2.0":
        return event
    context = event.get("requestContext") or {}
    headers = dict(event.get("headers") or {})
    if event.get("cookies"):
        headers["cookie"] = "; ".join(event["cookies"])
    query = parse_qs(event.get("rawQueryString") or "", keep_blank_values=True)
    path = event.get("rawPath") or "/"
    return {
        "resource": path,
        "path": path,
        "httpMethod": (context.get("http") or {}).get("method", ""),
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": {name: values[0] for name, values in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": event.get("pathParameters"),
        "stageVariables": None,
        "requestContext": {
            "requestId": context.get("requestId"),
            "domainName": context.get("domainName"),
            "path": path,
            "stage": context.get("stage", "$default"),
            "httpMethod": (context.get("http") or {}).get("method", ""),
        },
        "body": event.get("body"),
        "isBase64Encoded": bool(event.get("isBase64Encoded")),
    }


def path_parameter(event: ApiEvent, name: str, position: int) -> str:
    """A path parameter from API Gateway, or else the path segment at `position` (negative: from the end)."""
    parameters = event.path_parameters or {}
    if name in parameters:
        return parameters[name]
    segments = event.path.rstrip("/").split("/")
    return segments[position] if len(segments) > abs(position) else ""

"""The notify family on the wire: form-encoded requests, plain-text answers with CORS, one-line refusals."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from telemetry_gateway.notify.dispatch import Answered, DispatchRequest
from telemetry_gateway.notify.errors import NotifyError
from telemetry_gateway.notify.function_url import path_parameter, rest_event
from telemetry_gateway.notify.headers import header_block
from telemetry_gateway.notify.wire import MasterRequest, form_fields, reached_endpoint
from telemetry_gateway.web.http import LambdaResponse, body_bytes, header, header_lines, respond
from telemetry_gateway.web.route import Family, Route

if TYPE_CHECKING:
    from telemetry_gateway.notify.records import Message
    from telemetry_gateway.web.event import ApiEvent

CONTENT_TYPE = "text/plain;charset=UTF-8"
COMMON_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Message-Id, X-Telemetry-User, X-Message-State",
    "Cache-Control": "no-store",
}


def text_response(status: int, body: bytes | str, headers: Mapping[str, str] | None = None) -> LambdaResponse:
    """Every notify answer, refusals included: text/plain, CORS, never cached. A body that is not UTF-8
    goes out base64-encoded for API Gateway to turn back into bytes."""
    return respond(status, body, content_type=CONTENT_TYPE, headers={**COMMON_HEADERS, **(headers or {})})


FAMILY = Family(
    NotifyError,
    lambda exc: text_response(exc.status, exc.line + "\n", exc.headers),
    lambda: text_response(503, "Service Unavailable: try again\n"),
    lambda: text_response(500, "Internal Server Error\n"),
    adapt=rest_event,  # also served through Lambda function URLs (payload format 2.0)
)


def route[C](config: C, reserve_seconds: float) -> Route[C]:
    return Route(FAMILY, config, reserve_seconds)


def dispatch_request(event: ApiEvent) -> DispatchRequest:
    """The cookies from the path (by position behind a function URL), the body and headers as received."""
    return DispatchRequest(
        ka=path_parameter(event, "ka", -2),
        kc=path_parameter(event, "kc", -1),
        body=body_bytes(event),
        headers=header_lines(event),
    )


def master_request(event: ApiEvent, configured_endpoints: tuple[str, ...]) -> MasterRequest:
    """The Master's form (body over query string) and the URLs its Referer may name."""
    reached = reached_endpoint(event)
    return MasterRequest(
        referer=header(event, "Referer"),
        endpoints=(*configured_endpoints, *([reached] if reached else [])),
        fields=form_fields(body_bytes(event), event.multi_value_query_string_parameters),
    )


def answered(answer: Answered) -> LambdaResponse:
    """Dispatch 200: the reply's header lines, a blank line, then the reply data unchanged."""
    body = header_block(answer.reply.headers).encode("utf-8") + b"\n" + answer.reply.data
    return text_response(
        200,
        body,
        {"X-Message-Id": answer.message_id, "X-Telemetry-User": answer.user, "X-Saw-User": answer.user},
    )


def delivered(message: Message, now: datetime) -> LambdaResponse:
    """MailboxListen 200: gateway lines, the Client's headers, a blank line, the base64 of the body."""
    gateway_lines = [
        f"X-Message-Id: {message.message_id}",
        "Content-Transfer-Encoding: base64",
        f"X-Telemetry-User: {message.user}",
    ]
    body = header_block([*gateway_lines, *message.headers]) + "\n" + base64.b64encode(message.body).decode("ascii")
    return text_response(
        200,
        body,
        {
            "X-Message-Id": message.message_id,
            "X-Telemetry-User": message.user,
            "X-Message-State": message.state_at(now),
        },
    )


def posted(message_id: str) -> LambdaResponse:
    return text_response(200, "OK\n", {"X-Message-Id": message_id})

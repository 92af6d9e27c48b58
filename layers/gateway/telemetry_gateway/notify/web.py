"""The notify family on the wire: plain-text bodies, CORS on every answer, one-line refusals."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from telemetry_gateway import clock
from telemetry_gateway.clock import Clock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.guard import guarded
from telemetry_gateway.http import LambdaResponse, respond
from telemetry_gateway.notify import wiring
from telemetry_gateway.notify.dispatch import Answered
from telemetry_gateway.notify.errors import NotifyError
from telemetry_gateway.notify.function_url import rest_event
from telemetry_gateway.notify.headers import header_block
from telemetry_gateway.notify.records import Message
from telemetry_gateway.notify.settings import NotifySettings, settings
from telemetry_gateway.notify.wire import MasterRequest, master_request
from telemetry_gateway.observability import HttpHandler, LambdaHandler, http_function
from telemetry_gateway.storage.mailbox import MailboxStore
from telemetry_gateway.storage.notify_directory import DirectoryStore

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


def notify_function(handler: HttpHandler) -> LambdaHandler:
    """A notify route: the handler renders its 200; refusals and faults become the spec's one-line
    bodies. Also accepts a function URL's payload format 2.0 (see template.yaml).

    Settings are parsed here, at import: an invalid one stops the function at start-up."""
    settings()

    def safe(event: APIGatewayProxyEvent, context: LambdaContext) -> LambdaResponse:
        return guarded(
            lambda: handler(event, context),
            NotifyError,
            lambda exc: text_response(exc.status, exc.line + "\n", exc.headers),
            lambda: text_response(503, "Service Unavailable: try again\n"),
            lambda: text_response(500, "Internal Server Error\n"),
        )

    wrapped = http_function(safe)

    def entry(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return wrapped(rest_event(event), context)

    return entry


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


def master_function[T](
    operation: Callable[[MasterRequest, DirectoryStore, MailboxStore, NotifySettings, Clock, Deadline], T],
    render: Callable[[T, Clock], LambdaResponse],
    reserve_seconds: float,
) -> LambdaHandler:
    """MailboxListen and MailboxPost: the Master's form, the circuit's stores, a deadline that ends
    `reserve_seconds` before Lambda's own timeout, and the route's rendering of the outcome."""

    @notify_function
    def handler(event: APIGatewayProxyEvent, context: LambdaContext) -> LambdaResponse:
        config, current = settings(), clock.current()
        outcome = operation(
            master_request(event, config.endpoint_urls),
            wiring.directory(),
            wiring.mailbox(),
            config,
            current,
            Deadline.from_context(context, current, reserve_seconds),
        )
        return render(outcome, current)

    return handler

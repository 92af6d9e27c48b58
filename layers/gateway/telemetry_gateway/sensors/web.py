"""The sensor family on the wire: protobuf in and out, every answer the route's own response message
with an explicit status, checks in the order of section 6."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Protocol, cast

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext
from google.protobuf.message import DecodeError, Message

from telemetry_gateway import clock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.guard import guarded
from telemetry_gateway.http import LambdaResponse, body_bytes, respond
from telemetry_gateway.observability import LambdaHandler, http_function
from telemetry_gateway.sensors import addressing, signed, wiring
from telemetry_gateway.sensors.calls import SensorCall, SignedCall
from telemetry_gateway.sensors.errors import SensorError, too_large, undecodable
from telemetry_gateway.sensors.pb import common_pb2
from telemetry_gateway.sensors.settings import settings
from telemetry_gateway.sensors.validation import valid_text

CONTENT_TYPE = "application/x-protobuf"
# Time kept back to answer DATASTORE_ERROR before Lambda's own timeout would cut the request off.
RESERVE_SECONDS = 1.0


def _render(http_status: int, message: Message) -> LambdaResponse:
    """Always base64 (binary): API Gateway decodes it for any Accept, since the API's binary type is */*."""
    return respond(
        http_status,
        message.SerializeToString(),
        content_type=CONTENT_TYPE,
        headers={"Cache-Control": "no-cache"},
        binary=True,
    )


class _Answer(Protocol):
    """Every sensor response message; protobuf's Message base class does not declare the field."""

    @property
    def status(self) -> common_pb2.StatusMessage: ...


def _refusal[R: Message](response_type: type[R], status: common_pb2.StatusType.ValueType, text: str) -> R:
    response = response_type()
    cast(_Answer, response).status.CopyFrom(common_pb2.StatusMessage(type=status, message=text))
    return response


def sensor_route[M: Message, R: Message](
    request_type: type[M], response_type: type[R]
) -> Callable[[Callable[[SensorCall[M]], R]], LambdaHandler]:
    """An unsigned route: namespace → body size → decode → the handler."""

    def wrap(handler: Callable[[SensorCall[M]], R]) -> LambdaHandler:
        def receive(event: APIGatewayProxyEvent, context: LambdaContext) -> SensorCall[M]:
            namespace = _namespace(event)
            return _call(namespace, _decode(event, request_type), context)

        return _entry(response_type, receive, handler)

    return wrap


def signed_route[M: Message, R: Message](
    request_type: type[M], response_type: type[R]
) -> Callable[[Callable[[SignedCall[M]], R]], LambdaHandler]:
    """A signed route: namespace → client_id format → body size → decode → signature → replay → the handler."""

    def wrap(handler: Callable[[SignedCall[M]], R]) -> LambdaHandler:
        def receive(event: APIGatewayProxyEvent, context: LambdaContext) -> SignedCall[M]:
            namespace = _namespace(event)
            client_id = addressing.client_id((event.path_parameters or {}).get("client_id"))
            call = _call(namespace, _decode(event, request_type), context)
            client = signed.authenticate(
                namespace, client_id, call.message, call.store, wiring.secret_key, call.deadline
            )
            return SignedCall(call.namespace, call.message, call.received, call.store, call.deadline, client)

        return _entry(response_type, receive, handler)

    return wrap


def _entry[C, R: Message](
    response_type: type[R],
    receive: Callable[[APIGatewayProxyEvent, LambdaContext], C],
    handler: Callable[[C], R],
) -> LambdaHandler:
    @http_function
    @wraps(handler)
    def entry(event: APIGatewayProxyEvent, context: LambdaContext) -> LambdaResponse:
        def succeed() -> LambdaResponse:
            response = handler(receive(event, context))
            cast(_Answer, response).status.type = common_pb2.SUCCESS
            return _render(200, response)

        return guarded(
            succeed,
            SensorError,
            lambda exc: _render(exc.http_status, _refusal(response_type, exc.status, exc.message)),
            lambda: _render(503, _refusal(response_type, common_pb2.DATASTORE_ERROR, "datastore unavailable")),
            lambda: _render(500, _refusal(response_type, common_pb2.UNKNOWN_ERROR, "internal error")),
        )

    return entry


def _namespace(event: APIGatewayProxyEvent) -> str:
    return addressing.namespace((event.path_parameters or {}).get("namespace"), settings().namespaces)


def _decode[M: Message](event: APIGatewayProxyEvent, request_type: type[M]) -> M:
    """The body as the route's message, whatever Content-Type it came with."""
    body = body_bytes(event)
    if len(body) > settings().max_body_bytes:
        raise too_large()
    try:
        message = request_type.FromString(body)
    except DecodeError:
        raise undecodable() from None
    if not valid_text(message):
        raise undecodable()
    return message


def _call[M: Message](namespace: str, message: M, context: LambdaContext) -> SensorCall[M]:
    now = clock.current()
    return SensorCall(
        namespace=namespace,
        message=message,
        received=now.now(),
        store=wiring.store(),
        deadline=Deadline.from_context(context, now, RESERVE_SECONDS),
    )

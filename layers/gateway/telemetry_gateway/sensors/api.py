"""The sensor family on the wire: protobuf in and out, every answer the route's own response message with an
explicit status, and the checks of section 6 in their order (namespace → client_id format → body size →
decode here; the signature and replay window in `signed`, which only the signed routes import)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from google.protobuf.message import DecodeError, Message

from telemetry_gateway.sensors import addressing
from telemetry_gateway.sensors.calls import SensorCall
from telemetry_gateway.sensors.errors import SensorError, too_large, undecodable
from telemetry_gateway.sensors.pb import common_pb2
from telemetry_gateway.sensors.validation import valid_text
from telemetry_gateway.web.http import LambdaResponse, respond
from telemetry_gateway.web.route import Family, Request, Route

if TYPE_CHECKING:  # imported by the routes that offer or take uploads (heartbeat, data/offer, data/upload)
    from telemetry_gateway.sensors.config import ApiConfig
    from telemetry_gateway.sensors.data_config import OfferConfig
    from telemetry_gateway.sensors.upload_config import UploadConfig
    from telemetry_gateway.sensors.upload_tokens import UploadLinks
    from telemetry_gateway.sensors.uploads import UploadCall

CONTENT_TYPE = "application/x-protobuf"


class _Answer(Protocol):
    """Every sensor response message; protobuf's Message base class does not declare the field."""

    @property
    def status(self) -> common_pb2.StatusMessage: ...


def _binary(http_status: int, message: Message) -> LambdaResponse:
    """Always base64 (binary): API Gateway decodes it for any Accept, since the API's binary type is */*."""
    return respond(
        http_status,
        message.SerializeToString(),
        content_type=CONTENT_TYPE,
        headers={"Cache-Control": "no-cache"},
        binary=True,
    )


def _status[R: Message](response: R, status: common_pb2.StatusType.ValueType, text: str | None = None) -> R:
    answer = cast(_Answer, response)
    answer.status.type = status
    if text is not None:
        answer.status.message = text
    return response


def family(response_type: type[Message]) -> Family[SensorError]:
    """Refusals, storage exhaustion and faults, each as `response_type` with its status."""
    return Family(
        SensorError,
        lambda exc: _binary(exc.http_status, _status(response_type(), exc.status, exc.message)),
        lambda: _binary(503, _status(response_type(), common_pb2.DATASTORE_ERROR, "datastore unavailable")),
        lambda: _binary(500, _status(response_type(), common_pb2.UNKNOWN_ERROR, "internal error")),
    )


def route[C](response_type: type[Message], config: C, reserve_seconds: float) -> Route[C]:
    return Route(family(response_type), config, reserve_seconds)


def parse[C: ApiConfig, M: Message](request: Request[C], message_type: type[M], *, signed_route: bool) -> SensorCall[M]:
    """namespace → client_id format (signed routes) → body size → decode, as the route's message whatever
    Content-Type it came with."""
    config = request.config
    namespace = addressing.namespace(request.path_parameter("namespace"), config.namespaces)
    client_id = addressing.client_id(request.path_parameter("client_id")) if signed_route else None
    body = request.body
    if len(body) > config.max_body_bytes:
        raise too_large()
    try:
        message = message_type.FromString(body)
    except DecodeError:
        raise undecodable() from None
    if not valid_text(message):
        raise undecodable()
    return SensorCall(namespace, client_id, message, request.received, config.store, request.deadline)


def upload_links(request: Request[OfferConfig]) -> UploadLinks:
    """How this request's offers get URLs: the configured public base, else the URL the request reached
    (scheme from X-Forwarded-Proto, host and stage from API Gateway)."""
    from telemetry_gateway.sensors.upload_tokens import UploadLinks  # noqa: PLC0415 - loaded by its routes

    config = request.config
    base = config.public_base_url
    if not base:
        context = request.event.request_context
        scheme = request.header("X-Forwarded-Proto") or "https"
        base = f"{scheme}://{context.domain_name}/{context.stage}"
    return UploadLinks(config.upload_key.value(), config.upload_token_seconds, base)


def parse_upload(request: Request[UploadConfig]) -> UploadCall:
    """namespace (404) and the token from the path; the token is checked by `uploads.authenticate`."""
    from telemetry_gateway.sensors.uploads import UploadCall  # noqa: PLC0415 - loaded by its route

    config = request.config
    namespace = addressing.namespace(request.path_parameter("namespace"), config.namespaces)
    token = request.path_parameter("upload_token") or ""
    return UploadCall(
        namespace, token, request.received, config.readings, config.requests, config.bucket, request.deadline
    )


def render(response: Message) -> LambdaResponse:
    """200 with the response message, its status set to SUCCESS explicitly (proto2 presence)."""
    return _binary(200, _status(response, common_pb2.SUCCESS))

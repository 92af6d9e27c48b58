"""Offers of sensor readings (section 10), from heartbeats' `current_data_offers` and from data/offer:
exactly one URL per offer, in order, "" for an offer that is not valid or not wanted. An offer's own
problems never fail the message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from telemetry_gateway.sensors.data_records import RequestRecord, Span, UploadClaims
from telemetry_gateway.sensors.data_requests import applicable_sensors
from telemetry_gateway.sensors.dates import format_date, parse_date
from telemetry_gateway.sensors.pb.heartbeat_pb2 import SensorReadingDescription, SensorReadingOfferMessage
from telemetry_gateway.sensors.pb.heartbeat_pb2 import SensorReadingOfferResponse as OfferResponse

if TYPE_CHECKING:
    from telemetry_gateway.sensors.calls import SignedCall
    from telemetry_gateway.sensors.records import ClientRecord
    from telemetry_gateway.sensors.upload_tokens import UploadLinks

REQUIRED: tuple[Literal["sensor_id", "start_date", "end_date", "data_format"], ...] = (
    "sensor_id",
    "start_date",
    "end_date",
    "data_format",
)


def offer(call: SignedCall[SensorReadingOfferMessage], links: UploadLinks) -> OfferResponse:
    """data/offer/{client_id}."""
    return OfferResponse(data_upload_urls=upload_urls(call, call.client, call.message.sensor_readings, links))


def upload_urls(
    call: SignedCall[Any], client: ClientRecord, offers: Sequence[SensorReadingDescription], links: UploadLinks
) -> list[str]:
    now = format_date(call.received)
    expires = int((call.received + timedelta(seconds=links.lifetime_seconds)).timestamp())

    @cache
    def open_current() -> list[RequestRecord]:  # read once per message, and only if an offer needs it
        return call.store.requests.open_current(call.namespace, now, call.deadline)

    def claims(offer: SensorReadingDescription) -> UploadClaims | None:
        if not all(offer.HasField(name) for name in REQUIRED):
            return None
        if not (offer.current_data or offer.HasField("request_id")):
            return None
        sensor = client.live_sensor(offer.sensor_id)
        start, end = parse_date(offer.start_date), parse_date(offer.end_date)
        if sensor is None or start is None or end is None or start > end:
            return None
        span = Span(format_date(start), format_date(end))
        request_id = None
        if offer.HasField("request_id"):
            request = call.store.requests.get(call.namespace, offer.request_id, call.deadline)
            if request is not None and _wants(request, client, sensor.sensor_id, now, span):
                request_id = request.request_id
        if request_id is None and not (
            offer.current_data and any(_wants(r, client, sensor.sensor_id, now, span) for r in open_current())
        ):
            return None
        found = UploadClaims(
            call.namespace, client.client_id, sensor.sensor_id, span, offer.data_format, request_id,
            current=offer.current_data, expires=expires,
        )  # fmt: skip
        if call.store.readings.uploaded(call.namespace, found.upload_key, call.deadline) is not None:
            return None
        return found

    return [links.url(found) if (found := claims(offer)) else "" for offer in offers]


def _wants(request: RequestRecord, client: ClientRecord, sensor_id: int, now: str, span: Span) -> bool:
    """Open, asking this sensor, and (for a window) overlapping the offered one."""
    if not request.is_open(now) or (request.span is not None and not request.span.overlaps(span)):
        return False
    return any(sensor.sensor_id == sensor_id for sensor in applicable_sensors(request, client))

"""Data requests (section 10): whom they apply to, and their delivery in heartbeat responses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from telemetry_gateway.sensors import geohash
from telemetry_gateway.sensors.data_records import RequestRecord, Span, Target
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb.heartbeat_pb2 import HeartbeatResponse

if TYPE_CHECKING:
    from telemetry_gateway.sensors.records import ClientRecord, Sensor

MAX_DELIVERED = 100  # DataRequests in one heartbeat response
# Requests one heartbeat reads above its cursor; the cursor stops at the last one, so the rest come next time.
MAX_CONSIDERED = 500


def new_request(
    namespace: str, target: Target, span: Span | None, now: datetime, expires_in_seconds: int, origin: str
) -> RequestRecord:
    """A request to store (its id is drawn when it is stored)."""
    return RequestRecord(
        namespace=namespace,
        request_id=0,
        target=target,
        span=span,
        created_at=format_date(now),
        expires_at=format_date(now + timedelta(seconds=expires_in_seconds)),
        origin=origin,
    )


def applicable_sensors(request: RequestRecord, client: ClientRecord) -> tuple[Sensor, ...]:
    """The client's live sensors the request asks for (the request's state aside)."""
    target, live = request.target, client.live_sensors
    if target.sensor_id is not None:
        return tuple(sensor for sensor in live if sensor.sensor_id == target.sensor_id)
    if target.client_id is not None:
        return live if target.client_id == client.client_id else ()
    if target.area is not None:
        area, here = target.area, client.location
        if here is None:
            return ()
        points = zip(area.latitudes, area.longitudes, strict=True)
        near = any(
            geohash.distance_metres(here.latitude, here.longitude, lat, lon) <= area.distance for lat, lon in points
        )
        return live if near else ()
    return live


def deliver(
    pending: Sequence[RequestRecord], client: ClientRecord, cursor: int, now: str
) -> tuple[list[HeartbeatResponse.DataRequest], int]:
    """One DataRequest per live sensor of each open request above `cursor` that applies to the client, at
    most MAX_DELIVERED; and the highest id considered, which stops before a request the cap left out."""
    delivered: list[HeartbeatResponse.DataRequest] = []
    latest = cursor
    for request in pending:
        if request.request_id <= cursor:
            continue
        sensors = applicable_sensors(request, client) if request.is_open(now) else ()
        if len(delivered) + len(sensors) > MAX_DELIVERED:
            break
        delivered += (data_request(request, sensor.sensor_id) for sensor in sensors)
        latest = request.request_id
    return delivered, latest


def data_request(request: RequestRecord, sensor_id: int) -> HeartbeatResponse.DataRequest:
    message = HeartbeatResponse.DataRequest(sensor_id=sensor_id, request_id=request.request_id)
    if request.span is None:
        message.provide_current_data = True
    else:
        message.start_date, message.end_date = request.span.start, request.span.end
    if request.target.area is not None:
        area = request.target.area
        message.latitude.extend(area.latitudes)
        message.longitude.extend(area.longitudes)
        message.threshold_distance = area.distance
    return message

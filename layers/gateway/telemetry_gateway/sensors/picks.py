"""event/{client_id} (section 9): store a pick with its client, sensor, time and location, then run event
detection over it.

A pick from an inactive client is stored but marked as not counted; a pick never makes a client
active. Detection runs only after the pick is stored, and its failures never fail the pick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.observability import logger, metrics
from telemetry_gateway.sensors import detection, validation
from telemetry_gateway.sensors.dates import format_date, parse_date
from telemetry_gateway.sensors.errors import invalid, missing, too_large, unknown_sensor
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage, EventResponse
from telemetry_gateway.sensors.records import Pick

if TYPE_CHECKING:
    from telemetry_gateway.sensors.calls import SignedCall
    from telemetry_gateway.sensors.event_config import DetectionSettings

# The event and the other readings as sent; a pick item stays well below DynamoDB's 400 KB with this.
MAX_PICK_BYTES = 256 * 1024


def record_pick(call: SignedCall[EventMessage], settings: DetectionSettings) -> EventResponse:
    message, client = call.message, call.client
    if not message.HasField("event"):
        raise missing("event")
    event = message.event
    if not event.HasField("sensor_id"):
        raise missing("event.sensor_id")
    if not event.readings:
        raise missing("event.readings")
    sensor = client.live_sensor(event.sensor_id)
    if sensor is None:
        raise unknown_sensor(event.sensor_id)
    if event.HasField("sensor_type") and event.sensor_type != sensor.sensor_type:
        raise invalid(f"sensor type does not match sensor {sensor.sensor_id}")
    date = event.date if event.HasField("date") else message.client_signature.date
    pick_time = parse_date(date)
    if pick_time is None:
        raise invalid(f"unparseable date: {date}")
    location = validation.location(message, source_field="location_type") or client.location
    other_readings = tuple(other.SerializeToString() for other in message.other_readings)
    if event.ByteSize() + sum(map(len, other_readings)) > MAX_PICK_BYTES:
        raise too_large("event too large")
    pick = Pick(
        namespace=call.namespace,
        client_id=client.client_id,
        sensor_id=sensor.sensor_id,
        sensor_type=sensor.sensor_type,
        pick_time=format_date(pick_time),
        received_at=format_date(call.received),
        readings=validation.finite(event.readings, "event.readings"),
        event_count=validation.present(event, "event_count"),
        time_window=validation.present(event, "time_window"),
        location=location,
        other_readings=other_readings,
        counted=client.active,
    )
    call.store.put_pick(pick, call.deadline)  # a retry of a stored pick is acknowledged (and evaluated) again
    metrics.add_metric(name="Picks", unit=MetricUnit.Count, value=1)
    _detect(call, pick, settings)
    return EventResponse()


def _detect(call: SignedCall[EventMessage], pick: Pick, settings: DetectionSettings) -> None:
    """Evaluate the stored pick; a failure is logged and the pick still succeeds."""
    try:
        event = detection.evaluate(call.store, pick, call.received, settings, call.deadline)
    except Exception:
        logger.exception("event detection failed; the pick is stored")
        metrics.add_metric(name="DetectionFailed", unit=MetricUnit.Count, value=1)
        return
    if event is not None:
        logger.info("event declared", extra={"namespace": event.namespace, "eventId": event.event_id})
        metrics.add_metric(name="EventDeclared", unit=MetricUnit.Count, value=1)

"""heartbeat/{client_id} (section 8): liveness, location, sensor connections and event rates in one write;
the answer carries the data requests above the client's cursor and one upload URL per offer."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.observability import metrics
from telemetry_gateway.sensors import clients, data_requests, offers, validation
from telemetry_gateway.sensors.dates import format_date, parse_date
from telemetry_gateway.sensors.errors import missing, unknown_sensor
from telemetry_gateway.sensors.pb.heartbeat_pb2 import HeartbeatMessage, HeartbeatResponse
from telemetry_gateway.sensors.records import ClientRecord, EventRate, moved

if TYPE_CHECKING:
    from telemetry_gateway.sensors.calls import SignedCall
    from telemetry_gateway.sensors.data_records import RequestRecord
    from telemetry_gateway.sensors.upload_tokens import UploadLinks

# Status changes after which the client stops counting at once; UPDATE and RESTART keep it active.
GOING_AWAY = frozenset(
    {HeartbeatMessage.SLEEP, HeartbeatMessage.SHUTDOWN, HeartbeatMessage.KILLED, HeartbeatMessage.QUIT}
)


def beat(call: SignedCall[HeartbeatMessage], links: UploadLinks) -> HeartbeatResponse:
    message = call.message
    location = validation.location(message)
    for index, rate in enumerate(message.event_rates):
        if not rate.HasField("sensor_id"):
            raise missing(f"event_rates[{index}].sensor_id")
    received = format_date(call.received)
    status_change = validation.present(message, "status_change")
    # The order of heartbeats: (date, message_id), the date as an instant (receive time if unparseable).
    signed = message.client_signature
    stamp = (format_date(parse_date(signed.date) or call.received), signed.message_id)

    # A sensor listed as both connected and disconnected ends disconnected.
    connection = dict.fromkeys(message.connected_sensors, True) | dict.fromkeys(message.disconnected_sensors, False)
    rates = {
        rate.sensor_id: EventRate(
            validation.present(rate, "event_count"), validation.present(rate, "time_window"), received
        )
        for rate in message.event_rates
    }

    @cache
    def pending(cursor: int) -> list[RequestRecord]:
        """Requests above the cursor; none is read while the namespace has nothing newer."""
        if call.store.latest_request_id(call.namespace, call.deadline) <= cursor:
            return []
        return call.store.requests.above(call.namespace, cursor, data_requests.MAX_CONSIDERED, call.deadline)

    def change(client: ClientRecord) -> tuple[ClientRecord, tuple[ClientRecord, HeartbeatResponse]]:
        known = {sensor.sensor_id for sensor in client.sensors}
        for sensor_id in (*connection, *rates):
            if sensor_id not in known:
                raise unknown_sensor(sensor_id)
        after = client
        if client.last_beat is None or stamp > client.last_beat:  # an older heartbeat changes no state
            sensors = tuple(
                sensor
                if sensor.removed  # removed sensors are ignored
                else replace(
                    sensor,
                    connected=connection.get(sensor.sensor_id, sensor.connected),
                    event_rate=rates.get(sensor.sensor_id, sensor.event_rate),
                )
                for sensor in client.sensors
            )
            after = replace(
                client,
                sensors=sensors,
                location=moved(client.location, location),
                last_seen=received,
                active=status_change not in GOING_AWAY,
                status_change=client.status_change if status_change is None else status_change,
                status_changed_at=client.status_changed_at if status_change is None else received,
                last_beat=stamp,
            )
        cursor = validation.present(message, "latest_request_id")
        cursor = client.request_cursor if cursor is None else cursor
        delivered, latest = data_requests.deliver(pending(cursor), after, cursor, received)
        after = replace(after, request_cursor=latest)
        response = HeartbeatResponse(
            data_requests=delivered, latest_request_id=latest, metadata_changed=client.metadata_changed
        )
        return after, (after, response)

    after, response = clients.mutate(call, change)
    metrics.add_metric(name="Heartbeats", unit=MetricUnit.Count, value=1)
    response.current_data_upload_urls.extend(offers.upload_urls(call, after, message.current_data_offers, links))
    return response

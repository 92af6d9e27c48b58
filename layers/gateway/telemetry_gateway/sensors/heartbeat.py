"""heartbeat/{client_id} (section 8): liveness, location, sensor connections and event rates, in one write."""

from __future__ import annotations

from dataclasses import replace

from telemetry_gateway.sensors import clients, validation
from telemetry_gateway.sensors.calls import SignedCall
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.errors import missing, unknown_sensor
from telemetry_gateway.sensors.pb.heartbeat_pb2 import HeartbeatMessage, HeartbeatResponse
from telemetry_gateway.sensors.records import ClientRecord, EventRate

# Status changes after which the client stops counting at once; UPDATE and RESTART keep it active.
GOING_AWAY = frozenset(
    {HeartbeatMessage.SLEEP, HeartbeatMessage.SHUTDOWN, HeartbeatMessage.KILLED, HeartbeatMessage.QUIT}
)


def beat(call: SignedCall[HeartbeatMessage]) -> HeartbeatResponse:
    message = call.message
    location = validation.location(message)
    for index, rate in enumerate(message.event_rates):
        if not rate.HasField("sensor_id"):
            raise missing(f"event_rates[{index}].sensor_id")
    received = format_date(call.received)
    status_change = validation.present(message, "status_change")

    # A sensor listed as both connected and disconnected ends disconnected.
    connection = dict.fromkeys(message.connected_sensors, True) | dict.fromkeys(message.disconnected_sensors, False)
    rates = {
        rate.sensor_id: EventRate(
            validation.present(rate, "event_count"), validation.present(rate, "time_window"), received
        )
        for rate in message.event_rates
    }

    def change(client: ClientRecord) -> tuple[ClientRecord, HeartbeatResponse]:
        known = {sensor.sensor_id for sensor in client.sensors}
        for sensor_id in (*connection, *rates):
            if sensor_id not in known:
                raise unknown_sensor(sensor_id)
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
        cursor = validation.present(message, "latest_request_id")
        cursor = client.request_cursor if cursor is None else cursor
        after = replace(
            client,
            sensors=sensors,
            location=location or client.location,
            last_seen=received,
            active=status_change not in GOING_AWAY,
            request_cursor=cursor,
            status_change=client.status_change if status_change is None else status_change,
            status_changed_at=client.status_changed_at if status_change is None else received,
        )
        return after, HeartbeatResponse(
            data_requests=[],  # the data path (requests, offers, uploads) is not served yet
            latest_request_id=cursor,
            current_data_upload_urls=[""] * len(message.current_data_offers),  # "" = do not upload
            metadata_changed=client.metadata_changed,
        )

    return clients.mutate(call, change)

"""Client records and picks as DynamoDB items, and the per-cell activity deltas of a write."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from telemetry_gateway.sensors import items
from telemetry_gateway.sensors.geohash import encode
from telemetry_gateway.sensors.records import ClientRecord, EventRate, Location, Pick, Sensor, cell_deltas
from telemetry_gateway.sensors.replay import ReplayWindow
from telemetry_gateway.storage.dynamo import from_item, to_item

PASADENA_CELL = encode(34.1377, -118.1253)
CLIENT = ClientRecord(
    namespace="test",
    client_id=2**63 - 1,
    generation=1,
    version=3,
    created_at="2014-04-13T19:42:17.744",
    client_data=b"\x22\x03lab",
    location=Location(34.1377, -118.1253, 2),
    sensors=(
        Sensor(11, 0, b"", connected=True, event_rate=EventRate(5, 600, "2014-04-13T19:42:17.744")),
        Sensor(12, 2, b"\x1a\x01m", removed=True),
    ),
    last_seen="2014-04-13T19:42:17.744",
    active=True,
    request_cursor=7,
    metadata_changed=True,
    disabled=False,
    window=ReplayWindow(2**32 - 1, 2**64 - 1),
    status_change=1,
    status_changed_at="2014-04-13T19:42:17.744",
)


def through_dynamodb(values: dict[str, object]) -> dict[str, object]:
    return from_item(to_item(values))


def test_a_client_round_trips_through_its_item() -> None:
    values = through_dynamodb({**items.new_client_item(CLIENT), "top": 2**32 - 1, "mask": 2**64 - 1})

    assert items.client_record(values, "test") == CLIENT
    assert values["clientId"] == "9223372036854775807"  # ids are decimal strings
    assert (values["activeNs"], values["cell"]) == ("test", PASADENA_CELL)
    assert str(values["nsShard"]).startswith("test#")


def test_an_inactive_client_leaves_the_activity_index() -> None:
    state = items.client_state(replace(CLIENT, active=False, location=None))

    assert (state["activeNs"], state["cell"], state["latitude"]) == (None, None, None)


def test_numbers_are_exact_and_tiny_ones_are_zero() -> None:
    assert items.number(0.1) == Decimal("0.1")
    assert items.number(-118.1253) == Decimal("-118.1253")
    assert items.number(1e-300) == 0


def test_a_pick_is_keyed_by_client_then_time_and_sensor() -> None:
    pick = Pick(
        "test", 5, 11, 0, "2014-04-13T19:42:17.744", "2014-04-13T19:42:18.000", (0.5,), None, None, None, (), False
    )

    values = items.pick_item(pick)

    assert (values["pk"], values["sk"]) == ("test#picks#5", "2014-04-13T19:42:17.744#11")
    assert set(to_item(values)) >= {"pk", "sk", "nsShard", "clientId", "sensorId", "pickTime", "readings", "counted"}
    assert "latitude" not in to_item(values)


def test_cell_deltas_follow_activity_and_location() -> None:
    inactive = replace(CLIENT, active=False)
    moved = replace(CLIENT, location=Location(0.0, 0.0, None))
    nowhere = replace(CLIENT, location=None)

    assert cell_deltas(inactive, CLIENT) == {PASADENA_CELL: 1}
    assert cell_deltas(CLIENT, inactive) == {PASADENA_CELL: -1}
    assert cell_deltas(CLIENT, CLIENT) == {}
    assert cell_deltas(CLIENT, moved) == {PASADENA_CELL: -1, "s0000": 1}
    assert cell_deltas(nowhere, nowhere) == {}
    assert cell_deltas(inactive, inactive) == {}

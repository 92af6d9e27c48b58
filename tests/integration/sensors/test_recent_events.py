"""events/recent (section 11): unsigned; limit, sensor type filter, after_event_id, newest, polygons."""

from __future__ import annotations

from typing import Any

from support.sensor_client import SensorClient, Transport
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import geohash
from telemetry_gateway.sensors.data_records import EventRecord, RequestRecord, Target
from telemetry_gateway.sensors.pb.common_pb2 import ACCELEROMETER_3_AXIS, SUCCESS, TEMPERATURE
from telemetry_gateway.sensors.pb.query_messages_pb2 import RecentEventQuery
from telemetry_gateway.sensors.store import SensorStore

CELLS = ("9q5ct", "9q5cv")


def declare(store: SensorStore, deadline: Deadline, count: int, sensor_type: int = ACCELEROMETER_3_AXIS) -> None:
    """`count` events, alternating between two cells, one window apart (as detection would store them)."""
    for index in range(count):
        time = f"2025-07-30T13:{index // 60 % 60:02d}:{index % 60:02d}.000"
        event = EventRecord(
            "test", 0, time, CELLS[index % 2], sensor_type, 3, 4, (0.1, 0.2, float(index)), "2025-07-30T13:59:00.000"
        )
        request = RequestRecord("test", 0, Target(), None, time, "2025-07-31T13:00:00.000", "event")
        assert store.events.declare(event, request, "2025-07-30T00:00:00.000", deadline) is not None
        store.table.delete({"pk": f"test#cell#{event.cell}", "sk": "event"}, deadline)  # let the cell declare again


def recent(transport: Transport, **query: Any) -> Any:
    status, answer = SensorClient(transport).post("events/recent", RecentEventQuery(**query))
    assert (status, answer.status.type) == (200, SUCCESS)
    return answer


def ids(answer: Any) -> list[float]:
    return [event.readings[2] + 1 for event in answer.events]  # event n carries n - 1 as its third reading


def test_no_events_yet(transport: Transport) -> None:
    answer = recent(transport)

    assert (answer.most_recent_event_id, list(answer.events)) == (0, [])
    assert answer.HasField("most_recent_event_id")


def test_the_newest_20_by_default_in_ascending_order(
    transport: Transport, store: SensorStore, deadline: Deadline
) -> None:
    declare(store, deadline, 25)

    answer = recent(transport)

    assert answer.most_recent_event_id == 25
    assert ids(answer) == list(range(6, 26))
    first = answer.events[0]
    assert (first.sensor_type, first.date, first.geocell) == (ACCELEROMETER_3_AXIS, "2025-07-30T13:00:05.000", CELLS[1])
    assert list(first.readings) == [0.1, 0.2, 5.0]


def test_limits_above_100_are_cut_to_100(transport: Transport, store: SensorStore, deadline: Deadline) -> None:
    declare(store, deadline, 101)

    assert ids(recent(transport, limit=5)) == [97, 98, 99, 100, 101]
    assert ids(recent(transport, limit=1000)) == list(range(2, 102))


def test_after_an_event_id_ascending_unless_the_most_recent_are_asked(
    transport: Transport, store: SensorStore, deadline: Deadline
) -> None:
    declare(store, deadline, 10)

    assert ids(recent(transport, after_event_id=4, limit=3)) == [5, 6, 7]
    assert ids(recent(transport, after_event_id=0, limit=2)) == [1, 2]
    assert ids(recent(transport, after_event_id=4, limit=3, most_recent_events=True)) == [8, 9, 10]


def test_the_sensor_type_filter(transport: Transport, store: SensorStore, deadline: Deadline) -> None:
    declare(store, deadline, 3)
    declare(store, deadline, 2, TEMPERATURE)

    answer = recent(transport, sensor_type=ACCELEROMETER_3_AXIS, limit=2)
    temperature = recent(transport, sensor_type=TEMPERATURE)

    assert ids(answer) == [2, 3]
    assert [event.sensor_type for event in temperature.events] == [TEMPERATURE, TEMPERATURE]
    assert temperature.most_recent_event_id == 5


def test_polygons_one_bounding_box_per_distinct_cell(
    transport: Transport, store: SensorStore, deadline: Deadline
) -> None:
    declare(store, deadline, 3)

    answer = recent(transport, provide_polygons=True)
    plain = recent(transport)

    assert list(answer.geocells_included) == [CELLS[0], CELLS[1]]
    for cell, box in zip(answer.geocells_included, answer.geocell_bounds, strict=True):
        bounds = geohash.bounds(cell)
        assert (box.west_longitude, box.east_longitude, box.north_latitude, box.south_latitude) == (
            bounds.west,
            bounds.east,
            bounds.north,
            bounds.south,
        )
        assert geohash.encode(*bounds.centre) == cell
    assert (list(plain.geocells_included), list(plain.geocell_bounds)) == ([], [])

"""events/recent (section 11): the namespace's detected events, unsigned."""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from telemetry_gateway.sensors import geohash
from telemetry_gateway.sensors.pb.common_pb2 import SensorType
from telemetry_gateway.sensors.pb.query_messages_pb2 import RecentEventQuery, RecentEventResponse

if TYPE_CHECKING:
    from telemetry_gateway.sensors.calls import SensorCall

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def recent(call: SensorCall[RecentEventQuery]) -> RecentEventResponse:
    query = call.message
    limit = min(query.limit or DEFAULT_LIMIT, MAX_LIMIT)
    wanted_type = query.sensor_type if query.HasField("sensor_type") else None
    ascending = query.HasField("after_event_id") and not query.most_recent_events
    found = call.store.events.events(
        call.namespace,
        call.deadline,
        after=query.after_event_id if ascending else 0,
        newest_first=not ascending,
        page_size=limit if wanted_type is None else None,
    )
    matching = islice((e for e in found if wanted_type is None or e.sensor_type == wanted_type), limit)
    events = list(matching) if ascending else list(matching)[::-1]
    response = RecentEventResponse(
        most_recent_event_id=call.store.events.latest_id(call.namespace, call.deadline),
        events=[
            RecentEventResponse.SensorEvent(
                sensor_type=SensorType.ValueType(event.sensor_type),
                readings=event.readings,
                date=event.time,
                geocell=event.cell,
            )
            for event in events
        ],
    )
    if query.provide_polygons:
        cells = list(dict.fromkeys(event.cell for event in events))
        response.geocells_included.extend(cells)
        for cell in cells:
            box = geohash.bounds(cell)
            response.geocell_bounds.add(
                west_longitude=box.west, east_longitude=box.east, north_latitude=box.north, south_latitude=box.south
            )
    return response

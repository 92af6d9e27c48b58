"""Event detection (section 9), run by the event function after a pick is stored.

For a counted pick at time t in cell c: n = distinct clients with a counted pick in c during [t - window, t]
and A = c's active count (at least n). An event is declared when n >= min_clients and n / A >= fraction,
by a conditional write that allows one event per cell and window; it creates an area data request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import zip_longest
from typing import TYPE_CHECKING

from telemetry_gateway.sensors import geohash
from telemetry_gateway.sensors.data_records import Area, CountedPick, EventRecord, Span, Target
from telemetry_gateway.sensors.data_requests import new_request
from telemetry_gateway.sensors.dates import format_date, parse_date

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.sensors.event_config import DetectionSettings
    from telemetry_gateway.sensors.records import Pick
    from telemetry_gateway.sensors.store import SensorStore

ENTRY_LIFETIME = timedelta(days=1)  # detection entries are purged (DynamoDB TTL) this long after arrival


def evaluate(
    store: SensorStore, pick: Pick, received: datetime, settings: DetectionSettings, deadline: Deadline
) -> EventRecord | None:
    """The event this pick completes, if it declares one."""
    picked = parse_date(pick.pick_time)
    if not pick.counted or pick.location is None or picked is None:
        return None
    if received - picked > timedelta(seconds=settings.max_pick_age_seconds):
        return None
    namespace, cell = (
        pick.namespace,
        geohash.encode(pick.location.latitude, pick.location.longitude, settings.precision),
    )
    counted = CountedPick(pick.client_id, pick.sensor_id, pick.pick_time, pick.readings)
    store.events.note_pick(namespace, cell, counted, int((received + ENTRY_LIFETIME).timestamp()), deadline)
    window_start = format_date(picked - timedelta(seconds=settings.window_seconds))
    if store.events.declared_since(namespace, cell, window_start, deadline):
        return None  # the window has its event: during a burst every later pick costs one GetItem, no Query
    window = store.events.picks_between(namespace, cell, window_start, pick.pick_time, deadline)
    clients = len({entry.client_id for entry in window})
    if clients < settings.min_clients:
        return None
    active = max(store.active_count(namespace, cell, deadline), clients)
    if clients / active < settings.fraction:
        return None
    event = EventRecord(
        namespace=namespace,
        event_id=0,
        time=min(entry.pick_time for entry in window),
        cell=cell,
        sensor_type=pick.sensor_type,
        clients=clients,
        active=active,
        readings=peaks(entry.readings for entry in window),
        declared_at=format_date(received),
    )
    latitude, longitude = geohash.bounds(cell).centre
    span = Span(
        format_date(picked - timedelta(seconds=settings.request_before_seconds)),
        format_date(picked + timedelta(seconds=settings.request_after_seconds)),
    )
    area = Target(area=Area((latitude,), (longitude,), settings.request_distance_metres))
    request = new_request(namespace, area, span, received, settings.request_expiry_seconds, origin="event")
    return store.events.declare(event, request, window_start, deadline)


def peaks(readings: Iterable[tuple[float, ...]]) -> tuple[float, ...]:
    """Per component, the largest absolute value (picks may carry different numbers of components)."""
    return tuple(max(abs(v) for v in column if v is not None) for column in zip_longest(*readings))

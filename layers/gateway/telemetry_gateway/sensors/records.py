"""What the registry keeps about a client and its sensors, independent of how DynamoDB stores it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from telemetry_gateway.sensors import geohash

if TYPE_CHECKING:
    from telemetry_gateway.sensors.replay import ReplayWindow


@dataclass(frozen=True)
class Location:
    """Where a client is, and how it knows (its source type)."""

    latitude: float
    longitude: float
    source: int | None  # LocationSourceType, when the sender named one

    @property
    def cell(self) -> str:
        return geohash.encode(self.latitude, self.longitude)


def moved(stored: Location | None, sent: Location | None) -> Location | None:
    """The client's location after a message: a sent location wins, but one that names no source type
    keeps the stored one (section 7)."""
    if sent is None:
        return stored
    if sent.source is None and stored is not None:
        return replace(sent, source=stored.source)
    return sent


@dataclass(frozen=True)
class EventRate:
    """A sensor's background pick rate, as its latest heartbeat reported it."""

    event_count: int | None
    time_window: int | None
    reported_at: str


@dataclass(frozen=True)
class Sensor:
    """One sensor of a client: its type and metadata, and what heartbeats last said about it."""

    sensor_id: int
    sensor_type: int
    metadata: bytes  # SensorMetadata as last sent, without sensor_id and sensor_type
    removed: bool = False
    connected: bool | None = None
    event_rate: EventRate | None = None


@dataclass(frozen=True)
class ClientRecord:
    """A sensor client as stored: identity, location, sensors, activity and replay window."""

    namespace: str
    client_id: int
    generation: int  # of the derived secret; starts at 1
    version: int  # bumped by every write but the replay window's: the optimistic-concurrency guard
    created_at: str
    client_data: bytes  # ClientMetadata without the location fields, which live in `location`
    location: Location | None
    sensors: tuple[Sensor, ...]  # in the order they were added, removed ones included
    last_seen: str | None
    active: bool
    request_cursor: int  # latest_request_id last returned to the client
    metadata_changed: bool
    disabled: bool
    window: ReplayWindow | None
    status_change: int | None  # HeartbeatMessage.StatusChange
    status_changed_at: str | None
    # (date, message_id) of the last heartbeat applied: an older one changes no state (section 8)
    last_beat: tuple[str, int] | None = None

    @property
    def cell(self) -> str | None:
        return self.location.cell if self.location else None

    def sensor(self, sensor_id: int) -> Sensor | None:
        return next((s for s in self.sensors if s.sensor_id == sensor_id), None)

    def live_sensor(self, sensor_id: int) -> Sensor | None:
        found = self.sensor(sensor_id)
        return found if found is not None and not found.removed else None

    @property
    def live_sensors(self) -> tuple[Sensor, ...]:
        return tuple(s for s in self.sensors if not s.removed)


def cell_deltas(before: ClientRecord, after: ClientRecord) -> dict[str, int]:
    """How a write changes the per-cell active counts: an active client with a location counts once in its cell."""
    deltas: dict[str, int] = {}
    if before.active and before.cell:
        deltas[before.cell] = deltas.get(before.cell, 0) - 1
    if after.active and after.cell:
        deltas[after.cell] = deltas.get(after.cell, 0) + 1
    return {cell: delta for cell, delta in deltas.items() if delta}


@dataclass(frozen=True)
class Pick:
    """A local detection of shaking, as stored: `counted` says whether it may count toward detection."""

    namespace: str
    client_id: int
    sensor_id: int
    sensor_type: int
    pick_time: str
    received_at: str
    readings: tuple[float, ...]  # peak g: [N, E, Z] for a 3-axis accelerometer
    event_count: int | None
    time_window: int | None
    location: Location | None
    other_readings: tuple[bytes, ...]  # serialized EventMessage.SensorEvent, as received
    counted: bool


@dataclass(frozen=True)
class StaleClient:
    """An entry of the activity index older than the sweep's cutoff."""

    namespace: str
    client_id: int
    last_seen: str
    cell: str | None

"""What the data path keeps (section 10-11): data requests, detected events, stored readings, upload claims."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Area:
    """Points and a great-circle distance in metres: a client within the distance of any point is inside."""

    latitudes: tuple[float, ...]
    longitudes: tuple[float, ...]
    distance: int


@dataclass(frozen=True)
class Target:
    """Whom a data request asks: one sensor, one client, an area, or (all None) the whole namespace."""

    sensor_id: int | None = None
    client_id: int | None = None
    area: Area | None = None

    @property
    def kind(self) -> str:
        if self.sensor_id is not None:
            return "sensor"
        if self.client_id is not None:
            return "client"
        return "area" if self.area is not None else "namespace"


@dataclass(frozen=True)
class Span:
    """A time window, both ends in the server's date form (which sorts as it reads)."""

    start: str
    end: str

    def overlaps(self, other: Span) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class RequestRecord:
    """A data request: which sensors (target), which readings (span, or current data), until when."""

    namespace: str
    request_id: int
    target: Target
    span: Span | None  # None: current data
    created_at: str
    expires_at: str
    origin: str  # "operator" or "event <id>"
    closed: bool = False
    fulfilled: frozenset[int] = field(default_factory=frozenset)  # sensors that uploaded for it

    @property
    def current(self) -> bool:
        return self.span is None

    def is_open(self, now: str) -> bool:
        return not self.closed and now < self.expires_at


@dataclass(frozen=True)
class CountedPick:
    """A counted, located, recent pick as detection reads it from its cell's window."""

    client_id: int
    sensor_id: int
    pick_time: str
    readings: tuple[float, ...]


@dataclass(frozen=True)
class EventRecord:
    """A detected event: its cell, time, counts (n of A) and peak readings."""

    namespace: str
    event_id: int  # 0 until declared
    time: str  # the earliest counted pick
    cell: str
    sensor_type: int
    clients: int  # n
    active: int  # A
    readings: tuple[float, ...]  # per component, the largest absolute value among the picks
    declared_at: str
    request_id: int = 0  # the area request it created


@dataclass(frozen=True)
class UploadClaims:
    """What an upload token allows: one reading of one sensor for one request (or as current data)."""

    namespace: str
    client_id: int
    sensor_id: int
    span: Span
    data_format: int
    request_id: int | None
    current: bool
    expires: int  # Unix seconds

    @property
    def upload_key(self) -> tuple[int, str, str, int | None]:
        """An upload is the same upload when its (sensor, start, end, request) is."""
        return self.sensor_id, self.span.start, self.span.end, self.request_id


@dataclass(frozen=True)
class ReadingRecord:
    """An uploaded reading: the claims of its token and where its payload is stored."""

    namespace: str
    reading_id: int
    claims: UploadClaims
    size: int
    sha256: str
    object_key: str
    received: str

"""The console's JSON API (`GET /api/...`), read by its own front end: one answer per page, shaped for it.

Ids are decimal strings, times are the stored UTC strings. Nothing here can hold a credential: notify
messages are shown by id, state, times and sizes (their headers and bodies may carry the Client's own
credentials), registrations without their token id, sensor clients without their replay window (their
secrets are never stored).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from cli.console import sources
from cli.console.sources import Stores
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify.records import EXPIRED, PENDING, REPLIED, Message
from telemetry_gateway.sensors import geohash
from telemetry_gateway.sensors.data_records import EventRecord
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb.common_pb2 import SensorType
from telemetry_gateway.sensors.pb.heartbeat_pb2 import HeartbeatMessage
from telemetry_gateway.sensors.records import ClientRecord

CLIENT_LIMIT = 500  # clients on one fleet page (each is read by key)
MESSAGE_LIMIT = 200  # live messages per circuit
ITEM_LIMIT = 100  # telemetry index entries per page, unless ?limit= asks for up to MAX_ITEM_LIMIT
MAX_ITEM_LIMIT = 1000
REGISTRATION_LIMIT = 100
DATA_CHARS = 64 * 1024  # of an item's data text: the item view is for reading, `tgw telemetry show` for all
EVENT_SPAN = timedelta(days=1)
SELECTORS = ("type", "client", "registration")


class ApiError(Exception):
    """A refusal with its HTTP status, answered as {"error": message}."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Call:
    """One API request: the stores to read, the path's captured parts, the query, and its time budget."""

    stores: Stores
    parts: tuple[str, ...]
    query: dict[str, str]
    now: datetime
    deadline: Deadline


Endpoint = Callable[[Call], dict[str, Any]]


# ---------------------------------------------------------------------- status


def status(call: Call) -> dict[str, Any]:
    return {"target": call.stores.description, "now": _iso(call.now)}


# ---------------------------------------------------------------------- sensors


def namespaces(call: Call) -> dict[str, Any]:
    return {"namespaces": sorted(sources.sensor_namespaces(call.stores, call.deadline))}


def fleet(call: Call) -> dict[str, Any]:
    """A namespace on one page: clients by cell (active or not), the last day's events, open requests."""
    namespace = call.parts[0]
    clients, more = sources.sensor_clients(call.stores, namespace, CLIENT_LIMIT, call.deadline)
    by_cell: dict[str, list[ClientRecord]] = {}
    for client in clients:
        if client.cell:
            by_cell.setdefault(client.cell, []).append(client)
    stored = sources.cell_active_counts(call.stores, namespace, sorted(by_cell), call.deadline)
    events = sources.sensor_events_since(call.stores, namespace, call.now - EVENT_SPAN, call.deadline)
    requests = [r for r in sources.sensor_requests(call.stores, namespace, call.now, call.deadline) if _open(r)]
    active = sum(client.active for client in clients)
    return {
        "namespace": namespace,
        "now": _iso(call.now),
        "counts": {
            "clients": len(clients),
            "active": active,
            "inactive": len(clients) - active,
            "cells": len(by_cell),
            "events": len(events),
            "openRequests": len(requests),
        },
        "more": more,
        "clients": [_client_summary(client) for client in clients],
        "cells": [_cell(cell, members, stored[cell]) for cell, members in sorted(by_cell.items())],
        "events": [_event(event) for event in events],
        "requests": requests,
    }


def sensor_client(call: Call) -> dict[str, Any]:
    """One client: its stored state and sensors (never its secret, which is not stored) and its readings."""
    namespace, client_id = call.parts[0], int(call.parts[1])
    client = sources.sensor_client(call.stores, namespace, client_id, call.deadline)
    client.pop("replayWindow", None)  # message ids are no credential, but nothing an operator reads here
    if client["statusChange"] is not None:
        client["statusChange"] = _status_change(client["statusChange"])
    readings = sources.sensor_readings(call.stores, namespace, client_id, call.deadline)
    live = sum(not sensor["removed"] for sensor in client["sensors"])
    removed = len(client["sensors"]) - live
    return {
        "now": _iso(call.now),
        "client": client,
        "readings": readings,
        "counts": {"sensors": live, "removedSensors": removed, "readings": len(readings)},
    }


def _open(request: dict[str, Any]) -> bool:
    return bool(request["state"] == "open")


def _client_summary(client: ClientRecord) -> dict[str, Any]:
    location = client.location
    return {
        "clientId": str(client.client_id),
        "active": client.active,
        "disabled": client.disabled,
        "createdAt": client.created_at,
        "lastSeen": client.last_seen,
        "cell": client.cell,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "sensors": len(client.live_sensors),
        "sensorTypes": sorted({_sensor_type(sensor.sensor_type) for sensor in client.live_sensors}),
        "statusChange": None if client.status_change is None else _status_change(client.status_change),
    }


def _cell(cell: str, members: list[ClientRecord], stored_active: int) -> dict[str, Any]:
    active = sum(client.active for client in members)
    return {
        "cell": cell,
        "bounds": _bounds(cell),
        "clients": len(members),
        "active": active,
        "inactive": len(members) - active,
        "storedActiveCount": stored_active,
    }


def _event(event: EventRecord) -> dict[str, Any]:
    described = sources.describe_event(event)
    return {**described, "sensor_type": _sensor_type(event.sensor_type), "bounds": _bounds(event.cell)}


def _bounds(cell: str) -> dict[str, float]:
    box = geohash.bounds(cell)
    return {"south": box.south, "west": box.west, "north": box.north, "east": box.east}


def _sensor_type(value: int) -> str:
    return SensorType.Name(value) if value in SensorType.values() else str(value)  # type: ignore[arg-type]


def _status_change(value: int) -> str:
    names = HeartbeatMessage.StatusChange
    return names.Name(value) if value in names.values() else str(value)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- telemetry

_SUMMARY = (
    "eventTime",
    "telemetryType",
    "telemetryId",
    "telemetryTimeStamp",
    "bundleClientId",
    "registrationId",
    "customerId",
    "reportId",
    "bundleId",
    "tags",
    "receivedAt",
    "dataSize",
)
_REGISTRATION = ("registrationId", "clientId", "systemUUID", "timestamp", "registrationDate", "createdAt")


def telemetry_items(call: Call) -> dict[str, Any]:
    """Items of one type, sender (bundleClientId) or registration, oldest first."""
    chosen = [selector for selector in SELECTORS if call.query.get(selector)]
    if len(chosen) != 1:
        raise ApiError(400, "give exactly one of type, client, registration")
    selector = chosen[0]
    value = call.query[selector]
    if selector == "registration" and not value.isdigit():
        raise ApiError(400, f"registration {value!r} is not a number")
    limit = _limit(call.query.get("limit"))
    since, until = call.query.get("since") or "0000", call.query.get("until") or "9999"
    found, more = sources.telemetry_items(call.stores, selector, value, since, until, limit, call.deadline)
    return {"selector": selector, "value": value, "limit": limit, "items": [_item(e) for e in found], "more": more}


def telemetry_client(call: Call) -> dict[str, Any]:
    """A client's registrations (by clientId) and the items it sent (by bundleClientId)."""
    client_id = call.parts[0]
    limit = _limit(call.query.get("limit"))
    registrations = sources.telemetry_registrations(call.stores, client_id, REGISTRATION_LIMIT, call.deadline)
    found, more = sources.telemetry_items(call.stores, "client", client_id, "0000", "9999", limit, call.deadline)
    return {
        "clientId": client_id,
        "registrations": [{name: r.get(name) for name in _REGISTRATION} for r in registrations],
        "items": [_item(entry) for entry in found],
        "limit": limit,
        "more": more,
    }


def telemetry_item(call: Call) -> dict[str, Any]:
    """One item with its data text (the first DATA_CHARS characters)."""
    record = sources.telemetry_item(call.stores, call.parts[0], call.deadline)
    record.pop("pk", None)
    data = record.pop("data", None)
    text = data if isinstance(data, str) else None
    return {
        "item": {"key": call.parts[0], **record},
        "data": None if text is None else text[:DATA_CHARS],
        "dataChars": None if text is None else len(text),
        "dataTruncated": text is not None and len(text) > DATA_CHARS,
    }


def _item(entry: dict[str, Any]) -> dict[str, Any]:
    return {"key": str(entry["pk"]).removeprefix("item#"), **{name: entry.get(name) for name in _SUMMARY}}


def _limit(text: str | None) -> int:
    if text is None:
        return ITEM_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= MAX_ITEM_LIMIT:
        raise ApiError(400, f"limit must be 1..{MAX_ITEM_LIMIT}")
    return int(text)


# ---------------------------------------------------------------------- notify


def notify(call: Call) -> dict[str, Any]:
    """Users and circuits by name, with each circuit's live messages counted by state."""
    users = sources.notify_users(call.stores, call.deadline)
    circuits: list[dict[str, Any]] = []
    totals = Counter[str]()
    for listed in sources.notify_circuits(call.stores, call.deadline):
        messages, more = sources.circuit_messages(call.stores, listed["name"], call.now, MESSAGE_LIMIT, call.deadline)
        states = _states(messages, call.now)
        totals.update(states)
        circuits.append({**listed, "messages": states, "more": more})
    return {
        "users": users,
        "circuits": circuits,
        "counts": {"users": len(users), "circuits": len(circuits), **{s: totals[s] for s in _STATES}},
    }


def circuit(call: Call) -> dict[str, Any]:
    """A circuit's live messages, newest first: ids, states, times and sizes, never headers or bodies."""
    name = call.parts[0]
    found = [c for c in sources.notify_circuits(call.stores, call.deadline) if c["name"] == name]
    if not found:
        raise ApiError(404, f"no circuit named {name}")
    messages, more = sources.circuit_messages(call.stores, name, call.now, MESSAGE_LIMIT, call.deadline)
    return {
        "circuit": found[0],
        "messages": [_message(message, call.now) for message in messages],
        "counts": _states(messages, call.now),
        "more": more,
    }


_STATES = (PENDING, REPLIED, EXPIRED)


def _states(messages: list[Message], now: datetime) -> dict[str, int]:
    counted = Counter(message.state_at(now) for message in messages)
    return {state: counted[state] for state in _STATES}


def _message(message: Message, now: datetime) -> dict[str, Any]:
    return {
        "seq": message.seq,
        "messageId": message.message_id,
        "user": message.user,
        "arrivedAt": message.arrived_at,
        "deadline": _iso(datetime.fromtimestamp(message.deadline_ms / 1000, UTC)),
        "state": message.state_at(now),
        "bodyBytes": len(message.body),
        "headerLines": len(message.headers),
    }


def _iso(moment: datetime) -> str:
    return format_date(moment) + "Z"


# ---------------------------------------------------------------------- routing

_NAMESPACE = r"([a-z0-9-]{1,40})"
ROUTES: list[tuple[re.Pattern[str], Endpoint]] = [
    (re.compile(pattern), endpoint)
    for pattern, endpoint in [
        (r"/api/status", status),
        (r"/api/sensors/namespaces", namespaces),
        (rf"/api/sensors/{_NAMESPACE}", fleet),
        (rf"/api/sensors/{_NAMESPACE}/clients/([0-9]{{1,20}})", sensor_client),
        (r"/api/telemetry/items", telemetry_items),
        (r"/api/telemetry/items/([0-9a-f]{64})", telemetry_item),
        (r"/api/telemetry/clients/([^/]{1,3072})", telemetry_client),
        (r"/api/notify", notify),
        (r"/api/notify/circuits/([A-Za-z0-9._@+-]{1,64})", circuit),
    ]
]


def route(path: str) -> tuple[Endpoint, tuple[str, ...]]:
    """The endpoint of a path as sent (so that an encoded `/` stays inside its part) and its captured parts,
    percent-decoded; ApiError 404 if none."""
    for pattern, endpoint in ROUTES:
        matched = pattern.fullmatch(path)
        if matched:
            return endpoint, tuple(unquote(part) for part in matched.groups())
    raise ApiError(404, f"no such API: {path}")

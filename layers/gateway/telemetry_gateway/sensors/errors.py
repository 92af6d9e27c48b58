"""The sensor family's one error vocabulary: a status type, an HTTP code and the exact message.

Every refusal is answered with the route's own response message carrying this status (never an
empty body), because the original clients decode the body even on HTTP errors and proto2 enums
default to SUCCESS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telemetry_gateway.sensors.pb import common_pb2

if TYPE_CHECKING:
    from telemetry_gateway.sensors.pb.common_pb2 import StatusType


class SensorError(Exception):
    def __init__(self, status: StatusType.ValueType, http_status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.http_status = http_status
        self.message = message


def invalid(message: str, http_status: int = 400) -> SensorError:
    return SensorError(common_pb2.INVALID_REQUEST, http_status, message)


def missing(path: str) -> SensorError:
    return invalid(f"missing required field: {path}")


def undecodable() -> SensorError:
    return invalid("could not decode request")


def bad_signature() -> SensorError:
    return invalid("invalid client signature", 401)


def replayed() -> SensorError:
    return invalid("replayed message_id")


def unknown_client() -> SensorError:
    return SensorError(common_pb2.UNKNOWN_CLIENT, 400, "unknown client")


def unknown_sensor(sensor_id: int) -> SensorError:
    return SensorError(common_pb2.UNKNOWN_SENSOR, 400, f"unknown sensor {sensor_id}")


def unknown_namespace() -> SensorError:
    return SensorError(common_pb2.PATH_NOT_FOUND, 404, "unknown namespace")


def too_large(message: str = "request too large") -> SensorError:
    return SensorError(common_pb2.OVER_QUOTA_ERROR, 413, message)

"""Path parameters: the namespace and the client id, checked before anything is read (section 6 order)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from telemetry_gateway.config import ConfigError, Env
from telemetry_gateway.sensors.errors import unknown_client, unknown_namespace

_NAMESPACE = re.compile(r"[a-z0-9-]{1,40}")
_DECIMAL = re.compile(r"[0-9]{1,20}")
MAX_CLIENT_ID = 2**64 - 1


def is_valid_namespace(name: str) -> bool:
    return _NAMESPACE.fullmatch(name) is not None


def allowed_namespaces(env: Env) -> tuple[str, ...]:
    """SENSOR_NAMESPACES: the namespaces served (empty: any well-formed name)."""
    namespaces = env.listed("SENSOR_NAMESPACES")
    invalid = [name for name in namespaces if not is_valid_namespace(name)]
    if invalid:
        raise ConfigError(f"SENSOR_NAMESPACES holds invalid names: {invalid}")
    return namespaces


def namespace(name: str | None, allowed: Sequence[str]) -> str:
    """The namespace, if it is well-formed and, when an allow-list is configured, on it."""
    if name is None or not is_valid_namespace(name) or (allowed and name not in allowed):
        raise unknown_namespace()
    return name


def client_id(text: str | None) -> int:
    """A decimal in 1..2^64-1; anything else names no client."""
    if text is None or not _DECIMAL.fullmatch(text) or not 1 <= int(text) <= MAX_CLIENT_ID:
        raise unknown_client()
    return int(text)

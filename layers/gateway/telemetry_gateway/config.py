"""Environment → typed values, validated once per cold start so a bad deployment fails loudly."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping


class ConfigError(RuntimeError):
    """A setting is missing or invalid; raised at start-up, never per request."""


def env_str(name: str, default: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    value = (os.environ if environ is None else environ).get(name, default)
    if value is None or value == "":
        raise ConfigError(f"{name} is not set")
    return value


def env_int(
    name: str,
    default: int,
    minimum: int,
    maximum: int,
    environ: Mapping[str, str] | None = None,
) -> int:
    raw = env_str(name, str(default), environ)
    if not re.fullmatch(r"[0-9]+", raw.strip()):
        raise ConfigError(f"{name}={raw!r} is not a whole number")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name}={value} is outside {minimum}..{maximum}")
    return value


def env_list(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """A comma-separated list (CloudFormation's CommaDelimitedList joined back into one string)."""
    raw = (os.environ if environ is None else environ).get(name, default)
    return tuple(part.strip() for part in raw.split(",") if part.strip())

"""Environment → typed values, read once when a function is imported.

Every variable a function's template entry declares is required: the template holds the defaults, so a
variable missing here is a broken deployment, and it stops the function at init with its name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

_WHOLE_NUMBER = re.compile(r"[0-9]+")


class ConfigError(RuntimeError):
    """A setting is missing or invalid; raised at import (Lambda init), never per request."""


class Env:
    """Reads required variables, naming the variable in every refusal."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def raw(self, name: str) -> str:
        """The value as set, possibly empty; absent is an error."""
        value = self._environ.get(name)
        if value is None:
            raise ConfigError(f"{name} is not set")
        return value

    def text(self, name: str) -> str:
        """A value that must not be empty (names of tables, buckets, secrets)."""
        value = self.raw(name).strip()
        if not value:
            raise ConfigError(f"{name} is empty")
        return value

    def integer(self, name: str, minimum: int, maximum: int) -> int:
        raw = self.raw(name).strip()
        if not _WHOLE_NUMBER.fullmatch(raw):
            raise ConfigError(f"{name}={raw!r} is not a whole number")
        value = int(raw)
        if not minimum <= value <= maximum:
            raise ConfigError(f"{name}={value} is outside {minimum}..{maximum}")
        return value

    def decimal(self, name: str, minimum: float, maximum: float) -> float:
        raw = self.raw(name).strip()
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a number") from None
        if not minimum <= value <= maximum:
            raise ConfigError(f"{name}={value} is outside {minimum}..{maximum}")
        return value

    def listed(self, name: str) -> tuple[str, ...]:
        """A comma-separated list (CloudFormation's CommaDelimitedList joined back); set but empty is ()."""
        return tuple(part.strip() for part in self.raw(name).split(",") if part.strip())

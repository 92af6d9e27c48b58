"""Notify test helpers: a scripted clock, form bodies, replies."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from support.clock import ManualClock


class ScriptedClock(ManualClock):
    """A ManualClock that runs the next queued action whenever someone sleeps: a test plays the Master
    while a Dispatch waits, on one thread and without real time passing."""

    def __init__(self) -> None:
        super().__init__()
        self._actions: list[Callable[[], object]] = []

    def on_sleep(self, action: Callable[[], object]) -> None:
        self._actions.append(action)

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if self._actions:
            self._actions.pop(0)()


def form(**fields: str | bytes) -> str:
    """An application/x-www-form-urlencoded body, as curl --data-urlencode builds it."""
    return urlencode(fields)


def body_of(response: dict[str, Any]) -> bytes:
    raw = response.get("body") or ""
    return base64.b64decode(raw) if response.get("isBase64Encoded") else raw.encode("utf-8")

"""Notify test helpers: `tgw` in-process on the session's moto, a scripted clock, form bodies, replies."""

from __future__ import annotations

import base64
import contextlib
import io
import json
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest

from cli import main as tgw_main
from cli.target import Target
from local.app import REGION, LocalApp
from tests.support.clock import ManualClock


@cache
def _session() -> boto3.session.Session:
    """One boto3 session for every `tgw` run: a new one would load the service models again."""
    return boto3.session.Session(region_name=REGION)


def run_tgw(app: LocalApp, monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str]:
    """`tgw --local <argv>` through its real entry point, acting on the session's in-process moto."""
    target = Target(app.stack.outputs(), _session())
    monkeypatch.setattr(tgw_main, "local_target", lambda: target)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = tgw_main.main(["--local", *argv])
    return status, out.getvalue()


def tgw_json(app: LocalApp, monkeypatch: pytest.MonkeyPatch, *argv: str) -> dict[str, Any]:
    status, out = run_tgw(app, monkeypatch, *argv, "--json")
    assert status == 0, out
    return dict(json.loads(out))


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

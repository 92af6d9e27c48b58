"""`tgw` in-process through its real entry point, acting on the test session's moto."""

from __future__ import annotations

import contextlib
import io
import json
from functools import cache
from typing import Any

import boto3
import pytest

from cli import main as tgw_main
from cli.target import Target
from local.app import REGION, LocalApp


@cache
def _session() -> boto3.session.Session:
    """One boto3 session for every `tgw` run: a new one would load the service models again."""
    return boto3.session.Session(region_name=REGION)


def run_tgw(app: LocalApp, monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str]:
    """`tgw --local <argv>` through its real entry point, acting on the session's in-process moto."""
    target = Target(app.outputs(), _session())
    monkeypatch.setattr(tgw_main, "local_target", lambda: target)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = tgw_main.main(["--local", *argv])
    return status, out.getvalue()


def tgw_json(app: LocalApp, monkeypatch: pytest.MonkeyPatch, *argv: str) -> dict[str, Any]:
    status, out = run_tgw(app, monkeypatch, *argv, "--json")
    assert status == 0, out
    return dict(json.loads(out))

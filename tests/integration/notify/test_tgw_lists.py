"""`tgw notify user|circuit list`: --limit and --all, and a list never cut silently (it was at 100)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pytest

from cli import notify_admin
from local.app import LocalApp
from support.tgw import run_tgw
from telemetry_gateway.clock import SystemClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.table import Table
from tests.integration.tgw_lists import check_limits, listed


def directory(aws: LocalApp) -> Table:
    return Table(aws.stack.context.refs["NotifyDirectoryTable"])


@pytest.mark.parametrize("holder", [notify_admin.USER, notify_admin.CIRCUIT], ids=lambda holder: holder.kind)
def test_lists_take_limit_and_all(aws: LocalApp, monkeypatch: pytest.MonkeyPatch, holder: notify_admin.Holder) -> None:
    deadline = Deadline.after(SystemClock(), 60)
    for name in ("c", "a", "b"):
        notify_admin.create(directory(aws), holder, name, datetime.now(UTC), deadline)

    entries = check_limits(partial(run_tgw, aws, monkeypatch), ("notify", holder.kind, "list"), f"{holder.kind}s", 3)

    assert [entry["name"] for entry in entries] == ["a", "b", "c"]


def test_the_default_limit_of_100_says_when_more_exist(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    deadline = Deadline.after(SystemClock(), 60)
    for n in range(101):
        notify_admin.create(directory(aws), notify_admin.USER, f"u{n:03d}", datetime.now(UTC), deadline)
    run = partial(run_tgw, aws, monkeypatch)

    default = listed(run, "notify", "user", "list")
    every = listed(run, "notify", "user", "list", "--all")
    status, text = run("notify", "user", "list")

    assert (len(default["users"]), default["more"]) == (100, True)
    assert (len(every["users"]), "more" in every) == (101, False)
    assert (status, text.splitlines()[-1]) == (0, "(more exist: showing the first 100; use --limit N or --all)")
    assert len(text.splitlines()) == 101

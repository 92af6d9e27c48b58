"""Notify functions invoked in-process on moto, on a scripted clock, with credentials issued by `tgw`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from local.app import LocalApp
from support.events import api_event
from support.notify import ScriptedClock, form
from support.tgw import tgw_json
from telemetry_gateway import clock as clock_module

# The Host of every event api_event builds: the URL these requests "reached".
ENDPOINT = "http://127.0.0.1:3000"


@pytest.fixture
def clock(aws: LocalApp) -> Iterator[ScriptedClock]:
    """Virtual time for handlers and Lambda contexts; each test starts a new execution environment."""
    scripted = ScriptedClock()
    previous = clock_module.install(scripted)
    aws.runtime.cold_start("NotifyDispatch")
    yield scripted
    clock_module.install(previous)


@dataclass
class Credentials:
    ka: str
    kc: str
    secret: str


@dataclass
class Relay:
    """The three routes as a Client and a Master call them."""

    invoke: Any

    def call(self, target: str, body: str | bytes, headers: dict[str, str] | None = None) -> dict[str, Any]:
        function, event = api_event("POST", target, body, headers or {})
        return dict(self.invoke(function, event))

    def dispatch(self, creds: Credentials, body: str | bytes = "your%20message%20here", **headers: str) -> Any:
        return self.call(f"/Dispatch/{creds.ka}/{creds.kc}", body, headers)

    def strand(self, creds: Credentials, body: str | bytes = "stranded") -> None:
        """A Dispatch whose function dies while it waits: its message stays pending (until the deadline)."""
        clock = clock_module.current()
        assert isinstance(clock, ScriptedClock)
        clock.on_sleep(_die)
        assert self.dispatch(creds, body)["statusCode"] == 500

    def listen(self, secret: str, last: str | None = None, referer: str | None = ENDPOINT) -> dict[str, Any]:
        fields = {"secret": secret} | ({"last": last} if last is not None else {})
        return self.call("/MailboxListen/", form(**fields), {"Referer": referer} if referer else {})

    def post(
        self, secret: str, message_id: str, headers: str = "", data: str | bytes = "", referer: str = ENDPOINT
    ) -> dict[str, Any]:
        body = form(secret=secret, id=message_id, headers=headers, data=data)
        return self.call("/MailboxPost/", body, {"Referer": referer})


class FunctionKilled(Exception):
    pass


def _die() -> None:
    raise FunctionKilled


@pytest.fixture
def relay(invoke: Any, clock: ScriptedClock) -> Relay:
    return Relay(invoke)


@pytest.fixture
def issue(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A user and a circuit, created with `tgw notify ... create --json`."""

    def create(user: str = "atest@telemetry", circuit: str = "demo") -> Credentials:
        ka = tgw_json(aws, monkeypatch, "notify", "user", "create", "--name", user)["ka"]
        created = tgw_json(aws, monkeypatch, "notify", "circuit", "create", "--name", circuit)
        return Credentials(ka, created["kc"], created["secret"])

    return create


@pytest.fixture
def creds(issue: Any) -> Credentials:
    return issue()  # type: ignore[no-any-return]

"""One moto per test process, built from template.yaml; empty tables and buckets per test.

Under `pytest -n N` (pytest-xdist, as `make test` runs it) every worker is a process of its own with its
own moto, environment and port, so nothing below is shared between workers."""

from __future__ import annotations

import base64
import os
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from local.app import LocalApp, boot, secret_names
from local.server import GatewayServer, listen
from local.stack import reset
from local.template import load

# Quiet, deterministic settings for every test; the developer's shell must not leak in.
TEST_SHELL = {"POWERTOOLS_LOG_LEVEL": "WARNING"}

# One marker per tier, from the folder a test lives in: `pytest -m unit`, `pytest -m "not http"`.
TESTS = Path(__file__).parent
TIERS = ("unit", "integration", "http", "infrastructure", "fuzz")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        tier = item.path.relative_to(TESTS).parts[0]
        if tier not in TIERS:
            raise pytest.UsageError(f"{item.nodeid}: a test lives in one of tests/{{{','.join(TIERS)}}}/")
        item.add_marker(tier)


@pytest.fixture(scope="session")
def port_reservation() -> Iterator[socket.socket]:
    """The in-process gateway's listening socket, made first and held, so that no other worker or server of
    this machine is given its port between choosing it (moto's environment follows it) and serving on it."""
    with listen(0) as held:
        yield held


@pytest.fixture(scope="session")
def local_port(port_reservation: socket.socket) -> int:
    """The port the in-process gateway will serve on; settings derived from the address follow it."""
    return int(port_reservation.getsockname()[1])


@pytest.fixture(scope="session")
def local_app(local_port: int) -> Iterator[LocalApp]:
    template = load()
    keys = {name: base64.b64encode(secrets.token_bytes(64)).decode() for name in secret_names(template)}
    saved = dict(os.environ)
    os.environ["MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR"] = "false"  # each test starts with empty queues
    app = boot(template, keys, local_port, environ=TEST_SHELL)
    yield app
    app.mock.stop()
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def aws(local_app: LocalApp) -> LocalApp:
    """The session's stack with empty tables and buckets."""
    reset(local_app.stack)
    return local_app


@pytest.fixture
def redeploy(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Deploy again with some variables changed: every function starts cold and reads them; the test's end
    deploys the original settings again."""

    def apply(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        aws.runtime.cold_start()

    yield apply
    monkeypatch.undo()
    aws.runtime.cold_start()


@pytest.fixture
def invoke(aws: LocalApp) -> Any:
    """Call a function by logical id with an event, as Lambda would."""

    def call(function: str, event: dict[str, Any]) -> Any:
        return aws.runtime.invoke(function, event)

    return call


@pytest.fixture(scope="session")
def gateway_url(local_app: LocalApp, port_reservation: socket.socket) -> Iterator[str]:
    """The local gateway over real HTTP, in this process so it shares the session's moto."""
    server = GatewayServer(port_reservation, local_app.gateway, local_app.runtime)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()

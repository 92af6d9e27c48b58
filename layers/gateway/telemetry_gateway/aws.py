"""boto3 clients, created lazily and once per container.

Lazy creation keeps cold starts short for routes that never touch a service, and it means a client
is only ever built after a test or the local runtime has started its emulator.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_lock = threading.Lock()

# Standard retry mode retries throttling and 5xx with jittered exponential backoff; the request
# deadline bounds the rest.
_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=2,
    read_timeout=5,
    tcp_keepalive=True,
)


CallObserver = Callable[[str, str], None]  # (service, operation)
_observers: list[CallObserver] = []


def observe_calls(observer: CallObserver) -> Callable[[], None]:
    """Tell `observer` about every AWS API call our clients make (tests and `make bench` count them).
    Returns the function that stops observing."""
    _observers.append(observer)
    return lambda: _observers.remove(observer)


def _notify(model: Any, **_: Any) -> None:
    for observer in list(_observers):
        observer(model.service_model.service_name, model.name)


@cache
def session() -> boto3.session.Session:
    return boto3.session.Session()


@cache
def client(service: str) -> Any:
    with _lock:  # session.client() is not thread-safe
        created = session().client(service, config=_CONFIG)
    created.meta.events.register("before-call", _notify)
    return created

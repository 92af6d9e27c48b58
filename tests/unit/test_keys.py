"""Server keys are read from Secrets Manager once per five minutes per container, and a broken secret is a
broken deployment."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from support.clock import ManualClock
from telemetry_gateway import aws, clock, keys
from telemetry_gateway.config import ConfigError
from telemetry_gateway.keys import ServerKey

KEY = bytes(range(64))


class FakeSecrets:
    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.reads: list[str] = []

    def get_secret_value(self, SecretId: str) -> dict[str, Any]:
        self.reads.append(SecretId)
        return self.answer


@pytest.fixture
def manual_clock() -> Iterator[ManualClock]:
    manual = ManualClock()
    previous = clock.install(manual)
    keys._cache.clear()
    yield manual
    keys._cache.clear()
    clock.install(previous)


def secrets(monkeypatch: pytest.MonkeyPatch, answer: dict[str, Any]) -> FakeSecrets:
    fake = FakeSecrets(answer)
    monkeypatch.setattr(aws, "secretsmanager", lambda: fake)
    return fake


def test_a_key_is_read_once_within_five_minutes_then_again(
    monkeypatch: pytest.MonkeyPatch, manual_clock: ManualClock
) -> None:
    fake = secrets(monkeypatch, {"SecretString": base64.b64encode(KEY).decode()})
    key = ServerKey("JwtSigningKey")

    assert [key.value(), key.value()] == [KEY, KEY]
    manual_clock.sleep(keys.KEY_MAX_AGE_SECONDS - 1)
    key.value()
    assert fake.reads == ["JwtSigningKey"]

    manual_clock.sleep(1)
    key.value()
    assert fake.reads == ["JwtSigningKey", "JwtSigningKey"]


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ({"SecretBinary": KEY}, "does not hold a string"),
        ({"SecretString": "not base64!"}, "is not base64"),
        ({"SecretString": base64.b64encode(KEY[:32]).decode()}, "holds 32 bytes"),
    ],
)
def test_a_secret_that_is_not_a_long_base64_key_stops_the_function(
    monkeypatch: pytest.MonkeyPatch, manual_clock: ManualClock, answer: dict[str, Any], problem: str
) -> None:
    secrets(monkeypatch, answer)

    with pytest.raises(ConfigError, match=problem):
        ServerKey("Broken").value()

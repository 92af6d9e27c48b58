"""Namespace and client id path parameters (sections 3 and 4)."""

from __future__ import annotations

import pytest

from telemetry_gateway.sensors import addressing
from telemetry_gateway.sensors.errors import SensorError


@pytest.mark.parametrize("name", ["test", "csn", "a", "a" * 40, "ci-2024"])
def test_well_formed_namespaces(name: str) -> None:
    assert addressing.namespace(name, ()) == name


@pytest.mark.parametrize("name", [None, "", "a" * 41, "CSN", "c_s_n", "cs n", "csn/"])
def test_malformed_namespaces_are_unknown(name: str | None) -> None:
    with pytest.raises(SensorError) as refused:
        addressing.namespace(name, ())

    assert (refused.value.http_status, refused.value.message) == (404, "unknown namespace")


def test_the_allow_list_restricts_names() -> None:
    assert addressing.namespace("csn", ("csn",)) == "csn"
    with pytest.raises(SensorError):
        addressing.namespace("test", ("csn",))


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("18446744073709551615", 2**64 - 1), ("007", 7)])
def test_client_ids(text: str, value: int) -> None:
    assert addressing.client_id(text) == value


@pytest.mark.parametrize("text", [None, "", "0", "18446744073709551616", "-1", "1.0", "1e3", " 1", "abc"])
def test_anything_else_is_an_unknown_client(text: str | None) -> None:
    with pytest.raises(SensorError) as refused:
        addressing.client_id(text)

    assert (refused.value.http_status, refused.value.message) == (400, "unknown client")

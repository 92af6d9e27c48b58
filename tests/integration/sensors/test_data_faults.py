"""Storage throttled past the request's retries in any store call of the data path ends as the route's own
DATASTORE_ERROR 503 (retries run on the manual clock, so no test waits)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from support.clock import ManualClock
from support.sensor_client import SensorClient
from telemetry_gateway import aws as aws_calls
from telemetry_gateway.sensors.pb.common_pb2 import DATASTORE_ERROR
from telemetry_gateway.sensors.pb.heartbeat_pb2 import SensorReadingDescription
from telemetry_gateway.sensors.pb.query_messages_pb2 import RecentEventQuery

THROTTLED = {"dynamodb": "ProvisionedThroughputExceededException", "s3": "SlowDown"}
Offer = SensorReadingDescription


@pytest.fixture
def throttle(manual_clock: ManualClock) -> Iterator[Callable[[str, str], None]]:
    """`throttle(operation, fragment)`: every call of that operation whose parameters mention `fragment`
    is refused as throttled, from now until the test ends."""
    stops: list[Callable[[], None]] = []

    def start(operation: str, fragment: str) -> None:
        def refuse(service: str, called: str, params: Any) -> str | None:
            return THROTTLED[service] if called == operation and fragment in str(params) else None

        stops.append(aws_calls.observe_calls(refuse))

    yield start
    for stop in stops:
        stop()


def unavailable(answer: Any) -> tuple[int, str]:
    return answer.status.type, answer.status.message


@pytest.fixture
def upload_url(client: SensorClient, tgw: Callable[..., dict[str, Any]]) -> str:
    tgw("request-data", "test", "--all", "--current")
    offer = Offer(
        sensor_id=client.sensor_ids[0],
        current_data=True,
        start_date="2025-07-30T12:00:00",
        end_date="2025-07-30T12:01:00",
        data_format=Offer.CSNV2,
    )
    [url] = client.offer(offer)
    return url


def test_heartbeat_reading_requests(client: SensorClient, tgw: Callable[..., Any], throttle: Any) -> None:
    tgw("request-data", "test", "--all", "--current")
    throttle("Query", "#requests")

    status, answer = client.signed("heartbeat")

    assert (status, unavailable(answer)) == (503, (DATASTORE_ERROR, "datastore unavailable"))


def test_offer_reading_a_request(client: SensorClient, throttle: Any) -> None:
    throttle("GetItem", "#requests")

    offer = Offer(
        sensor_id=client.sensor_ids[0],
        request_id=1,
        start_date="2025-07-30T12:00:00",
        end_date="2025-07-30T12:01:00",
        data_format=Offer.CSNV2,
    )
    status, answer = client.signed("data/offer", sensor_readings=[offer])

    assert (status, unavailable(answer)) == (503, (DATASTORE_ERROR, "datastore unavailable"))


def test_recent_events(client: SensorClient, throttle: Any) -> None:
    throttle("Query", "#events")

    status, answer = client.post("events/recent", RecentEventQuery())

    assert (status, unavailable(answer)) == (503, (DATASTORE_ERROR, "datastore unavailable"))


@pytest.mark.parametrize(
    ("operation", "fragment"),
    [("PutObject", "sensors/test/"), ("GetItem", "#uploaded#"), ("TransactWriteItems", "#readings")],
    ids=["s3-put", "marker-read", "reading-write"],
)
def test_upload(client: SensorClient, upload_url: str, throttle: Any, operation: str, fragment: str) -> None:
    throttle(operation, fragment)

    status, answer = client.upload(upload_url, b"payload")

    assert (status, unavailable(answer)) == (503, (DATASTORE_ERROR, "datastore unavailable"))

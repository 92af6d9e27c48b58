"""`tgw telemetry list` and `registrations`: --limit and --all on every selector, a list never cut
silently, and --since/--until as ISO dates (UTC unless an offset is given; a date alone as a whole day)."""

from __future__ import annotations

import json
import uuid
from functools import partial
from typing import Any

import pytest

from local.app import LocalApp
from support.reports import BUNDLE_CLIENT_ID, bundle, item, report
from support.telemetry_client import ReferenceClient
from support.tgw import run_tgw
from tests.integration.tgw_lists import check_limits, listed

TIMES = ["2025-07-29T23:30:00Z", "2025-07-30T10:00:00Z", "2025-07-30T23:59:59.5Z"]
TYPE = "SLE-SERVER-SCCHwInfo"


@pytest.fixture
def stored(client: ReferenceClient) -> int:
    """Three items of one type, sender and registration, one per time of TIMES; the registration id."""
    client.register()
    items = [item(telemetryId=str(uuid.uuid4()), telemetryTimeStamp=moment) for moment in TIMES]
    client.report(report(bundle(*items)))
    assert client.registration_id is not None
    return client.registration_id


@pytest.mark.parametrize("selector", ["--type", "--registration", "--client"])
def test_items_take_limit_and_all_with_every_selector(
    aws: LocalApp, monkeypatch: pytest.MonkeyPatch, stored: int, selector: str
) -> None:
    value = {"--type": TYPE, "--registration": str(stored), "--client": BUNDLE_CLIENT_ID}[selector]

    entries = check_limits(partial(run_tgw, aws, monkeypatch), ("telemetry", "list", selector, value), "items", 3)

    assert [entry["eventTime"][:19] for entry in entries] == [moment[:19] for moment in TIMES]  # oldest first


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2025-07-30", "2025-07-30", [1, 2]),  # a date alone: the whole day, both ends
        ("2025-07-30T10:00:00Z", None, [1, 2]),
        (None, "2025-07-30T09:59:59", [0]),  # no offset: UTC
        ("2025-07-30T12:00:00+02:00", "2025-07-30T12:00:00+02:00", [1]),  # 10:00 UTC exactly
        ("2025-07-30T00:00:00.000000001Z", "2025-07-31", [1, 2]),  # nanoseconds are cut, not refused
    ],
)
def test_items_between_iso_dates(
    aws: LocalApp,
    monkeypatch: pytest.MonkeyPatch,
    stored: int,
    since: str | None,
    until: str | None,
    expected: list[int],
) -> None:
    window = [*(["--since", since] if since else []), *(["--until", until] if until else [])]

    found = listed(partial(run_tgw, aws, monkeypatch), "telemetry", "list", "--client", BUNDLE_CLIENT_ID, *window)

    assert [entry["eventTime"][:19] for entry in found["items"]] == [TIMES[n][:19] for n in expected]


def test_registrations_take_limit_and_all(post: Any, aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    client_id = str(uuid.uuid4())
    for timestamp in ("t1", "t2", "t3"):
        registration = {"clientId": client_id, "systemUUID": "", "timestamp": timestamp}
        assert post("/telemetry/register", json.dumps({"clientRegistration": registration}))["statusCode"] == 200

    entries = check_limits(
        partial(run_tgw, aws, monkeypatch), ("telemetry", "registrations", "--client", client_id), "registrations", 3
    )

    assert len({entry["registrationId"] for entry in entries}) == 3

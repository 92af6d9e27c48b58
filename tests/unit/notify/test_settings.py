"""Notify settings: the spec's defaults, and a bad deployment stops at start-up."""

from __future__ import annotations

import pytest

from telemetry_gateway.config import ConfigError
from telemetry_gateway.notify.settings import NotifySettings


def test_defaults_follow_the_spec() -> None:
    settings = NotifySettings.from_env({"AWS_REGION": "eu-west-1"})

    assert settings == NotifySettings(
        dispatch_wait_seconds=25,
        listen_window_seconds=25,
        message_ttl_seconds=3600,
        message_limit_bytes=262144,
        reply_limit_bytes=262144,
        server_name="notify-eu-west-1",
        endpoint_urls=(),
    )


def test_configured_values_win() -> None:
    settings = NotifySettings.from_env(
        {
            "NOTIFY_DISPATCH_WAIT_SECONDS": "600",
            "NOTIFY_LISTEN_WINDOW_SECONDS": "3",
            "NOTIFY_SERVER_NAME": "local",
            "NOTIFY_ENDPOINT_URLS": "http://127.0.0.1:3000, http://localhost:3000",
        }
    )

    assert (settings.dispatch_wait_seconds, settings.listen_window_seconds) == (600, 3)
    assert settings.server_name == "local"
    assert settings.endpoint_urls == ("http://127.0.0.1:3000", "http://localhost:3000")


@pytest.mark.parametrize(
    "environ",
    [
        {"NOTIFY_LISTEN_WINDOW_SECONDS": "0"},
        {"NOTIFY_DISPATCH_WAIT_SECONDS": "601"},
        {"NOTIFY_SERVER_NAME": "notify.eu"},
        {"NOTIFY_SERVER_NAME": "x" * 64},
        {"NOTIFY_MESSAGE_TTL_SECONDS": "600", "NOTIFY_DISPATCH_WAIT_SECONDS": "600"},
        {"NOTIFY_MESSAGE_LIMIT_BYTES": "262145"},
    ],
)
def test_invalid_settings_fail_loudly(environ: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        NotifySettings.from_env(environ)

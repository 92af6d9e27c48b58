"""Notify settings: the template's defaults are the spec's, and a bad deployment stops at start-up."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from support.template_env import declared_environment
from telemetry_gateway.config import ConfigError, Env
from telemetry_gateway.notify.config import DispatchConfig, ListenConfig, PostConfig


def test_template_defaults_follow_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    dispatch = DispatchConfig.from_env(Env(declared_environment("NotifyDispatch")))
    listen = ListenConfig.from_env(Env(declared_environment("NotifyMailboxListen")))
    post = PostConfig.from_env(Env(declared_environment("NotifyMailboxPost")))

    assert (dispatch.wait_seconds, dispatch.message_ttl_seconds, dispatch.message_limit_bytes) == (25, 3600, 262144)
    assert dispatch.ids.server == "notify-eu-west-1"
    assert (listen.window_seconds, listen.endpoint_urls) == (25, ())
    assert (post.reply_limit_bytes, post.endpoint_urls) == (262144, ())


def test_configured_values_win() -> None:
    dispatch = DispatchConfig.from_env(
        Env(declared_environment("NotifyDispatch", NOTIFY_DISPATCH_WAIT_SECONDS="600", NOTIFY_SERVER_NAME="local"))
    )
    listen = ListenConfig.from_env(
        Env(
            declared_environment(
                "NotifyMailboxListen",
                NOTIFY_LISTEN_WINDOW_SECONDS="3",
                NOTIFY_ENDPOINT_URLS="http://127.0.0.1:3000, http://localhost:3000",
            )
        )
    )

    assert (dispatch.wait_seconds, dispatch.ids.server, listen.window_seconds) == (600, "local", 3)
    assert listen.endpoint_urls == ("http://127.0.0.1:3000", "http://localhost:3000")


@pytest.mark.parametrize(
    ("function", "overrides", "named"),
    [
        ("NotifyMailboxListen", {"NOTIFY_LISTEN_WINDOW_SECONDS": "0"}, "NOTIFY_LISTEN_WINDOW_SECONDS"),
        ("NotifyDispatch", {"NOTIFY_DISPATCH_WAIT_SECONDS": "601"}, "NOTIFY_DISPATCH_WAIT_SECONDS"),
        ("NotifyDispatch", {"NOTIFY_SERVER_NAME": "notify.eu"}, "NOTIFY_SERVER_NAME"),
        ("NotifyDispatch", {"NOTIFY_SERVER_NAME": "x" * 64}, "NOTIFY_SERVER_NAME"),
        (
            "NotifyDispatch",
            {"NOTIFY_MESSAGE_TTL_SECONDS": "600", "NOTIFY_DISPATCH_WAIT_SECONDS": "600"},
            "NOTIFY_MESSAGE_TTL_SECONDS",
        ),
        ("NotifyDispatch", {"NOTIFY_MESSAGE_LIMIT_BYTES": "262145"}, "NOTIFY_MESSAGE_LIMIT_BYTES"),
        ("NotifyMailboxPost", {"NOTIFY_REPLY_LIMIT_BYTES": "abc"}, "NOTIFY_REPLY_LIMIT_BYTES"),
    ],
)
def test_invalid_settings_fail_loudly_naming_the_variable(function: str, overrides: dict[str, str], named: str) -> None:
    configs: dict[str, Callable[[Env], object]] = {
        "NotifyDispatch": DispatchConfig.from_env,
        "NotifyMailboxListen": ListenConfig.from_env,
        "NotifyMailboxPost": PostConfig.from_env,
    }
    with pytest.raises(ConfigError, match=named):
        configs[function](Env(declared_environment(function, **overrides)))

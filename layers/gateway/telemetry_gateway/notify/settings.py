"""Notify settings from the environment, parsed once per cold start."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from telemetry_gateway.config import ConfigError, env_int, env_list

MAX_WINDOW_SECONDS = 600
_SERVER_NAME = re.compile(r"[A-Za-z0-9-]{1,63}")


@dataclass(frozen=True)
class NotifySettings:
    dispatch_wait_seconds: int
    listen_window_seconds: int
    message_ttl_seconds: int
    message_limit_bytes: int
    reply_limit_bytes: int
    server_name: str  # the <server> part of message ids
    endpoint_urls: tuple[str, ...]  # accepted as Referer, besides the URL a request reached

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> NotifySettings:
        env = os.environ if environ is None else environ
        server = env.get("NOTIFY_SERVER_NAME") or f"notify-{env.get('AWS_REGION', 'local')}"
        if not _SERVER_NAME.fullmatch(server):
            raise ConfigError(f"NOTIFY_SERVER_NAME={server!r} must be 1-63 characters from [A-Za-z0-9-]")
        settings = cls(
            dispatch_wait_seconds=env_int("NOTIFY_DISPATCH_WAIT_SECONDS", 25, 1, MAX_WINDOW_SECONDS, env),
            listen_window_seconds=env_int("NOTIFY_LISTEN_WINDOW_SECONDS", 25, 1, MAX_WINDOW_SECONDS, env),
            message_ttl_seconds=env_int("NOTIFY_MESSAGE_TTL_SECONDS", 3600, 60, 30 * 86400, env),
            message_limit_bytes=env_int("NOTIFY_MESSAGE_LIMIT_BYTES", 262144, 1, 262144, env),
            reply_limit_bytes=env_int("NOTIFY_REPLY_LIMIT_BYTES", 262144, 1, 262144, env),
            server_name=server,
            endpoint_urls=env_list("NOTIFY_ENDPOINT_URLS", "", env),
        )
        if settings.message_ttl_seconds <= settings.dispatch_wait_seconds:
            raise ConfigError("NOTIFY_MESSAGE_TTL_SECONDS must exceed NOTIFY_DISPATCH_WAIT_SECONDS")
        return settings


@cache
def settings() -> NotifySettings:
    return NotifySettings.from_env()

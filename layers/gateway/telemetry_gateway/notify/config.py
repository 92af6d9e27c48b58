"""What each notify function is configured with, read from its environment when it is imported."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import partial

from telemetry_gateway.config import ConfigError, Env
from telemetry_gateway.notify.directory_store import DirectoryStore
from telemetry_gateway.notify.mailbox_store import MailboxStore
from telemetry_gateway.notify.message_ids import MessageIds
from telemetry_gateway.storage.table import Table

MAX_WINDOW_SECONDS = 600
MAX_BODY_BYTES = 262144  # with the Client's headers a message must fit one 400 KB item
_SERVER_NAME = re.compile(r"[A-Za-z0-9-]{1,63}")


@dataclass(frozen=True)
class Stores:
    """The relay's two tables: what operators change, and the traffic."""

    directory: DirectoryStore
    mailbox: MailboxStore

    @classmethod
    def from_env(cls, env: Env) -> Stores:
        return cls(
            DirectoryStore(Table(env.text("NOTIFY_DIRECTORY_TABLE"))),
            MailboxStore(Table(env.text("NOTIFY_MAILBOX_TABLE"))),
        )


@dataclass(frozen=True)
class DispatchConfig:
    """POST /Dispatch: the tables, how long a Client waits, and the size and lifetime of its message."""

    stores: Stores
    wait_seconds: int
    message_ttl_seconds: int
    message_limit_bytes: int
    ids: MessageIds  # one per execution environment: that is what makes its process number unique

    @classmethod
    def from_env(cls, env: Env | None = None) -> DispatchConfig:
        env = env or Env()
        server = env.raw("NOTIFY_SERVER_NAME").strip() or f"notify-{os.environ.get('AWS_REGION', 'local')}"
        if not _SERVER_NAME.fullmatch(server):
            raise ConfigError(f"NOTIFY_SERVER_NAME={server!r} must be 1-63 characters from [A-Za-z0-9-]")
        stores = Stores.from_env(env)
        config = cls(
            stores=stores,
            wait_seconds=env.integer("NOTIFY_DISPATCH_WAIT_SECONDS", 1, MAX_WINDOW_SECONDS),
            message_ttl_seconds=env.integer("NOTIFY_MESSAGE_TTL_SECONDS", 60, 30 * 86400),
            message_limit_bytes=env.integer("NOTIFY_MESSAGE_LIMIT_BYTES", 1, MAX_BODY_BYTES),
            ids=MessageIds(server, partial(stores.mailbox.take_process_number, server)),
        )
        if config.message_ttl_seconds <= config.wait_seconds:
            raise ConfigError("NOTIFY_MESSAGE_TTL_SECONDS must exceed NOTIFY_DISPATCH_WAIT_SECONDS")
        return config


@dataclass(frozen=True)
class ListenConfig:
    """POST /MailboxListen: the tables, the Referers accepted and how long a Master waits."""

    stores: Stores
    endpoint_urls: tuple[str, ...]  # accepted as Referer, besides the URL a request reached
    window_seconds: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> ListenConfig:
        env = env or Env()
        return cls(
            stores=Stores.from_env(env),
            endpoint_urls=env.listed("NOTIFY_ENDPOINT_URLS"),
            window_seconds=env.integer("NOTIFY_LISTEN_WINDOW_SECONDS", 1, MAX_WINDOW_SECONDS),
        )


@dataclass(frozen=True)
class PostConfig:
    """POST /MailboxPost: the tables, the Referers accepted and the size of a reply."""

    stores: Stores
    endpoint_urls: tuple[str, ...]
    reply_limit_bytes: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> PostConfig:
        env = env or Env()
        return cls(
            stores=Stores.from_env(env),
            endpoint_urls=env.listed("NOTIFY_ENDPOINT_URLS"),
            reply_limit_bytes=env.integer("NOTIFY_REPLY_LIMIT_BYTES", 1, MAX_BODY_BYTES),
        )

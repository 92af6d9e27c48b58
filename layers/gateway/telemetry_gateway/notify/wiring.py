"""The notify functions' storage and id generator, built lazily once per container from the environment."""

from __future__ import annotations

from functools import cache, partial

from telemetry_gateway import aws
from telemetry_gateway.config import env_str
from telemetry_gateway.notify.message_ids import MessageIds
from telemetry_gateway.notify.settings import settings
from telemetry_gateway.storage.mailbox import MailboxStore
from telemetry_gateway.storage.notify_directory import DirectoryStore


@cache
def directory() -> DirectoryStore:
    return DirectoryStore(env_str("NOTIFY_DIRECTORY_TABLE"), aws.client("dynamodb"))


@cache
def mailbox() -> MailboxStore:
    return MailboxStore(env_str("NOTIFY_MAILBOX_TABLE"), aws.client("dynamodb"))


@cache
def message_ids() -> MessageIds:
    """One per execution environment: that is what makes its process number unique."""
    server = settings().server_name
    return MessageIds(server, partial(mailbox().take_process_number, server))

"""What each telemetry function is configured with, read from its environment when it is imported."""

from __future__ import annotations

from dataclasses import dataclass

from telemetry_gateway.config import ConfigError, Env
from telemetry_gateway.keys import ServerKey
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.queue import Queue
from telemetry_gateway.storage.table import Table
from telemetry_gateway.telemetry.item_store import ItemStore
from telemetry_gateway.telemetry.registration_store import RegistrationStore
from telemetry_gateway.telemetry.report_queue import ReportQueue
from telemetry_gateway.telemetry.tokens import ALGORITHMS, TokenPolicy, parse_lifetime


def _token_policy(env: Env, *, issuing: bool) -> TokenPolicy:
    algorithm = env.text("TELEMETRY_TOKEN_ALGORITHM")
    if algorithm not in ALGORITHMS:
        raise ConfigError(f"TELEMETRY_TOKEN_ALGORITHM={algorithm!r} is not one of {sorted(ALGORITHMS)}")
    issuer = env.text("TELEMETRY_TOKEN_ISSUER")
    if not issuing:
        return TokenPolicy(algorithm=algorithm, issuer=issuer)
    try:
        lifetime = parse_lifetime(env.text("TELEMETRY_TOKEN_LIFETIME"))
    except ValueError as exc:
        raise ConfigError(f"TELEMETRY_TOKEN_LIFETIME: {exc}") from None
    return TokenPolicy(algorithm=algorithm, issuer=issuer, lifetime_seconds=lifetime)


@dataclass(frozen=True)
class CredentialsConfig:
    """/register and /authenticate: the registrations, the signing key and how tokens are issued."""

    registrations: RegistrationStore
    signing_key: ServerKey
    tokens: TokenPolicy

    @classmethod
    def from_env(cls, env: Env | None = None) -> CredentialsConfig:
        env = env or Env()
        return cls(
            registrations=RegistrationStore(Table(env.text("TELEMETRY_REGISTRATIONS_TABLE"))),
            signing_key=ServerKey.from_env(env, "TELEMETRY_JWT_SECRET"),
            tokens=_token_policy(env, issuing=True),
        )


@dataclass(frozen=True)
class StoringConfig:
    """Where a report's items go, for /report and for the drain of its queue."""

    registrations: RegistrationStore
    items: ItemStore
    payloads: Bucket
    inline_threshold_bytes: int
    type_shards: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> StoringConfig:
        env = env or Env()
        payloads = Bucket(env.text("PAYLOAD_BUCKET"))
        return cls(
            registrations=RegistrationStore(Table(env.text("TELEMETRY_REGISTRATIONS_TABLE"))),
            items=ItemStore(Table(env.text("TELEMETRY_DATA_TABLE")), payloads),
            payloads=payloads,
            inline_threshold_bytes=env.integer("TELEMETRY_INLINE_THRESHOLD_BYTES", 1024, 350_000),
            type_shards=env.integer("TELEMETRY_TYPE_SHARDS", 1, 64),
        )


@dataclass(frozen=True)
class ReportConfig:
    """/report: who may report, where items go, the limits of a body, and the queue for when storage fails."""

    storing: StoringConfig
    queue: ReportQueue
    signing_key: ServerKey
    tokens: TokenPolicy  # verification only: algorithm and issuer
    max_decoded_bytes: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> ReportConfig:
        env = env or Env()
        storing = StoringConfig.from_env(env)
        return cls(
            storing=storing,
            queue=ReportQueue(Queue(env.text("TELEMETRY_REPORT_QUEUE")), storing.payloads),
            signing_key=ServerKey.from_env(env, "TELEMETRY_JWT_SECRET"),
            tokens=_token_policy(env, issuing=False),
            max_decoded_bytes=env.integer("TELEMETRY_MAX_DECODED_BYTES", 1, 2**40),
        )

"""Telemetry API settings from the environment, parsed once per cold start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from telemetry_gateway.config import ConfigError, env_int, env_str
from telemetry_gateway.telemetry.tokens import TokenPolicy, parse_lifetime


@dataclass(frozen=True)
class TelemetrySettings:
    tokens: TokenPolicy
    inline_threshold_bytes: int
    max_decoded_bytes: int
    type_shards: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TelemetrySettings:
        try:
            tokens = TokenPolicy(
                algorithm=env_str("TELEMETRY_TOKEN_ALGORITHM", "HS512", environ),
                issuer=env_str("TELEMETRY_TOKEN_ISSUER", "telemetry-service-gateway", environ),
                lifetime_seconds=parse_lifetime(env_str("TELEMETRY_TOKEN_LIFETIME", "1w", environ)),
            )
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
        return cls(
            tokens=tokens,
            inline_threshold_bytes=env_int("TELEMETRY_INLINE_THRESHOLD_BYTES", 262144, 1024, 350_000, environ),
            max_decoded_bytes=env_int("TELEMETRY_MAX_DECODED_BYTES", 64 * 1024 * 1024, 1, 2**40, environ),
            type_shards=env_int("TELEMETRY_TYPE_SHARDS", 4, 1, 64, environ),
        )


@cache
def settings() -> TelemetrySettings:
    return TelemetrySettings.from_env()

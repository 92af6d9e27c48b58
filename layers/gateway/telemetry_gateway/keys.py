"""Server keys (JWT signing, sensor secrets, upload tokens) from Secrets Manager, cached briefly.

A GetSecretValue on our own client and a five-minute cache: what Powertools Parameters did for us, without
importing its providers for AppConfig, SSM and DynamoDB (about 12 ms of CPU in every cold start of a function
that holds a key).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from telemetry_gateway import aws, clock
from telemetry_gateway.config import ConfigError, Env

# Rotation reaches every container within this many seconds.
KEY_MAX_AGE_SECONDS = 300
MIN_KEY_BYTES = 64


# secret id -> (read at, on the process clock's monotonic seconds; the secret's text)
_cache: dict[str, tuple[float, str]] = {}


def secret_text(secret_id: str, max_age_seconds: float = KEY_MAX_AGE_SECONDS) -> str:
    """The secret's string, read again once the cached copy is older than `max_age_seconds`. Threads of one
    container may both read it when it expires; the last read wins, as with Powertools' cache."""
    now = clock.current().monotonic()
    cached = _cache.get(secret_id)
    if cached is not None and now - cached[0] < max_age_seconds:
        return cached[1]
    answer = aws.secretsmanager().get_secret_value(SecretId=secret_id)
    if "SecretString" not in answer:
        raise ConfigError(f"secret {secret_id} does not hold a string")
    _cache[secret_id] = (now, answer["SecretString"])
    return answer["SecretString"]


@dataclass(frozen=True)
class ServerKey:
    """A key held (base64) in a Secrets Manager secret. Read on use, not at import, and cached for at most
    KEY_MAX_AGE_SECONDS, so a rotation lands without a redeploy."""

    secret_id: str

    @classmethod
    def from_env(cls, env: Env, name: str) -> ServerKey:
        return cls(env.text(name))

    def value(self) -> bytes:
        """The decoded key; a short or malformed key is a broken deployment."""
        text = secret_text(self.secret_id)
        try:
            key = base64.b64decode(text.strip(), validate=True)
        except binascii.Error as exc:
            raise ConfigError(f"secret {self.secret_id} is not base64") from exc
        if len(key) < MIN_KEY_BYTES:
            raise ConfigError(f"secret {self.secret_id} holds {len(key)} bytes; at least {MIN_KEY_BYTES} are needed")
        return key

"""Server keys (JWT signing, sensor secrets, upload tokens) from Secrets Manager, cached briefly."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from functools import cache

from aws_lambda_powertools.utilities.parameters import SecretsProvider

from telemetry_gateway import aws
from telemetry_gateway.config import ConfigError, Env

# Rotation reaches every container within this many seconds.
KEY_MAX_AGE_SECONDS = 300
MIN_KEY_BYTES = 64


@cache
def _provider() -> SecretsProvider:
    return SecretsProvider(boto3_client=aws.secretsmanager())


@dataclass(frozen=True)
class ServerKey:
    """A key held (base64) in a Secrets Manager secret. Read on use, not at import: the provider caches
    it for at most KEY_MAX_AGE_SECONDS, so a rotation lands without a redeploy."""

    secret_id: str

    @classmethod
    def from_env(cls, env: Env, name: str) -> ServerKey:
        return cls(env.text(name))

    def value(self) -> bytes:
        """The decoded key; a short or malformed key is a broken deployment."""
        text = _provider().get(self.secret_id, max_age=KEY_MAX_AGE_SECONDS)
        if not isinstance(text, str):
            raise ConfigError(f"secret {self.secret_id} does not hold a string")
        try:
            key = base64.b64decode(text.strip(), validate=True)
        except binascii.Error as exc:
            raise ConfigError(f"secret {self.secret_id} is not base64") from exc
        if len(key) < MIN_KEY_BYTES:
            raise ConfigError(f"secret {self.secret_id} holds {len(key)} bytes; at least {MIN_KEY_BYTES} are needed")
        return key

"""Server keys (JWT signing, sensor secrets, upload tokens) from Secrets Manager, cached briefly."""

from __future__ import annotations

import base64
import binascii
from functools import cache

from aws_lambda_powertools.utilities.parameters import SecretsProvider

from telemetry_gateway import aws
from telemetry_gateway.config import ConfigError

# Rotation reaches every container within this many seconds.
KEY_MAX_AGE_SECONDS = 300
MIN_KEY_BYTES = 64


@cache
def _provider() -> SecretsProvider:
    return SecretsProvider(boto3_client=aws.client("secretsmanager"))


def server_key(secret_id: str) -> bytes:
    """The decoded key held (base64) in a secret; a short or malformed key stops the function."""
    text = _provider().get(secret_id, max_age=KEY_MAX_AGE_SECONDS)
    if not isinstance(text, str):
        raise ConfigError(f"secret {secret_id} does not hold a string")
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except binascii.Error as exc:
        raise ConfigError(f"secret {secret_id} is not base64") from exc
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(f"secret {secret_id} holds {len(key)} bytes; at least {MIN_KEY_BYTES} are needed")
    return key

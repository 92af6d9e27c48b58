"""Client secrets and message signatures (sensor-api.md section 6).

A client secret is never stored: it is recomputed from a server key, so a leaked table reveals no
secret, and bumping a client's `generation` re-keys it.
"""

from __future__ import annotations

import hashlib
import hmac


def client_secret(key: bytes, namespace: str, client_id: int, generation: int) -> str:
    """hex(HMAC-SHA256(K, "{namespace}/{client_id}/{generation}")): 64 lowercase hex characters."""
    return hmac.new(key, f"{namespace}/{client_id}/{generation}".encode(), hashlib.sha256).hexdigest()


def expected_signature(date: str, message_id: int, secret: str) -> str:
    """Lowercase hex SHA-256 of "{date}/{message_id}/{secret}", the date verbatim as the client sent it."""
    return hashlib.sha256(f"{date}/{message_id}/{secret}".encode()).hexdigest()


def signature_matches(date: str, message_id: int, signature: str, secret: str) -> bool:
    """Constant-time comparison, ignoring the case of the client's hex digits."""
    expected = expected_signature(date, message_id, secret).encode("ascii")
    return hmac.compare_digest(expected, signature.lower().encode("utf-8", "surrogatepass"))

"""KA and KC cookies and Secret Tokens (spec section 2), as the relay checks them.

They are stored only as SHA-256 (the operator tool issues them); every check is a key lookup of the hash
in the directory, so no stored hash is ever compared in code.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.notify.directory_store import DirectoryStore

# Credential kinds; each is issued with its upper-case form as prefix (`KA…`, `KC…`, `KS…`).
KA = "ka"
KC = "kc"
KS = "ks"

MAX_SECRET_CHARS = 256
_COOKIE = re.compile(r"K[AC][A-Za-z0-9_-]{40,128}")


def digest(value: str) -> str:
    """Lowercase-hex SHA-256 of the full credential, prefix included: the only form ever stored."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def cookie_owner(directory: DirectoryStore, credential: str, segment: str, deadline: Deadline) -> str | None:
    """The user (KA) or circuit (KC) a Dispatch path segment names; None when malformed, unknown or revoked."""
    if not _COOKIE.fullmatch(segment):
        return None
    return directory.owner(credential, digest(segment), deadline)


def secret_owner(directory: DirectoryStore, secret: str | None, deadline: Deadline) -> str | None:
    """The circuit a Master's Secret Token opens; None when missing, too long, unknown or revoked."""
    if not secret or len(secret) > MAX_SECRET_CHARS:
        return None
    return directory.owner(KS, digest(secret), deadline)

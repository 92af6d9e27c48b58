"""KA and KC cookies and Secret Tokens (spec section 2): issued here, stored only as SHA-256.

Every check is a key lookup of the hash in the directory; no stored hash is ever compared in code.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.notify_directory import DirectoryStore

# Credential kinds; each is issued with its upper-case form as prefix (`KA…`, `KC…`, `KS…`).
KA = "ka"
KC = "kc"
KS = "ks"

RANDOM_BYTES = 32  # 43 base64url characters
MAX_SECRET_CHARS = 256
_COOKIE = re.compile(r"K[AC][A-Za-z0-9_-]{40,128}")
_NAME = re.compile(r"[A-Za-z0-9._@+-]{1,64}")


@dataclass(frozen=True)
class Holder:
    """Who holds credentials: a kind of directory record and the credentials it has."""

    kind: str
    credentials: tuple[str, ...]


USER = Holder("user", (KA,))
CIRCUIT = Holder("circuit", (KC, KS))


def issue(credential: str) -> str:
    return credential.upper() + secrets.token_urlsafe(RANDOM_BYTES)


def digest(value: str) -> str:
    """Lowercase-hex SHA-256 of the full credential, prefix included: the only form ever stored."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"invalid name {name!r}: 1-64 characters from [A-Za-z0-9._@+-]")
    return name


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


def create(directory: DirectoryStore, holder: Holder, name: str, now: datetime) -> dict[str, str]:
    """A new user or circuit; returns its credentials by kind, shown to the operator once."""
    issued = {credential: issue(credential) for credential in holder.credentials}
    hashes = {credential: digest(value) for credential, value in issued.items()}
    directory.create(holder.kind, check_name(name), hashes, now.isoformat(timespec="seconds"))
    return issued


def rotate(directory: DirectoryStore, holder: Holder, name: str, credential: str) -> str:
    """A new value for one credential; the old one stops working."""
    value = issue(credential)
    directory.replace(holder.kind, name, credential, digest(value))
    return value


def revoke(directory: DirectoryStore, holder: Holder, name: str) -> None:
    directory.revoke(holder.kind, name, holder.credentials)

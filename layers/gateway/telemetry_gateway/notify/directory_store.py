"""The notify directory table: user and circuit records, and one lookup item per credential hash.

A record (`user#<name>`, `circuit#<name>`) holds its state and the hashes of its current credentials; a
lookup item (`ka#<hash>`, `kc#<hash>`, `ks#<hash>`) names the record's owner and exists exactly while that
credential is valid. The operator tool changes both in one transaction, so a key lookup is the whole
credential check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.storage.table import Table

BY_KIND_INDEX = "ByKind"
ACTIVE = "active"
REVOKED = "revoked"


def record_key(kind: str, name: str) -> dict[str, str]:
    return {"pk": f"{kind}#{name}"}


def lookup_key(credential: str, digest: str) -> dict[str, str]:
    return {"pk": f"{credential}#{digest}"}


class DirectoryStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def owner(self, credential: str, digest: str, deadline: Deadline) -> str | None:
        """The name holding this credential hash while it is valid. Strongly consistent and uncached,
        so rotation and revocation take effect at once."""
        item = self.table.get(lookup_key(credential, digest), deadline)
        return str(item["owner"]) if item else None

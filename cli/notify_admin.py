"""What the operator does to the notify directory: issue, rotate and revoke credentials, list names.

A credential is valid exactly while its lookup item exists (see telemetry_gateway.notify.directory_store),
so every change writes the record and its lookup items in one conditional transaction.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify.credentials import KA, KC, KS, digest
from telemetry_gateway.notify.directory_store import ACTIVE, BY_KIND_INDEX, REVOKED, lookup_key, record_key
from telemetry_gateway.storage.errors import Conflict, NotFound, TransactionCancelled
from telemetry_gateway.storage.table import ABSENT, Table

RANDOM_BYTES = 32  # 43 base64url characters
_NAME = re.compile(r"[A-Za-z0-9._@+-]{1,64}")


@dataclass(frozen=True)
class Holder:
    """Who holds credentials: a kind of directory record and the credentials it has."""

    kind: str
    credentials: tuple[str, ...]


USER = Holder("user", (KA,))
CIRCUIT = Holder("circuit", (KC, KS))


class NameTaken(Conflict):
    pass


class Revoked(Conflict):
    pass


def issue(credential: str) -> str:
    return credential.upper() + secrets.token_urlsafe(RANDOM_BYTES)


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"invalid name {name!r}: 1-64 characters from [A-Za-z0-9._@+-]")
    return name


def create(table: Table, holder: Holder, name: str, now: datetime, deadline: Deadline) -> dict[str, str]:
    """A new user or circuit (the name must be unused; revoked records keep theirs); returns its credentials
    by kind, shown to the operator once."""
    issued = {credential: issue(credential) for credential in holder.credentials}
    hashes = {credential: digest(value) for credential, value in issued.items()}
    record = {
        **record_key(holder.kind, check_name(name)),
        "listKind": holder.kind,
        "name": name,
        "state": ACTIVE,
        "createdAt": now.isoformat(timespec="seconds"),
        **hashes,
    }
    lookups = [{**lookup_key(credential, value), "owner": name} for credential, value in hashes.items()]
    try:
        table.transact([table.put_write(item, ABSENT) for item in [record, *lookups]], deadline)
    except TransactionCancelled as cancelled:
        if cancelled.failed(0):
            raise NameTaken(f"{holder.kind} {name} already exists") from cancelled
        raise
    return issued


def rotate(table: Table, holder: Holder, name: str, credential: str, deadline: Deadline) -> str:
    """A new value for one credential; the old one stops working."""
    value = issue(credential)
    record = _active(table, holder.kind, name, deadline)
    old = record[credential]
    _change(
        table,
        [
            table.update_write(
                record_key(holder.kind, name),
                "SET #c = :new",
                "#c = :old AND #s = :active",
                names={"#c": credential, "#s": "state"},
                values={":new": digest(value), ":old": old, ":active": ACTIVE},
            ),
            table.delete_write(lookup_key(credential, old)),
            table.put_write({**lookup_key(credential, digest(value)), "owner": name}, ABSENT),
        ],
        f"{holder.kind} {name}",
        deadline,
    )
    return value


def revoke(table: Table, holder: Holder, name: str, deadline: Deadline) -> None:
    """Deactivate the record and delete its lookup items; revoking twice changes nothing."""
    try:
        record = _active(table, holder.kind, name, deadline)
    except Revoked:
        return
    _change(
        table,
        [
            table.update_write(
                record_key(holder.kind, name),
                "SET #s = :revoked",
                "#s = :active",
                names={"#s": "state"},
                values={":revoked": REVOKED, ":active": ACTIVE},
            ),
            *[table.delete_write(lookup_key(credential, record[credential])) for credential in holder.credentials],
        ],
        f"{holder.kind} {name}",
        deadline,
    )


def listing(table: Table, holder: Holder, deadline: Deadline, *, limit: int | None = None) -> list[dict[str, str]]:
    """Names, states and creation times of one kind, by name, at most `limit` (None: all; ask for one more
    to learn whether more exist); never a credential hash."""
    entries = table.query(
        deadline, key="listKind = :k", values={":k": holder.kind}, index=BY_KIND_INDEX, page_size=limit
    )
    return [{"name": e["name"], "state": e["state"], "createdAt": e["createdAt"]} for e in islice(entries, limit)]


def _active(table: Table, kind: str, name: str, deadline: Deadline) -> dict[str, Any]:
    record = table.get(record_key(kind, name), deadline)
    if record is None:
        raise NotFound(f"no {kind} named {name}")
    if record["state"] != ACTIVE:
        raise Revoked(f"{kind} {name} is revoked")
    return record


def _change(table: Table, writes: list[Any], subject: str, deadline: Deadline) -> None:
    try:
        table.transact(writes, deadline)
    except TransactionCancelled as cancelled:
        raise Conflict(f"{subject} changed meanwhile; try again") from cancelled

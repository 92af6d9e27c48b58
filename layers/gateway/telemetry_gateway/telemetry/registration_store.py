"""The registrations table: one record per registration, a uniqueness record per triple, a marker per client.

Keys: `reg#<id>` (the registration, with the `jti` of the only token it accepts), `triple#<sha256>` (makes
the (clientId, systemUUID, timestamp) triple unique; the raw triple could exceed a key's 2,048 bytes) and
`client#<clientId>` (tells /register with one GetItem that a client registered before). The ByClient index
lists a client's registrations for the operator tool.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telemetry_gateway.storage.errors import ConditionFailed, Conflict, NotFound, TransactionCancelled
from telemetry_gateway.storage.table import ABSENT, PRESENT, Table

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline

BY_CLIENT_INDEX = "ByClient"


class DuplicateTriple(Conflict):
    """A registration with the identical (clientId, systemUUID, timestamp) exists."""


class IdTaken(Conflict):
    """The randomly drawn registration id is in use; draw again."""


@dataclass(frozen=True)
class Registration:
    """A telemetry client's registration and the one token it currently accepts."""

    registration_id: int
    client_id: str
    system_uuid: str
    timestamp: str
    registration_date: str  # returned verbatim by /register and every /authenticate
    jti: str  # of the only token currently accepted
    created_at: str
    updated_at: str


def registration_key(registration_id: int) -> dict[str, str]:
    return {"pk": f"reg#{registration_id}"}


def client_key(client_id: str) -> dict[str, str]:
    return {"pk": f"client#{client_id}"}


def triple_key(client_id: str, system_uuid: str, timestamp: str) -> dict[str, str]:
    digest = hashlib.sha256(json.dumps([client_id, system_uuid, timestamp]).encode("utf-8")).hexdigest()
    return {"pk": f"triple#{digest}"}


class RegistrationStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create(self, registration: Registration, deadline: Deadline) -> None:
        """The registration, its triple's uniqueness record and the client's marker, all or nothing."""
        r = registration
        record = {
            **registration_key(r.registration_id),
            "registrationId": str(r.registration_id),
            "clientId": r.client_id,
            "systemUUID": r.system_uuid,
            "timestamp": r.timestamp,
            "registrationDate": r.registration_date,
            "jti": r.jti,
            "createdAt": r.created_at,
            "updatedAt": r.updated_at,
        }
        uniqueness = {**triple_key(r.client_id, r.system_uuid, r.timestamp), "registrationId": str(r.registration_id)}
        marker = {**client_key(r.client_id), "latestRegistrationId": str(r.registration_id)}
        try:
            self.table.transact(
                [
                    self.table.put_write(uniqueness, ABSENT),
                    self.table.put_write(record, ABSENT),
                    self.table.put_write(marker),
                ],
                deadline,
            )
        except TransactionCancelled as cancelled:
            if cancelled.failed(0):
                raise DuplicateTriple from cancelled
            raise IdTaken from cancelled

    def get(self, registration_id: int, deadline: Deadline) -> Registration:
        """Strongly consistent: a token issued a moment ago must already be accepted."""
        values = self.table.get(registration_key(registration_id), deadline)
        if values is None:
            raise NotFound(registration_id)
        return _registration(values)

    def replace_jti(self, registration_id: int, jti: str, updated_at: str, deadline: Deadline) -> None:
        """Make `jti` the only accepted token of the registration."""
        try:
            self.table.update(
                registration_key(registration_id),
                deadline,
                update="SET jti = :jti, updatedAt = :now",
                condition=PRESENT,
                values={":jti": jti, ":now": updated_at},
            )
        except ConditionFailed:
            raise NotFound(registration_id) from None

    def client_registered_before(self, client_id: str, deadline: Deadline) -> bool:
        return self.table.get(client_key(client_id), deadline, consistent=False, projection="pk") is not None


def _registration(values: dict[str, Any]) -> Registration:
    return Registration(
        registration_id=int(values["registrationId"]),
        client_id=values["clientId"],
        system_uuid=values["systemUUID"],
        timestamp=values["timestamp"],
        registration_date=values["registrationDate"],
        jti=values["jti"],
        created_at=values["createdAt"],
        updated_at=values["updatedAt"],
    )

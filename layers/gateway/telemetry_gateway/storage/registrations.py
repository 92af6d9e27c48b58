"""The registrations table: one record per registration plus a uniqueness record per triple."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from telemetry_gateway.storage.dynamo import cancellation_codes, from_item, is_condition_failure, to_item
from telemetry_gateway.storage.errors import Conflict, NotFound

BY_CLIENT_INDEX = "ByClient"


class DuplicateTriple(Conflict):
    """A registration with the identical (clientId, systemUUID, timestamp) exists."""


class IdTaken(Conflict):
    """The randomly drawn registration id is in use; draw again."""


@dataclass(frozen=True)
class Registration:
    registration_id: int
    client_id: str
    system_uuid: str
    timestamp: str
    registration_date: str  # returned verbatim by /register and every /authenticate
    jti: str  # of the only token currently accepted
    created_at: str
    updated_at: str


def _registration_key(registration_id: int) -> dict[str, Any]:
    return {"pk": {"S": f"reg#{registration_id}"}}


def client_key(client_id: str) -> str:
    """A client's marker record: it tells /register, with one GetItem, that a client registered before."""
    return f"client#{client_id}"


def triple_key(client_id: str, system_uuid: str, timestamp: str) -> str:
    """The raw triple can exceed a partition key's 2,048 bytes; its hash cannot."""
    digest = hashlib.sha256(json.dumps([client_id, system_uuid, timestamp]).encode("utf-8")).hexdigest()
    return f"triple#{digest}"


class RegistrationStore:
    def __init__(self, table: str, client: Any) -> None:
        self.table = table
        self.client = client

    def create(self, registration: Registration) -> None:
        """Write the registration and its triple's uniqueness record in one transaction."""
        record = {
            "pk": f"reg#{registration.registration_id}",
            "registrationId": str(registration.registration_id),
            "clientId": registration.client_id,
            "systemUUID": registration.system_uuid,
            "timestamp": registration.timestamp,
            "registrationDate": registration.registration_date,
            "jti": registration.jti,
            "createdAt": registration.created_at,
            "updatedAt": registration.updated_at,
        }
        uniqueness = {
            "pk": triple_key(registration.client_id, registration.system_uuid, registration.timestamp),
            "registrationId": str(registration.registration_id),
        }
        marker = {"pk": client_key(registration.client_id), "latestRegistrationId": str(registration.registration_id)}
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table,
                            "Item": to_item(uniqueness),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.table,
                            "Item": to_item(record),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {"Put": {"TableName": self.table, "Item": to_item(marker)}},
                ]
            )
        except ClientError as exc:
            codes = cancellation_codes(exc)
            if codes[:1] == ["ConditionalCheckFailed"]:
                raise DuplicateTriple from exc
            if codes[1:2] == ["ConditionalCheckFailed"]:
                raise IdTaken from exc
            raise

    def get(self, registration_id: int) -> Registration:
        """Strongly consistent: a token issued a moment ago must already be accepted."""
        response = self.client.get_item(
            TableName=self.table, Key=_registration_key(registration_id), ConsistentRead=True
        )
        if "Item" not in response:
            raise NotFound(registration_id)
        return _registration(from_item(response["Item"]))

    def replace_jti(self, registration_id: int, jti: str, updated_at: str) -> None:
        """Make `jti` the only accepted token of the registration."""
        try:
            self.client.update_item(
                TableName=self.table,
                Key=_registration_key(registration_id),
                UpdateExpression="SET jti = :jti, updatedAt = :now",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":jti": {"S": jti}, ":now": {"S": updated_at}},
            )
        except ClientError as exc:
            if is_condition_failure(exc):
                raise NotFound(registration_id) from exc
            raise

    def client_registered_before(self, client_id: str) -> bool:
        response = self.client.get_item(
            TableName=self.table, Key={"pk": {"S": client_key(client_id)}}, ProjectionExpression="pk"
        )
        return "Item" in response

    def of_client(self, client_id: str, limit: int = 100) -> list[dict[str, Any]]:
        """Summaries of a client's registrations, oldest first (eventually consistent index; no jti)."""
        response = self.client.query(
            TableName=self.table,
            IndexName=BY_CLIENT_INDEX,
            KeyConditionExpression="clientId = :c",
            ExpressionAttributeValues={":c": {"S": client_id}},
            Limit=limit,
        )
        return [from_item(item) for item in response.get("Items", [])]


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

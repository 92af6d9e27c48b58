"""The notify directory table: user and circuit records, and one lookup item per credential hash.

A record (`user#<name>`, `circuit#<name>`) holds its state and the hashes of its current credentials; a
lookup item (`ka#<hash>`, `kc#<hash>`, `ks#<hash>`) names the record's owner and exists exactly while that
credential is valid. Rotation and revocation change both in one transaction, so a key lookup is the
whole credential check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.dynamo import cancellation_codes, from_item, to_item
from telemetry_gateway.storage.errors import Conflict, NotFound
from telemetry_gateway.storage.retry import with_retries

BY_KIND_INDEX = "ByKind"
ACTIVE = "active"
REVOKED = "revoked"


class NameTaken(Conflict):
    pass


class Revoked(Conflict):
    pass


def _key(pk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}}


class DirectoryStore:
    def __init__(self, table: str, client: Any) -> None:
        self.table = table
        self.client = client

    def owner(self, credential: str, digest: str, deadline: Deadline) -> str | None:
        """The name holding this credential hash while it is valid. Strongly consistent and uncached,
        so rotation and revocation take effect at once."""
        response = with_retries(
            lambda: self.client.get_item(TableName=self.table, Key=_key(f"{credential}#{digest}"), ConsistentRead=True),
            deadline,
        )
        item = response.get("Item")
        return str(item["owner"]["S"]) if item else None

    def create(self, kind: str, name: str, digests: Mapping[str, str], created_at: str) -> None:
        """A new record with its credentials; the name must be unused (revoked records keep theirs)."""
        record = {"pk": f"{kind}#{name}", "listKind": kind, "name": name, "state": ACTIVE, "createdAt": created_at}
        puts = [(record | dict(digests))] + [
            {"pk": f"{credential}#{digest}", "owner": name} for credential, digest in digests.items()
        ]
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table,
                            "Item": to_item(item),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    }
                    for item in puts
                ]
            )
        except ClientError as exc:
            if cancellation_codes(exc)[:1] == ["ConditionalCheckFailed"]:
                raise NameTaken(f"{kind} {name} already exists") from exc
            raise

    def replace(self, kind: str, name: str, credential: str, digest: str) -> None:
        """Make `digest` the only valid hash of the record's `credential`."""
        record = self._active(kind, name)
        old = record[credential]
        self._transact(
            [
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": _key(f"{kind}#{name}"),
                        "UpdateExpression": "SET #c = :new",
                        "ConditionExpression": "#c = :old AND #s = :active",
                        "ExpressionAttributeNames": {"#c": credential, "#s": "state"},
                        "ExpressionAttributeValues": {
                            ":new": {"S": digest},
                            ":old": {"S": old},
                            ":active": {"S": ACTIVE},
                        },
                    }
                },
                {"Delete": {"TableName": self.table, "Key": _key(f"{credential}#{old}")}},
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": to_item({"pk": f"{credential}#{digest}", "owner": name}),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ],
            f"{kind} {name}",
        )

    def revoke(self, kind: str, name: str, credentials: tuple[str, ...]) -> None:
        """Deactivate the record and delete its lookup items; revoking twice changes nothing."""
        try:
            record = self._active(kind, name)
        except Revoked:
            return
        self._transact(
            [
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": _key(f"{kind}#{name}"),
                        "UpdateExpression": "SET #s = :revoked",
                        "ConditionExpression": "#s = :active",
                        "ExpressionAttributeNames": {"#s": "state"},
                        "ExpressionAttributeValues": {":revoked": {"S": REVOKED}, ":active": {"S": ACTIVE}},
                    }
                },
                *[
                    {"Delete": {"TableName": self.table, "Key": _key(f"{credential}#{record[credential]}")}}
                    for credential in credentials
                ],
            ],
            f"{kind} {name}",
        )

    def listing(self, kind: str) -> list[dict[str, str]]:
        """Names, states and creation times of one kind, by name; never a credential hash."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": BY_KIND_INDEX,
            "KeyConditionExpression": "listKind = :k",
            "ExpressionAttributeValues": {":k": {"S": kind}},
        }
        entries: list[dict[str, str]] = []
        while True:
            response = self.client.query(**kwargs)
            entries.extend(
                {"name": item["name"], "state": item["state"], "createdAt": item["createdAt"]}
                for item in map(from_item, response.get("Items", []))
            )
            if "LastEvaluatedKey" not in response:
                return entries
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _active(self, kind: str, name: str) -> dict[str, Any]:
        response = self.client.get_item(TableName=self.table, Key=_key(f"{kind}#{name}"), ConsistentRead=True)
        if "Item" not in response:
            raise NotFound(f"no {kind} named {name}")
        record = from_item(response["Item"])
        if record["state"] != ACTIVE:
            raise Revoked(f"{kind} {name} is revoked")
        return record

    def _transact(self, items: list[dict[str, Any]], subject: str) -> None:
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if "ConditionalCheckFailed" in cancellation_codes(exc):
                raise Conflict(f"{subject} changed meanwhile; try again") from exc
            raise

"""The notify mailbox table: per circuit a sequence head, messages and replies; id items; process counters.

Keys (pk / sk):
- `circuit#<name>` / `head`: `lastSeq`, the circuit's last sequence number;
- `circuit#<name>` / `m#<seq, 20 digits>`: a message; `pendingSeq` while pending (the sparse Pending LSI);
- `circuit#<name>` / `r#<seq, 20 digits>`: its reply, a separate item so that a Dispatch polls a small one;
- `id#<message id>` / `id`: the message's circuit and sequence number (id uniqueness and lookup by id);
- `server#<name>` / `processes`: the last process number handed out for that server name.
Messages, replies and id items carry `expiresAt` (TTL); reads treat them as absent once it has passed,
because DynamoDB deletes lazily and moto never does.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify.records import EXPIRED, PENDING, REPLIED, Located, Message, Reply
from telemetry_gateway.storage.dynamo import from_item, is_condition_failure, to_item
from telemetry_gateway.storage.errors import Conflict
from telemetry_gateway.storage.retry import with_retries

PENDING_INDEX = "Pending"
_LAST_SORT_KEY = "m#" + "9" * 20
_PENDING_PAGE = 25
_ABSENT = "attribute_not_exists(pk)"


class SequenceTaken(Conflict):
    """Another message took the sequence number; `current` is the circuit's last one now."""

    def __init__(self, current: int) -> None:
        super().__init__(f"sequence moved on to {current}")
        self.current = current


class IdTaken(Conflict):
    pass


class ReplyRefused(Conflict):
    """The message was not pending before its deadline; `state` is what it holds (None: gone)."""

    def __init__(self, state: str | None) -> None:
        super().__init__(f"message is {state}")
        self.state = state


def circuit_pk(circuit: str) -> str:
    return f"circuit#{circuit}"


def message_sk(seq: int) -> str:
    return f"m#{seq:020d}"


def reply_sk(seq: int) -> str:
    return f"r#{seq:020d}"


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _message_values(message: Message) -> dict[str, Any]:
    return {
        "pk": circuit_pk(message.circuit),
        "sk": message_sk(message.seq),
        "circuit": message.circuit,
        "seq": message.seq,
        "pendingSeq": message.seq,
        "messageId": message.message_id,
        "user": message.user,
        "arrivedAt": message.arrived_at,
        "deadlineMs": message.deadline_ms,
        "expiresAt": message.expires_at,
        "state": message.state,
        "headers": list(message.headers),
        "body": message.body,
    }


def _message(item: dict[str, Any]) -> Message:
    values = from_item(item)
    return Message(
        circuit=values["circuit"],
        seq=int(values["seq"]),
        message_id=values["messageId"],
        user=values["user"],
        arrived_at=values["arrivedAt"],
        deadline_ms=int(values["deadlineMs"]),
        expires_at=int(values["expiresAt"]),
        state=values["state"],
        headers=tuple(values["headers"]),
        body=bytes(values["body"]),
    )


def _state_of(item: dict[str, Any] | None) -> str | None:
    return str(item["state"]["S"]) if item else None


class MailboxStore:
    def __init__(self, table: str, client: Any) -> None:
        self.table = table
        self.client = client

    def _call(self, operation: str, deadline: Deadline, **kwargs: Any) -> Any:
        method = getattr(self.client, operation)
        return with_retries(lambda: method(TableName=self.table, **kwargs), deadline)

    def take_process_number(self, server: str, deadline: Deadline) -> int:
        """The next process number of `server`: a single atomic ADD, so numbers are never reused."""
        response = self._call(
            "update_item",
            deadline,
            Key=_key(f"server#{server}", "processes"),
            UpdateExpression="ADD lastProcess :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["lastProcess"]["N"])

    def last_seq(self, circuit: str, deadline: Deadline) -> int:
        response = self._call("get_item", deadline, Key=_key(circuit_pk(circuit), "head"), ConsistentRead=True)
        return int(response["Item"]["lastSeq"]["N"]) if "Item" in response else 0

    def append(self, message: Message, deadline: Deadline) -> None:
        """Write the message, its id item and the circuit's new head in one transaction, so sequence
        numbers become visible strictly in order. Raises SequenceTaken or IdTaken."""
        previous = message.seq - 1
        head_condition = "attribute_not_exists(lastSeq)" if previous == 0 else "lastSeq = :previous"
        head_values = {":seq": {"N": str(message.seq)}}
        if previous:
            head_values[":previous"] = {"N": str(previous)}
        id_item = {
            "pk": f"id#{message.message_id}",
            "sk": "id",
            "circuit": message.circuit,
            "seq": message.seq,
            "expiresAt": message.expires_at,
        }
        try:
            self._transact(
                deadline,
                [
                    (
                        "Update",
                        {
                            "Key": _key(circuit_pk(message.circuit), "head"),
                            "UpdateExpression": "SET lastSeq = :seq",
                            "ConditionExpression": head_condition,
                            "ExpressionAttributeValues": head_values,
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                        },
                    ),
                    ("Put", {"Item": to_item(_message_values(message)), "ConditionExpression": _ABSENT}),
                    ("Put", {"Item": to_item(id_item), "ConditionExpression": _ABSENT}),
                ],
            )
        except ClientError as exc:
            head, _, message_id = _failed(exc, 3)
            if head is not None:
                raise SequenceTaken(int(head.get("lastSeq", {}).get("N", "0"))) from exc
            if message_id is not None:
                raise IdTaken(message.message_id) from exc
            raise

    def locate(self, circuit: str, message_id: str, now_s: int, deadline: Deadline) -> Located | None:
        """Where `message_id` lives in this circuit; None if it is another circuit's or past its TTL."""
        response = self._call("get_item", deadline, Key=_key(f"id#{message_id}", "id"), ConsistentRead=True)
        item = response.get("Item")
        if not item or item["circuit"]["S"] != circuit or int(item["expiresAt"]["N"]) <= now_s:
            return None
        return Located(seq=int(item["seq"]["N"]), expires_at=int(item["expiresAt"]["N"]))

    def next_after(self, circuit: str, seq: int, now_s: int, deadline: Deadline) -> Message | None:
        """The first live message with a sequence number above `seq`, in any state."""
        items = self._first_matching(
            deadline,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            FilterExpression="expiresAt > :now",
            ExpressionAttributeValues={
                ":pk": {"S": circuit_pk(circuit)},
                ":first": {"S": message_sk(seq + 1)},
                ":last": {"S": _LAST_SORT_KEY},
                ":now": {"N": str(now_s)},
            },
            Limit=1,
        )
        return _message(items[0]) if items else None

    def oldest_pending(self, circuit: str, now_ms: int, deadline: Deadline) -> Message | None:
        """The lowest-sequence message still pending before its deadline, through the sparse index."""
        entries = self._first_matching(
            deadline,
            IndexName=PENDING_INDEX,
            KeyConditionExpression="pk = :pk",
            FilterExpression="deadlineMs > :now",
            ExpressionAttributeValues={":pk": {"S": circuit_pk(circuit)}, ":now": {"N": str(now_ms)}},
            Limit=_PENDING_PAGE,
        )
        if not entries:
            return None
        response = self._call(
            "get_item", deadline, Key={"pk": entries[0]["pk"], "sk": entries[0]["sk"]}, ConsistentRead=True
        )
        return _message(response["Item"]) if "Item" in response else None

    def _first_matching(self, deadline: Deadline, **query: Any) -> list[dict[str, Any]]:
        """Pages of a strongly consistent ascending Query until one page holds an item (filters apply
        after Limit, so an empty page may still have a successor)."""
        while True:
            response = self._call("query", deadline, ConsistentRead=True, ScanIndexForward=True, **query)
            items: list[dict[str, Any]] = response.get("Items", [])
            if items or "LastEvaluatedKey" not in response:
                return items
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def reply(self, circuit: str, seq: int, deadline: Deadline) -> Reply | None:
        """The reply item: small, so polling for it costs the minimum read while it is absent."""
        response = self._call("get_item", deadline, Key=_key(circuit_pk(circuit), reply_sk(seq)), ConsistentRead=True)
        if "Item" not in response:
            return None
        values = from_item(response["Item"])
        return Reply(headers=tuple(values["headers"]), data=bytes(values["data"]))

    def store_reply(
        self, circuit: str, located: Located, reply: Reply, now_ms: int, replied_at: str, deadline: Deadline
    ) -> None:
        """pending → replied and the reply item, in one transaction. Raises ReplyRefused."""
        reply_item = {
            "pk": circuit_pk(circuit),
            "sk": reply_sk(located.seq),
            "headers": list(reply.headers),
            "data": reply.data,
            "repliedAt": replied_at,
            "expiresAt": located.expires_at,
        }
        try:
            self._transact(
                deadline,
                [
                    (
                        "Update",
                        {
                            "Key": _key(circuit_pk(circuit), message_sk(located.seq)),
                            "UpdateExpression": "SET #s = :replied REMOVE pendingSeq",
                            "ConditionExpression": "#s = :pending AND deadlineMs > :now",
                            "ExpressionAttributeNames": {"#s": "state"},
                            "ExpressionAttributeValues": {
                                ":replied": {"S": REPLIED},
                                ":pending": {"S": PENDING},
                                ":now": {"N": str(now_ms)},
                            },
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                        },
                    ),
                    ("Put", {"Item": to_item(reply_item), "ConditionExpression": _ABSENT}),
                ],
            )
        except ClientError as exc:
            message, existing_reply = _failed(exc, 2)
            if existing_reply is not None:
                raise ReplyRefused(REPLIED) from exc
            if message is not None:
                raise ReplyRefused(_state_of(message)) from exc
            raise

    def expire(self, circuit: str, seq: int, deadline: Deadline) -> str | None:
        """pending → expired, if still pending. Returns the state the message ends in (None: gone)."""
        try:
            self._call(
                "update_item",
                deadline,
                Key=_key(circuit_pk(circuit), message_sk(seq)),
                UpdateExpression="SET #s = :expired REMOVE pendingSeq",
                ConditionExpression="#s = :pending",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={":expired": {"S": EXPIRED}, ":pending": {"S": PENDING}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if is_condition_failure(exc):
                return _state_of(exc.response.get("Item"))
            raise
        return EXPIRED

    def _transact(self, deadline: Deadline, operations: list[tuple[str, dict[str, Any]]]) -> None:
        items = [{kind: {"TableName": self.table, **spec}} for kind, spec in operations]
        with_retries(lambda: self.client.transact_write_items(TransactItems=items), deadline)


def _failed(exc: ClientError, operations: int) -> list[dict[str, Any] | None]:
    """Per operation of a cancelled transaction: the item as it stood when its condition failed (an
    empty dict when it did not exist), or None when that operation's condition held or was not reached."""
    reasons = exc.response.get("CancellationReasons") or [{}] * operations
    return [
        (reason.get("Item") or {}) if reason.get("Code") == "ConditionalCheckFailed" else None for reason in reasons
    ]

"""One DynamoDB table as the domain's stores use it: every call retried within the request's deadline, items
as Python values, condition failures and cancelled transactions as storage errors carrying the items that
stood in the way. Table modules build on this and never see a ClientError."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import batched
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from telemetry_gateway import aws
from telemetry_gateway.storage.dynamo import (
    cancellation_codes,
    cancellation_items,
    from_item,
    is_condition_failure,
    to_item,
)
from telemetry_gateway.storage.errors import ConditionFailed, Item, StorageUnavailable, TransactionCancelled
from telemetry_gateway.storage.retry import backoff_delays, with_retries

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from telemetry_gateway.deadline import Deadline

BATCH_WRITE_LIMIT = 25  # DynamoDB refuses more; moto does not, so we enforce it ourselves
# The condition of every "create only if new" write; tables key on `pk` (plus `sk` where they have one).
ABSENT = "attribute_not_exists(pk)"
PRESENT = "attribute_exists(pk)"

Key = Mapping[str, Any]


@dataclass(frozen=True)
class Write:
    """One operation of a transaction: "Put", "Update", "Delete" or "ConditionCheck", with its request."""

    kind: str
    request: dict[str, Any]


@dataclass(frozen=True)
class Expression:
    """Names and values of a condition or update expression, values as Python values."""

    names: Mapping[str, str] | None = None
    values: Mapping[str, Any] | None = None

    def arguments(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.names:
            found["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            found["ExpressionAttributeValues"] = to_item(self.values)
        return found


class Table:
    def __init__(self, name: str, client: Callable[[], DynamoDBClient] = aws.dynamodb) -> None:
        self.name = name
        self._client = client

    @property
    def client(self) -> DynamoDBClient:
        """Resolved on use: a client made before an emulator starts would not reach it."""
        return self._client()

    # ------------------------------------------------------------------ single items

    def get(
        self, key: Key, deadline: Deadline, *, consistent: bool = True, projection: str | None = None
    ) -> Item | None:
        """The item, or None. Strongly consistent unless asked otherwise: what a request wrote a moment ago
        must be seen by the next one."""
        arguments: dict[str, Any] = {"TableName": self.name, "Key": to_item(key), "ConsistentRead": consistent}
        if projection is not None:
            arguments["ProjectionExpression"] = projection
        response = with_retries(lambda: self.client.get_item(**arguments), deadline)
        return from_item(response["Item"]) if "Item" in response else None

    def put(
        self, item: Mapping[str, Any], deadline: Deadline, *, condition: str | None = None, **expression: Any
    ) -> None:
        """Write the whole item; with a condition, ConditionFailed carries the item as it stood."""
        self.apply(self.put_write(item, condition, **expression), deadline)

    def update(
        self,
        key: Key,
        deadline: Deadline,
        *,
        update: str,
        condition: str | None = None,
        returns: str = "NONE",
        **expression: Any,
    ) -> Item:
        """Apply an update expression; returns the attributes `returns` asks for ({} for NONE)."""
        return self.apply(self.update_write(key, update, condition, **expression), deadline, returns=returns)

    def delete(self, key: Key, deadline: Deadline, *, condition: str | None = None, **expression: Any) -> None:
        self.apply(self.delete_write(key, condition, **expression), deadline)

    def apply(self, write: Write, deadline: Deadline, *, returns: str = "NONE") -> Item:
        """One write on its own, the same operation a transaction would carry."""
        calls: dict[str, Callable[..., Any]] = {
            "Put": self.client.put_item,
            "Update": self.client.update_item,
            "Delete": self.client.delete_item,
        }
        request = write.request | ({"ReturnValues": returns} if returns != "NONE" else {})
        try:
            response = with_retries(lambda: calls[write.kind](**request), deadline)
        except ClientError as exc:
            if is_condition_failure(exc):
                raise ConditionFailed(from_item(exc.response.get("Item") or {})) from exc  # type: ignore[arg-type]
            raise
        return from_item(response.get("Attributes") or {})

    # ------------------------------------------------------------------ transactions

    def put_write(
        self, item: Mapping[str, Any], condition: str | None = None, *, names: Any = None, values: Any = None
    ) -> Write:
        request: dict[str, Any] = {"TableName": self.name, "Item": to_item(item)}
        return Write("Put", self._guarded(request, condition, Expression(names, values)))

    def update_write(
        self, key: Key, update: str, condition: str | None = None, *, names: Any = None, values: Any = None
    ) -> Write:
        request: dict[str, Any] = {"TableName": self.name, "Key": to_item(key), "UpdateExpression": update}
        return Write("Update", self._guarded(request, condition, Expression(names, values)))

    def delete_write(self, key: Key, condition: str | None = None, *, names: Any = None, values: Any = None) -> Write:
        request: dict[str, Any] = {"TableName": self.name, "Key": to_item(key)}
        return Write("Delete", self._guarded(request, condition, Expression(names, values)))

    @staticmethod
    def _guarded(request: dict[str, Any], condition: str | None, expression: Expression) -> dict[str, Any]:
        request |= expression.arguments()
        if condition is not None:
            request["ConditionExpression"] = condition
            # No extra cost: the item that failed the condition comes back with the failure.
            request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return request

    def transact(self, writes: Sequence[Write], deadline: Deadline) -> None:
        """All or nothing. A condition that fails raises TransactionCancelled with the items that stood in
        the way; a transaction that only lost to another one in flight is retried like a throttle."""
        items = [{write.kind: write.request} for write in writes]
        try:
            with_retries(lambda: self.client.transact_write_items(TransactItems=items), deadline)  # type: ignore[arg-type]
        except ClientError as exc:
            if not cancellation_codes(exc):
                raise
            raise TransactionCancelled(cancellation_items(exc)) from exc

    # ------------------------------------------------------------------ many items

    def query(
        self,
        deadline: Deadline,
        *,
        key: str,
        names: Mapping[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
        index: str | None = None,
        filter: str | None = None,
        forward: bool = True,
        consistent: bool = False,
        page_size: int | None = None,
        projection: str | None = None,
    ) -> Iterator[Item]:
        """Every matching item, page by page as the caller consumes them (filters apply per page, after
        DynamoDB's Limit, so an empty page may still have successors)."""
        arguments: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": key,
            "ScanIndexForward": forward,
            "ConsistentRead": consistent,
            **Expression(names, values).arguments(),
        }
        optional = {"IndexName": index, "FilterExpression": filter, "Limit": page_size}
        arguments |= {name: value for name, value in optional.items() if value is not None}
        if projection is not None:
            arguments["ProjectionExpression"] = projection
        while True:
            response = with_retries(lambda: self.client.query(**arguments), deadline)
            yield from (from_item(item) for item in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return
            arguments["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def batch_write(
        self, deadline: Deadline, *, puts: Iterable[Mapping[str, Any]] = (), deletes: Iterable[Key] = ()
    ) -> int:
        """Plain puts and deletes in DynamoDB's batches of 25, resubmitting what it leaves unprocessed;
        returns how many BatchWriteItem calls it took."""
        requests = [{"PutRequest": {"Item": to_item(item)}} for item in puts]
        requests += [{"DeleteRequest": {"Key": to_item(key)}} for key in deletes]
        calls = 0
        for batch in batched(requests, BATCH_WRITE_LIMIT):
            calls += self._write_batch(list(batch), deadline)
        return calls

    def _write_batch(self, requests: list[dict[str, Any]], deadline: Deadline) -> int:
        pending, delay, calls = requests, backoff_delays(), 0
        while True:
            response = with_retries(
                partial(self.client.batch_write_item, RequestItems={self.name: pending}),  # type: ignore[dict-item]
                deadline,
            )
            calls += 1
            pending = list(response.get("UnprocessedItems", {}).get(self.name, []))  # type: ignore[arg-type]
            if not pending:
                return calls
            pause = delay()
            if deadline.remaining() <= pause:
                raise StorageUnavailable(f"{len(pending)} writes still unprocessed")
            deadline.clock.sleep(pause)

"""Six fixes to the embedded moto, for the local runtime and the tests only (never deployed).

1. Thread safety. moto's backends are plain dictionaries mutated without locks. Concurrent requests
   (long-polls, benchmark connections) made moto fail with "dictionary changed size during
   iteration". One lock serialises emulator requests, in-process and through its HTTP server.
2. Transaction cost. To roll back a failed TransactWriteItems, moto deep-copies every table the
   transaction touches: 2 ms per transaction on an empty table, 156 ms at 10,000 items (measured
   here). DynamoDB's cost does not grow with the table, and local runs and benchmarks should not
   either. We snapshot only the items the transaction touches and restore those on failure.
3. Query cost. A Query of the base table sorted and read every item of the table to find one partition:
   at 10,000 items a one-item Query of the sensor data path took about 150 ms. DynamoDB reads only the
   partition. We hand moto's query just that partition's items (index queries are left as they are).
4. Item size check. moto builds a stored item one attribute at a time, and each insertion measured the whole
   item again (its size guard against DynamoDB's 400 KB limit): quadratic in the attributes, a third of the
   emulator's time in a /report of ten items. We keep the running size while building the item: the same
   checks in the same order, each answered by addition instead of a new walk over the item.
5. Action lookup. For every request moto listed its response class's methods with inspect.getmembers to see
   whether the action exists (about 0.2 ms a call, two calls per /report). A class's methods do not change
   while it serves, so the list is made once per class.
6. Replacing an attribute. moto's size guard added a replacing value to the item as it stood, old value
   included, so an UpdateItem that swapped a 220 KB attribute for another refused the item as too large
   (a sensor client replacing its client data twice answered 500). DynamoDB measures the item the update
   leaves; so does the guard now. An update that leaves the item too large is still refused, at the same size.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

import moto.core.responses as moto_responses
import moto.dynamodb.models as dynamodb_models
from moto.core.botocore_stubber import BotocoreStubber
from moto.core.utils import method_names_from_class
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import bytesize
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_emulator_lock = threading.RLock()
_applied = False


def _serialised[**P, R](method: Callable[P, R]) -> Callable[P, R]:
    @wraps(method)
    def locked(*args: P.args, **kwargs: P.kwargs) -> R:
        with _emulator_lock:
            return method(*args, **kwargs)

    return locked


class _CopyWithoutTables:
    """Stands in for the `copy` module inside moto's DynamoDB models: a table "copy" is the table itself;
    everything else is copied as before."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _item_key(backend: DynamoDBBackend, operation: str, spec: dict[str, Any]) -> dict[str, Any] | None:
    table = backend.tables.get(spec.get("TableName", ""))
    if table is None:
        return None
    if operation != "Put":
        return dict(spec["Key"])
    key = {table.hash_key_attr: spec["Item"][table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = spec["Item"][table.range_key_attr]
    return key


def _transact_with_item_snapshots(original: Callable[..., None]) -> Callable[..., None]:
    @wraps(original)
    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        snapshots: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
        for entry in transact_items:
            for operation, spec in entry.items():
                key = _item_key(self, operation, spec) if isinstance(spec, dict) else None
                if key is not None:
                    current = self.get_item(spec["TableName"], key)
                    attributes = copy.deepcopy(current.to_json()["Attributes"]) if current else None
                    snapshots.append((spec["TableName"], key, attributes))
        try:
            original(self, transact_items)
        except Exception:
            for table_name, key, attributes in reversed(snapshots):
                if attributes is None:
                    self.delete_item(table_name, key)
                else:
                    self.put_item(table_name, attributes)
            raise

    return transact_write_items


_INDEX_NAME_POSITION = 6  # of Table.query's positional arguments after hash_key


def _query_one_partition(original: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(original)
    def query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        positional = args[_INDEX_NAME_POSITION] if len(args) > _INDEX_NAME_POSITION else None
        if kwargs.get("index_name", positional) is not None or not self.range_key_attr or hash_key is None:
            return original(self, hash_key, *args, **kwargs)
        partition = list(self.items.get(hash_key, {}).values())
        # For this call only: emulator requests are serialised, so no other query sees it.
        self.all_items = lambda: partition  # type: ignore[method-assign]
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    return query


# moto's LimitedSizeDict refuses an insertion that would take the item over this many bytes (its own
# measurement of DynamoDB's limit, between 409 and 410 KB; it keeps a margin).
ITEM_SIZE_LIMIT = 405_000


def _item_init(self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]) -> None:
    """moto's Item.__init__ with LimitedSizeDict's check made incremental: the attributes go in one by one,
    and each would-be size is the running total (the dict starts empty and keys are unique, so it equals what
    LimitedSizeDict recomputes from scratch)."""
    self.hash_key = hash_key
    self.range_key = range_key
    self.attrs = LimitedSizeDict()
    size = 0
    for key, value in attrs.items():
        attribute = DynamoType(value)
        size += bytesize(key) + attribute.size()
        if size > ITEM_SIZE_LIMIT:
            raise ItemSizeTooLarge
        dict.__setitem__(self.attrs, key, attribute)


def _size(value: Any) -> int:
    """LimitedSizeDict's measure of one key or value."""
    return value.size() if type(value) is DynamoType else bytesize(str(value))


def _set_attribute(self: LimitedSizeDict, key: str, value: Any) -> None:
    """LimitedSizeDict.__setitem__ measuring the item as the assignment leaves it: a replaced attribute's
    old value no longer counts."""
    replaced = _size(key) + _size(self[key]) if key in self else 0
    current = sum(_size(part) for part in (*self.keys(), *self.values())) - replaced
    if current + bytesize(key) + _size(value) > ITEM_SIZE_LIMIT:
        raise ItemSizeTooLarge
    dict.__setitem__(self, key, value)


_method_names = cache(method_names_from_class)


def apply() -> None:
    """Install the fixes once per process, before moto starts serving."""
    global _applied  # noqa: PLW0603 - patches are process-wide by nature
    if _applied:
        return
    _applied = True
    BotocoreStubber.process_request = _serialised(BotocoreStubber.process_request)  # type: ignore[method-assign]
    DomainDispatcherApplication.__call__ = _serialised(DomainDispatcherApplication.__call__)  # type: ignore[method-assign]
    dynamodb_models.copy = _CopyWithoutTables  # type: ignore[attr-defined,assignment]
    DynamoDBBackend.transact_write_items = _transact_with_item_snapshots(  # type: ignore[method-assign]
        DynamoDBBackend.transact_write_items
    )
    Table.query = _query_one_partition(Table.query)  # type: ignore[method-assign]
    Item.__init__ = _item_init  # type: ignore[method-assign]
    LimitedSizeDict.__setitem__ = _set_attribute  # type: ignore[method-assign]
    moto_responses.method_names_from_class = _method_names  # type: ignore[attr-defined]

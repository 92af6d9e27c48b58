"""The storage vocabulary the domain sees instead of botocore's ClientError."""

from __future__ import annotations

from typing import Any

Item = dict[str, Any]


class StorageError(Exception):
    """Base of every storage failure the domain handles."""


class Conflict(StorageError):
    """A conditional write lost: the invariant it guards already holds for someone else."""


class ConditionFailed(Conflict):
    """One conditional write's condition was false; `item` is the item as it stood ({} when absent)."""

    def __init__(self, item: Item) -> None:
        super().__init__("condition failed")
        self.item = item


class TransactionCancelled(Conflict):
    """A transaction refused by a condition. Per operation, in order: None when its condition held (or
    was not reached), else the item as it stood ({} when absent)."""

    def __init__(self, reasons: list[Item | None]) -> None:
        super().__init__(f"transaction cancelled: {['-' if r is None else 'failed' for r in reasons]}")
        self.reasons = reasons

    def failed(self, index: int) -> bool:
        return index < len(self.reasons) and self.reasons[index] is not None


class NotFound(StorageError):
    pass


class StorageUnavailable(StorageError):
    """Storage kept failing after retries within the request's budget; answered with the family's 503."""

"""The storage vocabulary the domain sees instead of botocore's ClientError."""

from __future__ import annotations


class StorageError(Exception):
    """Base of every storage failure the domain handles."""


class Conflict(StorageError):
    """A conditional write lost: the invariant it guards already holds for someone else."""


class NotFound(StorageError):
    pass


class StorageUnavailable(StorageError):
    """Storage kept failing after retries within the request's budget; answered with the family's 503."""

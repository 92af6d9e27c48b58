"""One S3 bucket as the stores use it: objects written whole and verified, every call inside the deadline."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from telemetry_gateway import aws
from telemetry_gateway.storage.dynamo import error_code
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.storage.retry import with_retries

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from telemetry_gateway.deadline import Deadline


@dataclass(frozen=True)
class StoredObject:
    """An object as written: where, how large and its MD5, which S3 verified."""

    bucket: str
    key: str
    size: int
    md5: str


class Bucket:
    def __init__(self, name: str, client: Callable[[], S3Client] = aws.s3) -> None:
        self.name = name
        self._client = client

    @property
    def client(self) -> S3Client:
        return self._client()

    def put(self, key: str, data: bytes, content_type: str, deadline: Deadline) -> StoredObject:
        """Write (or overwrite: keys are deterministic) an object; S3 verifies it against its MD5."""
        digest = hashlib.md5(data, usedforsecurity=False)
        content_md5 = base64.b64encode(digest.digest()).decode("ascii")
        with_retries(
            lambda: self.client.put_object(
                Bucket=self.name, Key=key, Body=data, ContentType=content_type, ContentMD5=content_md5
            ),
            deadline,
        )
        return StoredObject(self.name, key, len(data), digest.hexdigest())

    def get(self, key: str, deadline: Deadline) -> bytes:
        try:
            response = with_retries(lambda: self.client.get_object(Bucket=self.name, Key=key), deadline)
        except ClientError as exc:
            if error_code(exc) in ("NoSuchKey", "404"):
                raise NotFound(key) from exc
            raise
        return response["Body"].read()

    def keys(self, prefix: str, deadline: Deadline) -> Iterator[str]:
        """Every key under `prefix`, a page at a time."""
        token: str | None = None
        while True:
            arguments = {"Bucket": self.name, "Prefix": prefix} | ({"ContinuationToken": token} if token else {})
            page = with_retries(partial(self.client.list_objects_v2, **arguments), deadline)  # type: ignore[arg-type]
            yield from (entry["Key"] for entry in page.get("Contents", []))
            token = page.get("NextContinuationToken")
            if not token:
                return

    def delete(self, keys: list[str], deadline: Deadline) -> None:
        """At most 1,000 keys, S3's limit for one DeleteObjects."""
        objects = [{"Key": key} for key in keys]
        with_retries(lambda: self.client.delete_objects(Bucket=self.name, Delete={"Objects": objects}), deadline)  # type: ignore[typeddict-item]

"""The payload bucket: overflowing telemetry data (and, later, sensor uploads)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.retry import with_retries


@dataclass(frozen=True)
class StoredObject:
    bucket: str
    key: str
    size: int
    md5: str


class PayloadStore:
    def __init__(self, bucket: str, client: Any) -> None:
        self.bucket = bucket
        self.client = client

    def put(self, key: str, data: bytes, content_type: str, deadline: Deadline) -> StoredObject:
        """Write (or overwrite: keys are deterministic) an object; S3 verifies it against its MD5."""
        digest = hashlib.md5(data, usedforsecurity=False)
        with_retries(
            lambda: self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType=content_type,
                ContentMD5=base64.b64encode(digest.digest()).decode("ascii"),
            ),
            deadline,
        )
        return StoredObject(self.bucket, key, len(data), digest.hexdigest())

    def get(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return body

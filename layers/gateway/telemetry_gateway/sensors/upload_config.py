"""The configuration of data/upload, read from its environment when it is imported. The route reads readings and
requests only: it holds their stores, not the client store (whose records it never needs)."""

from __future__ import annotations

from dataclasses import dataclass

from telemetry_gateway.config import Env
from telemetry_gateway.keys import ServerKey
from telemetry_gateway.sensors.addressing import allowed_namespaces
from telemetry_gateway.sensors.reading_store import ReadingStore
from telemetry_gateway.sensors.request_store import RequestStore
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.table import Table

# A base64 body of this size, with the event around it, still fits Lambda's 6 MB synchronous event.
MAX_UPLOAD_LIMIT = 4_500_000


@dataclass(frozen=True)
class UploadConfig:
    """data/upload: the readings and requests, the payload bucket, the upload-token key, the allow-list and the
    payload limit."""

    readings: ReadingStore
    requests: RequestStore
    bucket: Bucket
    upload_key: ServerKey
    namespaces: tuple[str, ...]
    max_payload_bytes: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> UploadConfig:
        env = env or Env()
        table = Table(env.text("SENSOR_TABLE"))
        return cls(
            readings=ReadingStore(table),
            requests=RequestStore(table),
            bucket=Bucket(env.text("PAYLOAD_BUCKET")),
            upload_key=ServerKey.from_env(env, "SENSOR_UPLOAD_KEY"),
            namespaces=allowed_namespaces(env),
            max_payload_bytes=env.integer("SENSOR_MAX_UPLOAD_BYTES", 1024, MAX_UPLOAD_LIMIT),
        )

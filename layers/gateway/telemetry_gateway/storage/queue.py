"""One SQS queue as the stores use it: a message sent is durable once the call returns, retried within the
request's deadline like every other storage call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from telemetry_gateway import aws
from telemetry_gateway.storage.retry import with_retries

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

    from telemetry_gateway.deadline import Deadline

MAX_MESSAGE_BYTES = 256 * 1024  # SQS's classic limit; larger bodies travel through S3


class Queue:
    def __init__(self, url: str, client: Callable[[], SQSClient] = aws.sqs) -> None:
        self.url = url
        self._client = client

    @property
    def client(self) -> SQSClient:
        return self._client()

    def send(self, body: str, deadline: Deadline) -> str:
        """Returns the message id."""
        if len(body.encode("utf-8")) > MAX_MESSAGE_BYTES:
            raise ValueError(f"message of {len(body)} characters exceeds SQS's {MAX_MESSAGE_BYTES} bytes")
        response = with_retries(lambda: self.client.send_message(QueueUrl=self.url, MessageBody=body), deadline)
        return response["MessageId"]

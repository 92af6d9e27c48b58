"""Feeds the template's queues to their functions while `make run` is up, as Lambda's SQS event source
mapping does: batches of up to BatchSize messages, a message deleted once the function did not report it
failed, a failed one left to come back after the queue's visibility timeout (and, after the queue's
maxReceiveCount, to move to its dead-letter queue)."""

from __future__ import annotations

import logging
import threading
from typing import Any

import boto3

from local.lambda_runtime import FunctionRuntime
from local.stack import LocalStack
from local.template import Subscription

log = logging.getLogger("local.queues")
IDLE_POLL_SECONDS = 0.5


def sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One record of the SQS event Lambda hands a function."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def deliver(runtime: FunctionRuntime, stack: LocalStack, subscription: Subscription) -> int:
    """One receive handed to the function; returns how many messages it carried."""
    sqs = boto3.client("sqs", region_name=stack.context.region)
    url = stack.context.refs[subscription.queue]
    received = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=min(subscription.batch_size, 10), AttributeNames=["All"]
    )
    messages = received.get("Messages", [])
    if not messages:
        return 0
    arn = stack.context.get_att(subscription.queue, "Arn")
    event = {"Records": [sqs_record(dict(message), arn, stack.context.region) for message in messages]}
    try:
        result = runtime.invoke(subscription.function, event)
    except Exception:  # an invocation error returns the whole batch to the queue, as Lambda does
        log.warning("%s failed its whole batch", subscription.function, exc_info=True)
        return len(messages)
    failed = {failure["itemIdentifier"] for failure in (result or {}).get("batchItemFailures", [])}
    for message in messages:
        if message["MessageId"] not in failed:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return len(messages)


def start(runtime: FunctionRuntime, stack: LocalStack, stop: threading.Event) -> list[threading.Thread]:
    threads = []
    for subscription in stack.template.subscriptions:
        thread = threading.Thread(
            target=_loop, args=(runtime, stack, subscription, stop), name=f"queue-{subscription.function}", daemon=True
        )
        thread.start()
        threads.append(thread)
    return threads


def _loop(runtime: FunctionRuntime, stack: LocalStack, subscription: Subscription, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            handled = deliver(runtime, stack, subscription)
        except Exception:
            log.exception("%s failed on its queue", subscription.function)
            handled = 0
        if not handled:
            stop.wait(IDLE_POLL_SECONDS)

"""Counting the AWS calls our code makes, per thread (tests and `make bench`)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from telemetry_gateway import aws


@contextmanager
def counted_aws_calls() -> Iterator[Counter[str]]:
    """AWS API calls made on this thread while the block runs, so that requests in flight on other
    threads (a Dispatch waiting while its Master replies) are counted apart."""
    calls: Counter[str] = Counter()
    thread = threading.get_ident()

    def count(service: str, operation: str, _params: Mapping[str, Any]) -> None:
        if threading.get_ident() == thread:
            calls.update([f"{service}.{operation}"])

    stop = aws.observe_calls(count)
    try:
        yield calls
    finally:
        stop()

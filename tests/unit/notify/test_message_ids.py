"""Message ids: the document's format, one process number per environment, a count per message."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from support.clock import ManualClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify.message_ids import MessageIds, well_formed

ARRIVAL = datetime(2025, 7, 30, 13, 1, 13, 999_000, tzinfo=UTC)


class Counter:
    """Stands in for the atomic process counter in DynamoDB."""

    def __init__(self, last: int = 1041) -> None:
        self.taken: list[int] = []
        self.last = last

    def __call__(self, _deadline: Deadline) -> int:
        self.last += 1
        self.taken.append(self.last)
        return self.last


def test_ids_follow_the_document_format_and_count_from_one() -> None:
    take = Counter()
    ids = MessageIds("notify-eu-west-1", take)
    deadline = Deadline.after(ManualClock(), 5)

    first, second = ids.next(ARRIVAL, deadline), ids.next(ARRIVAL, deadline)

    assert first == "20250730130113.1042_1.notify-eu-west-1"
    assert second == "20250730130113.1042_2.notify-eu-west-1"
    assert take.taken == [1042]  # the process number is taken once per environment
    assert well_formed(first)


def test_each_environment_takes_its_own_process_number() -> None:
    take = Counter()
    deadline = Deadline.after(ManualClock(), 5)

    one = MessageIds("local", take).next(ARRIVAL, deadline)
    other = MessageIds("local", take).next(ARRIVAL, deadline)

    assert (one, other) == ("20250730130113.1042_1.local", "20250730130113.1043_1.local")


def test_concurrent_messages_of_one_environment_get_distinct_ids() -> None:
    take = Counter()
    ids = MessageIds("local", take)
    deadline = Deadline.after(ManualClock(), 5)
    made: list[str] = []

    def work() -> None:
        made.extend(ids.next(ARRIVAL, deadline) for _ in range(200))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(made)) == 1600
    assert take.taken == [1042]


def test_only_id_shaped_strings_are_looked_up() -> None:
    assert well_formed("20150721150420.22587_1.sample-server")
    for text in ("", "2015072115042.1_1.x", "20150721150420.0_1.x", "20150721150420.1_1.a.b", "x" * 3000):
        assert not well_formed(text), text

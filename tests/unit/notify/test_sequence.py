"""Reading a circuit in order while sequence numbers are taken before their messages are written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from support.clock import ManualClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify.records import PENDING, REPLIED, VOID, Message
from telemetry_gateway.notify.sequence import GRACE_MS, first_pending, next_after

NOW_MS = 1_753_880_473_000
DEADLINE = Deadline.after(ManualClock(), 5)


def message(seq: int, age_ms: int = 0, state: str = PENDING, expires_at: int = NOW_MS // 1000 + 3600) -> Message:
    return Message("demo", seq, f"id-{seq}", "u", "t", NOW_MS + 25_000, expires_at, NOW_MS - age_ms, state, (), b"")


@dataclass
class Circuit:
    """A circuit's stored sequence numbers; `late` are written by their Dispatch just as a void is tried."""

    stored: dict[int, Message] = field(default_factory=dict)
    late: dict[int, Message] = field(default_factory=dict)
    voided: list[int] = field(default_factory=list)
    taken_only: list[int] = field(default_factory=list)  # numbers taken, their messages not written yet

    def last_taken(self, circuit: str, deadline: Deadline) -> int:
        return max([*self.stored, *self.late, *self.taken_only, 0])

    def slot(self, circuit: str, seq: int, deadline: Deadline) -> Message | None:
        return self.stored.get(seq)

    def slots(self, circuit: str, seq: int, deadline: Deadline, *, after: bool) -> Iterator[Message]:
        numbers = sorted(n for n in self.stored if (n > seq if after else n < seq))
        yield from (self.stored[n] for n in (numbers if after else reversed(numbers)))

    def void(self, circuit: str, seq: int, expires_at: int, deadline: Deadline) -> Message | None:
        if seq in self.late:
            self.stored[seq] = self.late[seq]
            return self.stored[seq]
        self.voided.append(seq)
        self.stored[seq] = Message(circuit, seq, "", "", "", 0, expires_at, 0, VOID, (), b"")
        return None

    def oldest_pending(self, circuit: str, now_ms: int, deadline: Deadline) -> Message | None:
        pending = [m for n, m in sorted(self.stored.items()) if m.state == PENDING and m.deadline_ms > now_ms]
        self.stored |= self.late  # what its Dispatch writes just after the index was read
        return pending[0] if pending else None


def test_the_next_number_is_delivered_at_once() -> None:
    circuit = Circuit({1: message(1, state=REPLIED), 2: message(2)})

    assert next_after(circuit, "demo", 1, NOW_MS, DEADLINE) == message(2)


def test_a_fresh_hole_holds_back_what_follows_it() -> None:
    circuit = Circuit({1: message(1), 3: message(3, age_ms=100)})

    assert next_after(circuit, "demo", 1, NOW_MS, DEADLINE) is None
    assert circuit.voided == []


def test_a_stale_hole_is_voided_and_passed() -> None:
    circuit = Circuit({1: message(1), 4: message(4, age_ms=GRACE_MS + 1)})

    assert next_after(circuit, "demo", 1, NOW_MS, DEADLINE) == message(4, age_ms=GRACE_MS + 1)
    assert circuit.voided == [2, 3]
    assert next_after(circuit, "demo", 1, NOW_MS, DEADLINE) == message(4, age_ms=GRACE_MS + 1)  # voids are skipped


def test_a_message_written_as_its_number_is_voided_is_delivered_not_skipped() -> None:
    circuit = Circuit({1: message(1), 3: message(3, age_ms=GRACE_MS + 1)}, late={2: message(2, age_ms=GRACE_MS + 5)})

    assert next_after(circuit, "demo", 1, NOW_MS, DEADLINE) == message(2, age_ms=GRACE_MS + 5)


def test_a_number_taken_but_not_written_yet_holds_nothing_back_when_nothing_follows() -> None:
    circuit = Circuit({1: message(1)}, taken_only=[2])

    assert next_after(circuit, "demo", 1, NOW_MS, DEADLINE) is None
    assert circuit.voided == []


def test_messages_past_their_ttl_are_passed() -> None:
    circuit = Circuit({2: message(2, expires_at=NOW_MS // 1000 - 1), 3: message(3)})

    assert next_after(circuit, "demo", 1, NOW_MS, DEADLINE) == message(3)


def test_without_a_cursor_the_oldest_pending_waits_for_fresh_holes_below_it() -> None:
    fresh = Circuit({1: message(1, state=REPLIED), 3: message(3, age_ms=100)})
    settled = Circuit({1: message(1, state=REPLIED, age_ms=GRACE_MS * 3), 3: message(3, age_ms=GRACE_MS + 1)})
    first = Circuit({1: message(1, age_ms=100)})
    lower_missing = Circuit({2: message(2, age_ms=100)})

    assert first_pending(fresh, "demo", NOW_MS, DEADLINE) is None
    assert first_pending(settled, "demo", NOW_MS, DEADLINE) == message(3, age_ms=GRACE_MS + 1)
    assert first_pending(first, "demo", NOW_MS, DEADLINE) == message(1, age_ms=100)
    assert first_pending(lower_missing, "demo", NOW_MS, DEADLINE) is None  # number 1 may still come


def test_without_a_cursor_a_message_written_just_after_the_index_was_read_comes_first() -> None:
    """Number 1 is taken first and written second: the index shows only number 2, the read below it finds 1."""
    circuit = Circuit({2: message(2, age_ms=50)}, late={1: message(1, age_ms=100)})

    assert first_pending(circuit, "demo", NOW_MS, DEADLINE) == message(1, age_ms=100)

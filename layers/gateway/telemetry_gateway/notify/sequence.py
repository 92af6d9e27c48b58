"""Reading a circuit in sequence order, although sequence numbers are taken before their messages are
written (an atomic counter, so concurrent Dispatches never contend).

A number taken but not yet written is a hole. A reader never passes a hole that its Dispatch may still
fill: the message above it must be older than GRACE first, and a Dispatch that has not written its number
within WRITE_CUTOFF takes a new one. A reader that passes a hole after a cursor closes it with a void item
(a conditional put: exactly one of the void and the late message wins), so a message is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from telemetry_gateway.notify.records import PENDING, VOID, Message

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline

WRITE_CUTOFF_SECONDS = 2.0  # a Dispatch writes its number within this, or takes another one
GRACE_MS = 10_000  # above WRITE_CUTOFF plus one request's worst case (5 s read timeout) and clock skew
MAX_VOIDS = 25  # holes closed by one read; a reader continues on its next poll


class Slots(Protocol):
    def last_taken(self, circuit: str, deadline: Deadline) -> int: ...

    def slot(self, circuit: str, seq: int, deadline: Deadline) -> Message | None: ...

    def slots(self, circuit: str, seq: int, deadline: Deadline, *, after: bool) -> Iterator[Message]: ...

    def void(self, circuit: str, seq: int, expires_at: int, deadline: Deadline) -> Message | None: ...

    def oldest_pending(self, circuit: str, now_ms: int, deadline: Deadline) -> Message | None: ...


def readable(slot: Message, now_s: int) -> bool:
    return slot.state != VOID and slot.expires_at > now_s


def next_after(store: Slots, circuit: str, cursor: int, now_ms: int, deadline: Deadline) -> Message | None:
    """The first live message above `cursor`, in any state, once every number below it is settled; None
    while there is none yet (or a hole below it may still be filled).

    Point reads: an idle poll costs one read of the small head item, a new message one more."""
    now_s = now_ms // 1000
    taken = store.last_taken(circuit, deadline)
    expected = cursor + 1
    for _ in range(MAX_VOIDS):
        if expected > taken:
            return None
        slot = store.slot(circuit, expected, deadline)
        if slot is None:  # a hole: judged by the first number written above it, taken no earlier
            later = next(store.slots(circuit, expected, deadline, after=True), None)
            if later is None or now_ms - later.allocated_ms <= GRACE_MS:
                return None
            for hole in range(expected, min(later.seq, expected + MAX_VOIDS)):
                written = store.void(circuit, hole, later.expires_at, deadline)
                if written is not None and readable(written, now_s):
                    return written
            if later.seq > expected + MAX_VOIDS:
                return None
            slot = later
        if readable(slot, now_s):
            return slot
        expected = slot.seq + 1
    return None  # a long run of voids or expired messages: the next poll continues


def first_pending(store: Slots, circuit: str, now_ms: int, deadline: Deadline) -> Message | None:
    """The oldest pending message, unless a number below it may still be written (then None, for now).

    The index is read before the numbers below: a message written in between is found by the second read,
    and being older, it is the one delivered."""
    pending = store.oldest_pending(circuit, now_ms, deadline)
    if pending is None:
        return None
    upper, expected = pending, pending.seq - 1
    below = store.slots(circuit, pending.seq, deadline, after=False)
    while now_ms - upper.allocated_ms <= GRACE_MS:  # below a settled number everything is settled
        slot = next(below, None)
        if slot is None:
            return None if expected >= 1 else pending
        if slot.seq < expected:  # a hole under a fresh number: its message may still come
            return None
        if slot.state == PENDING and slot.deadline_ms > now_ms:
            pending = slot
        upper, expected = slot, slot.seq - 1
    return pending

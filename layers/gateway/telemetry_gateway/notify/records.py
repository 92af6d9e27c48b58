"""What the mailbox holds: messages (state, Client headers and body) and replies, stored apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PENDING = "pending"
REPLIED = "replied"
EXPIRED = "expired"
# A sequence number whose Dispatch never wrote its message: closed by a listener so that nobody writes it
# later, and skipped by every reader.
VOID = "void"


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def epoch_seconds(moment: datetime) -> int:
    return int(moment.timestamp())


@dataclass(frozen=True)
class Message:
    """A Client's message on its circuit, and its state (pending, replied, expired, void)."""

    circuit: str
    seq: int  # the circuit's arrival order; all cursor logic uses it
    message_id: str
    user: str
    arrived_at: str  # ISO 8601 UTC
    deadline_ms: int  # arrival + dispatch wait window
    expires_at: int  # epoch seconds: the TTL of the message, its id item and its reply
    allocated_ms: int  # when its Dispatch took the sequence number (epoch ms)
    state: str
    headers: tuple[str, ...]  # "Name: value", as received, minus the ones the gateway does not keep
    body: bytes  # exactly as received

    def state_at(self, now: datetime) -> str:
        """A pending message past its deadline counts as expired everywhere, marked or not."""
        if self.state == PENDING and epoch_ms(now) >= self.deadline_ms:
            return EXPIRED
        return self.state


@dataclass(frozen=True)
class Reply:
    """A Master's reply: sanitised header lines and the data, relayed to the waiting Client."""

    headers: tuple[str, ...]  # sanitised "Name: value" lines
    data: bytes


@dataclass(frozen=True)
class Located:
    """Where a message id points within its circuit."""

    seq: int
    expires_at: int

"""The notify mailbox table: per circuit a sequence counter, messages and replies; id items; process counters.

Keys (pk / sk):
- `circuit#<name>` / `head`: `lastSeq`, the circuit's last sequence number taken (an atomic counter);
- `circuit#<name>` / `m#<seq, 20 digits>`: a message; `pendingSeq` while pending (the sparse Pending LSI).
  A sequence number whose Dispatch never wrote it is closed by a listener with a `void` item there;
- `circuit#<name>` / `r#<seq, 20 digits>`: its reply, a separate item so that a Dispatch polls a small one;
- `id#<message id>` / `id`: the message's circuit and sequence number (id uniqueness and lookup by id);
- `server#<name>` / `processes`: the last process number handed out for that server name.
Messages, replies, voids and id items carry `expiresAt` (TTL); reads treat them as absent once it has
passed, because DynamoDB deletes lazily and moto never does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from telemetry_gateway.notify.records import EXPIRED, PENDING, REPLIED, VOID, Located, Message, Reply
from telemetry_gateway.storage.errors import ConditionFailed, Conflict, Item, TransactionCancelled
from telemetry_gateway.storage.table import ABSENT, Table

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline

PENDING_INDEX = "Pending"
_PAGE = 4  # the slot a reader looks for is usually the first of the page; holes page on as needed


class SequenceVoided(Conflict):
    """A listener closed this sequence number before the message was written: take another one."""


class IdTaken(Conflict):
    pass


class ReplyRefused(Conflict):
    """The message was not pending before its deadline; `state` is what it holds (None: gone)."""

    def __init__(self, state: str | None) -> None:
        super().__init__(f"message is {state}")
        self.state = state


def circuit_pk(circuit: str) -> str:
    return f"circuit#{circuit}"


def message_sk(seq: int) -> str:
    return f"m#{seq:020d}"


def reply_sk(seq: int) -> str:
    return f"r#{seq:020d}"


def _key(pk: str, sk: str) -> dict[str, str]:
    return {"pk": pk, "sk": sk}


def _message_values(message: Message) -> dict[str, Any]:
    return {
        **_key(circuit_pk(message.circuit), message_sk(message.seq)),
        "circuit": message.circuit,
        "seq": message.seq,
        "pendingSeq": message.seq,
        "messageId": message.message_id,
        "user": message.user,
        "arrivedAt": message.arrived_at,
        "allocatedMs": message.allocated_ms,
        "deadlineMs": message.deadline_ms,
        "expiresAt": message.expires_at,
        "state": message.state,
        "headers": list(message.headers),
        "body": message.body,
    }


def _message(values: Item) -> Message:
    """A message or a void, as stored."""
    return Message(
        circuit=values["circuit"],
        seq=int(values["seq"]),
        message_id=values.get("messageId", ""),
        user=values.get("user", ""),
        arrived_at=values.get("arrivedAt", ""),
        deadline_ms=int(values.get("deadlineMs", 0)),
        expires_at=int(values["expiresAt"]),
        allocated_ms=int(values.get("allocatedMs", 0)),
        state=values["state"],
        headers=tuple(values.get("headers", ())),
        body=bytes(values.get("body", b"")),
    )


class MailboxStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def take_process_number(self, server: str, deadline: Deadline) -> int:
        """The next process number of `server`, never reused."""
        return self._count(_key(f"server#{server}", "processes"), "lastProcess", deadline)

    def take_sequence(self, circuit: str, deadline: Deadline) -> int:
        """The circuit's next sequence number. An atomic ADD never loses to a concurrent Dispatch: DynamoDB
        serialises updates of one item, where a transaction on it would be refused instead."""
        return self._count(_key(circuit_pk(circuit), "head"), "lastSeq", deadline)

    def _count(self, key: dict[str, str], attribute: str, deadline: Deadline) -> int:
        """One atomic ADD of 1 to a counter attribute; its new value."""
        updated = self.table.update(
            key, deadline, update="ADD #n :one", names={"#n": attribute}, values={":one": 1}, returns="UPDATED_NEW"
        )
        return int(updated[attribute])

    def write(self, message: Message, deadline: Deadline) -> None:
        """The message at its sequence number and its id item, both only where nothing is yet. Raises
        SequenceVoided when a listener closed the number first, IdTaken when the id is in use. A write that
        landed although its answer was lost (a timeout, then the retry) counts as written."""
        try:
            self.table.transact(
                [
                    self.table.put_write(_message_values(message), ABSENT),
                    self.table.put_write(
                        {
                            **_key(f"id#{message.message_id}", "id"),
                            "circuit": message.circuit,
                            "seq": message.seq,
                            "expiresAt": message.expires_at,
                        },
                        ABSENT,
                    ),
                ],
                deadline,
            )
        except TransactionCancelled as cancelled:
            standing = cancelled.reasons[0] if cancelled.reasons else None
            if standing and standing.get("messageId") == message.message_id:
                return
            if cancelled.failed(0):
                raise SequenceVoided(message.seq) from cancelled
            raise IdTaken(message.message_id) from cancelled

    def void(self, circuit: str, seq: int, expires_at: int, deadline: Deadline) -> Message | None:
        """Close a sequence number nobody wrote, so nobody writes it later. Returns the message when its
        Dispatch wrote it after all (then it is delivered, not skipped)."""
        values = {
            **_key(circuit_pk(circuit), message_sk(seq)),
            "circuit": circuit,
            "seq": seq,
            "state": VOID,
            "expiresAt": expires_at,
        }
        try:
            self.table.put(values, deadline, condition=ABSENT)
        except ConditionFailed as failed:
            return _message(failed.item)
        return None

    def locate(self, circuit: str, message_id: str, now_s: int, deadline: Deadline) -> Located | None:
        """Where `message_id` lives in this circuit; None if it is another circuit's or past its TTL."""
        item = self.table.get(_key(f"id#{message_id}", "id"), deadline)
        if item is None or item["circuit"] != circuit or int(item["expiresAt"]) <= now_s:
            return None
        return Located(seq=int(item["seq"]), expires_at=int(item["expiresAt"]))

    def last_taken(self, circuit: str, deadline: Deadline) -> int:
        """The circuit's last sequence number taken (0 before the first): a small item, the cheap poll."""
        head = self.table.get(_key(circuit_pk(circuit), "head"), deadline)
        return int((head or {}).get("lastSeq", 0))

    def slot(self, circuit: str, seq: int, deadline: Deadline) -> Message | None:
        """What is stored at one sequence number (a message or a void), strongly consistent."""
        values = self.table.get(_key(circuit_pk(circuit), message_sk(seq)), deadline)
        return _message(values) if values is not None else None

    def slots(self, circuit: str, seq: int, deadline: Deadline, *, after: bool) -> Iterator[Message]:
        """The stored sequence numbers (messages and voids, live or not) above `seq` in ascending order, or
        below it in descending order, strongly consistent, a page at a time as the caller reads."""
        bounds = (message_sk(seq + 1), "m#" + "9" * 20) if after else ("m#", message_sk(seq - 1))
        for values in self.table.query(
            deadline,
            key="pk = :pk AND sk BETWEEN :low AND :high",
            values={":pk": circuit_pk(circuit), ":low": bounds[0], ":high": bounds[1]},
            forward=after,
            consistent=True,
            page_size=_PAGE,
        ):
            yield _message(values)

    def oldest_pending(self, circuit: str, now_ms: int, deadline: Deadline) -> Message | None:
        """The lowest-sequence message still pending before its deadline, through the sparse index."""
        entries = self.table.query(
            deadline,
            key="pk = :pk",
            values={":pk": circuit_pk(circuit), ":now": now_ms},
            index=PENDING_INDEX,
            filter="deadlineMs > :now",
            consistent=True,
            page_size=_PAGE,
        )
        entry = next(entries, None)
        if entry is None:
            return None
        item = self.table.get(_key(entry["pk"], entry["sk"]), deadline)
        return _message(item) if item is not None else None

    def reply(self, circuit: str, seq: int, deadline: Deadline) -> Reply | None:
        """The reply item: small, so polling for it costs the minimum read while it is absent."""
        values = self.table.get(_key(circuit_pk(circuit), reply_sk(seq)), deadline)
        if values is None:
            return None
        return Reply(headers=tuple(values["headers"]), data=bytes(values["data"]))

    def store_reply(
        self, circuit: str, located: Located, reply: Reply, now_ms: int, replied_at: str, deadline: Deadline
    ) -> None:
        """pending → replied and the reply item, in one transaction. Raises ReplyRefused."""
        reply_item = {
            **_key(circuit_pk(circuit), reply_sk(located.seq)),
            "headers": list(reply.headers),
            "data": reply.data,
            "repliedAt": replied_at,
            "expiresAt": located.expires_at,
        }
        try:
            self.table.transact(
                [
                    self.table.update_write(
                        _key(circuit_pk(circuit), message_sk(located.seq)),
                        "SET #s = :replied REMOVE pendingSeq",
                        "#s = :pending AND deadlineMs > :now",
                        names={"#s": "state"},
                        values={":replied": REPLIED, ":pending": PENDING, ":now": now_ms},
                    ),
                    self.table.put_write(reply_item, ABSENT),
                ],
                deadline,
            )
        except TransactionCancelled as cancelled:
            if cancelled.failed(1):
                raise ReplyRefused(REPLIED) from cancelled
            message = cancelled.reasons[0]
            raise ReplyRefused(str(message["state"]) if message else None) from cancelled

    def expire(self, circuit: str, seq: int, deadline: Deadline) -> str | None:
        """pending → expired, if still pending. Returns the state the message ends in (None: gone)."""
        try:
            self.table.update(
                _key(circuit_pk(circuit), message_sk(seq)),
                deadline,
                update="SET #s = :expired REMOVE pendingSeq",
                condition="#s = :pending",
                names={"#s": "state"},
                values={":expired": EXPIRED, ":pending": PENDING},
            )
        except ConditionFailed as failed:
            return str(failed.item["state"]) if failed.item else None
        return EXPIRED

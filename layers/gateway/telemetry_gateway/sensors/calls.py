"""What a sensor route hands its use case: the parsed request and what it may use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from google.protobuf.message import Message

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.sensors.records import ClientRecord
    from telemetry_gateway.sensors.store import SensorStore


@dataclass(frozen=True)
class SensorCall[M: Message]:
    """A parsed sensor request: namespace, client id from the path, the decoded message, its time."""

    namespace: str
    client_id: int | None  # from the path of a signed route, checked for form only
    message: M
    received: datetime  # receive time, on the injected clock
    store: SensorStore
    deadline: Deadline


@dataclass(frozen=True)
class SignedCall[M: Message](SensorCall[M]):
    """A sensor request whose signature and message id were accepted for `client`."""

    client: ClientRecord  # signature verified, this message's id consumed in the replay window

"""What SUSE's Go telemetry client does on the wire, in Python, over any transport.

It follows the reference client's rules: only 200 and 401 are not final for a report; a 401's
WWW-Authenticate is split on whitespace and must read `Bearer realm="suse-telemetry-service" scope=...`;
scope="authenticate" re-authenticates with the pipe registration hash, scope="register" registers again.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# (method, path, body, headers) -> (status, headers with lower-case names, body)
Transport = Callable[[str, str, bytes, dict[str, str]], tuple[int, dict[str, list[str]], bytes]]


class ClientGaveUp(Exception):
    """The reference client would drop the report here."""


def parse_challenge(values: list[str]) -> str:
    """The client's own check of WWW-Authenticate; returns the scope or raises."""
    if len(values) != 1:
        raise ClientGaveUp(f"expected one WWW-Authenticate header, got {values!r}")
    fields = values[0].split()
    if len(fields) != 3 or fields[0] != "Bearer" or fields[1] != 'realm="suse-telemetry-service"':
        raise ClientGaveUp(f"unusable challenge {values[0]!r}")
    if not fields[2].startswith("scope="):
        raise ClientGaveUp(f"no scope in {values[0]!r}")
    return fields[2].removeprefix("scope=").strip('"')


@dataclass
class ReferenceClient:
    send: Transport
    base: str = "/telemetry/"  # the reference default ends in a slash: requests go to //register
    client_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    system_uuid: str = ""
    timestamp: str = "2024-08-01T00:01:02.000000Z"
    registration_id: int | None = None
    token: str | None = None

    def _post(self, route: str, payload: Any, headers: dict[str, str] | None = None) -> tuple[int, Any, Any]:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        status, response_headers, raw = self.send(
            "POST", self.base + "/" + route, body, {"Content-Type": "application/json", **(headers or {})}
        )
        return status, response_headers, json.loads(raw) if raw else None

    def register(self) -> dict[str, Any]:
        registration = {"clientId": self.client_id, "systemUUID": self.system_uuid, "timestamp": self.timestamp}
        status, _, body = self._post("register", {"clientRegistration": registration})
        if status == 409:
            self.timestamp = self.timestamp.replace("Z", "1Z")  # a fresh timestamp, then one retry
            registration["timestamp"] = self.timestamp
            status, _, body = self._post("register", {"clientRegistration": registration})
        if status != 200:
            raise ClientGaveUp(f"register answered {status}: {body}")
        self.registration_id, self.token = body["registrationId"], body["authToken"]
        return dict(body)

    def authenticate(self) -> int:
        text = f"{self.client_id}|{self.system_uuid}|{self.timestamp}"
        reg_hash = {"method": "sha256", "value": hashlib.sha256(text.encode()).hexdigest()}
        status, _, body = self._post("authenticate", {"registrationId": self.registration_id, "regHash": reg_hash})
        if status == 200:
            self.token = body["authToken"]
        return status

    def report(self, body: bytes, attempts: int = 3) -> dict[str, Any]:
        for _ in range(attempts):
            status, headers, answer = self._post(
                "report",
                body,
                {"Authorization": f"Bearer {self.token}", "X-Telemetry-Registration-Id": str(self.registration_id)},
            )
            if status == 200:
                return dict(answer)
            if status != 401:
                raise ClientGaveUp(f"report answered {status}: {answer}")
            if parse_challenge(headers.get("www-authenticate", [])) == "authenticate" and self.authenticate() == 200:
                continue
            self.register()
        raise ClientGaveUp("no attempts left")

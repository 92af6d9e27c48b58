"""HTTP/1.1 by hand over a real socket, for tests of framing that well-behaved clients never send."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT = 10  # seconds; a server that hangs fails the test instead of stalling the suite


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lowercase names
    body: bytes


class RawConnection:
    """One TCP connection: send bytes as given, read responses one at a time (so pipelining works)."""

    def __init__(self, url: str) -> None:
        split = urlsplit(url)
        self.sock = socket.create_connection((split.hostname, split.port), timeout=TIMEOUT)
        self.reader = self.sock.makefile("rb")

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def response(self, head_only: bool = False) -> Response:
        status_line = self.reader.readline()
        if not status_line:
            raise EOFError("the server closed the connection without answering")
        headers: dict[str, str] = {}
        while (line := self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if head_only else int(headers.get("content-length", "0"))
        return Response(int(status_line.split()[1]), headers, self.reader.read(length))

    def closed_by_server(self) -> bool:
        """Whether the server closes its side: EOF arrives (a hang raises socket.timeout instead)."""
        return self.reader.read() == b""

    def close(self) -> None:
        self.reader.close()
        self.sock.close()

    def __enter__(self) -> RawConnection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

"""The notify error vocabulary: every refusal of spec section 9, as the exact line the caller sees."""

from __future__ import annotations

from collections.abc import Mapping


class NotifyError(Exception):
    """A refusal: `line` is the whole body without its `\\n`; `headers` are added to the response."""

    def __init__(self, status: int, line: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(line)
        self.status = status
        self.line = line
        self.headers = dict(headers or {})


def invalid_credentials() -> NotifyError:
    """Dispatch: unknown, revoked or malformed KA or KC; the body does not say which."""
    return NotifyError(403, "Forbidden: invalid credentials")


def referer_mismatch() -> NotifyError:
    return NotifyError(403, "Forbidden: Referer does not match the endpoint URL")


def invalid_secret() -> NotifyError:
    return NotifyError(403, "Forbidden: invalid secret")


def payload_too_large(limit: int) -> NotifyError:
    return NotifyError(413, f"Payload Too Large: limit is {limit} bytes")


def missing_id() -> NotifyError:
    return NotifyError(400, "Bad Request: missing id")


def invalid_header_line(number: int) -> NotifyError:
    return NotifyError(400, f"Bad Request: invalid reply header line {number}")


def unknown_message() -> NotifyError:
    return NotifyError(404, "Not Found: unknown message id")


def already_answered() -> NotifyError:
    return NotifyError(409, "Conflict: message already answered")


def message_expired() -> NotifyError:
    return NotifyError(410, "Gone: message expired")


def no_message(window_seconds: int) -> NotifyError:
    return NotifyError(502, f"Bad Gateway: no message arrived within {window_seconds} seconds; listen again")


def no_reply(window_seconds: int, message_id: str) -> NotifyError:
    return NotifyError(
        504,
        f"Gateway Timeout: no reply from the Master within {window_seconds} seconds",
        {"X-Message-Id": message_id},
    )

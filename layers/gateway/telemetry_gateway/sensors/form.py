"""The upload route's multipart/form-data body (section 10): the part named `payload`, other parts ignored.

Parsed by `multipart` (a maintained, pure-Python parser), never by hand; a part over the size limit stops
the parser before it is buffered whole.
"""

from __future__ import annotations

import multipart

from telemetry_gateway.sensors.errors import invalid, too_large, undecodable

PAYLOAD = "payload"


def payload(body: bytes, content_type: str | None, limit: int) -> bytes:
    """The `payload` part's bytes; 400 when the body is not multipart or has no such part, 413 over `limit`."""
    kind, options = multipart.parse_options_header(content_type or "")
    boundary = options.get("boundary")
    if kind != "multipart/form-data" or not boundary:
        raise undecodable()
    found: bytearray | None = None
    current: bytearray | None = None
    try:
        with multipart.PushMultipartParser(boundary, len(body), max_segment_size=limit) as parser:
            for event in parser.parse(body):
                if isinstance(event, multipart.MultipartSegment):
                    current = bytearray() if event.name == PAYLOAD and found is None else None
                elif event is None:
                    found = current if current is not None else found
                    current = None
                elif current is not None:
                    current += event
    except multipart.ParserLimitReached:
        raise too_large("payload too large") from None
    except multipart.MultipartError:
        raise undecodable() from None
    if found is None:
        raise invalid("missing payload part")
    return bytes(found)

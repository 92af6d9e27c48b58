"""Request body decoding for /report (spec section 8.2 steps 2-3), safe against zip bombs."""

import re
import zlib

from telemetry_gateway.telemetry.errors import TelemetryError

_GZIP_MAGIC = b"\x1f\x8b"
_STARTS_AS_JSON_OBJECT = re.compile(rb"[ \t\r\n]*\{")
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


def decode_body(raw: bytes, content_encoding: str | None, max_bytes: int) -> bytes:
    """The report bytes after any Content-Encoding, never holding more than `max_bytes` + 1 of them.

    A body that is not compressed but starts like a JSON object is taken as already decoded by the
    front door, which may leave the Content-Encoding header in place.
    """
    encoding = (content_encoding or "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        if raw.startswith(_GZIP_MAGIC):
            decoded = _inflate(raw, _GZIP_WBITS, max_bytes, members=True)
        elif _STARTS_AS_JSON_OBJECT.match(raw):
            decoded = raw
        else:
            raise _decompress_failed()
    elif encoding == "deflate":
        if _has_zlib_header(raw):
            decoded = _inflate(raw, _ZLIB_WBITS, max_bytes, members=False)
        elif _STARTS_AS_JSON_OBJECT.match(raw):
            decoded = raw
        else:
            decoded = _inflate(raw, _RAW_DEFLATE_WBITS, max_bytes, members=False)
    else:
        decoded = raw
    if len(decoded) > max_bytes:
        raise _too_large()
    return decoded


def _has_zlib_header(data: bytes) -> bool:
    """RFC 1950: deflate method, window <= 32 KiB, and the header check bits."""
    if len(data) < 2:
        return False
    cmf, flg = data[0], data[1]
    return cmf & 0x0F == 8 and cmf >> 4 <= 7 and (cmf * 256 + flg) % 31 == 0


def _inflate(data: bytes, wbits: int, max_bytes: int, *, members: bool) -> bytes:
    """Inflate one stream, or consecutive gzip members when `members` is set.

    Each call to zlib is capped at what is still allowed plus one byte, so a bomb stops at the cap.
    """
    out = bytearray()
    pending = data
    try:
        while True:
            stream = zlib.decompressobj(wbits)
            while not stream.eof:
                room = max_bytes + 1 - len(out)
                if room <= 0:
                    raise _too_large()
                chunk = stream.decompress(pending, room)
                pending = stream.unconsumed_tail
                if not chunk and not pending:
                    raise _decompress_failed()  # truncated stream
                out += chunk
            pending = stream.unused_data
            if not (members and pending):
                return bytes(out)
    except zlib.error as exc:
        raise _decompress_failed() from exc


def _decompress_failed() -> TelemetryError:
    return TelemetryError(400, "Failed to decompress request body")


def _too_large() -> TelemetryError:
    return TelemetryError(413, "request body too large")

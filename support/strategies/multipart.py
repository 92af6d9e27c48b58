"""`multipart/form-data` bodies as the legacy sensor clients send uploads (a `payload` part, filename `data`,
`application/octet-stream`), and as broken clients send them: other parts, a repeated or missing
`payload`, a boundary that never closes or does not match the header, bare LF line breaks, odd part
headers. Built for the sensor upload route (`data/upload/{upload_token}`); any route can be fed them."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from support.strategies.http import header_values

_BOUNDARY_CHARACTERS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?"


@dataclass(frozen=True)
class Part:
    name: str | None  # None: no name parameter at all
    data: bytes
    filename: str | None = "data"
    content_type: str | None = "application/octet-stream"


@dataclass(frozen=True)
class Multipart:
    """A body and the Content-Type header that goes with it (its boundary may not match on purpose)."""

    content_type: str
    body: bytes


def encode(parts: list[Part], boundary: str, *, newline: bytes = b"\r\n", closed: bool = True) -> bytes:
    """RFC 7578 encoding of `parts`; `closed=False` leaves out the closing delimiter."""
    out = bytearray()
    for part in parts:
        out += b"--" + boundary.encode() + newline
        disposition = "form-data"
        if part.name is not None:
            disposition += f'; name="{part.name}"'
        if part.filename is not None:
            disposition += f'; filename="{part.filename}"'
        out += f"Content-Disposition: {disposition}".encode() + newline
        if part.content_type is not None:
            out += f"Content-Type: {part.content_type}".encode() + newline
        out += newline + part.data + newline
    if closed:
        out += b"--" + boundary.encode() + b"--" + newline
    return bytes(out)


# RFC 2045 tspecials, plus `'` (RFC 2231 parameter syntax, which some parsers apply to unquoted values).
_QUOTE_WHEN = frozenset("()<>@,;:\\\"/[]?='")


def content_type(boundary: str) -> str:
    """The header for `boundary`, quoted where a parser needs it (tspecials, or an apostrophe)."""
    quoted = f'"{boundary}"' if _QUOTE_WHEN & set(boundary) else boundary
    return f"multipart/form-data; boundary={quoted}"


def boundaries() -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(_BOUNDARY_CHARACTERS), min_size=1, max_size=70).filter(lambda b: not b.endswith(" "))


def parts(payloads: st.SearchStrategy[bytes]) -> st.SearchStrategy[list[Part]]:
    """The `payload` part (sometimes absent or twice) among others."""
    payload = st.builds(
        Part,
        st.just("payload"),
        payloads,
        st.one_of(st.just("data"), st.none(), st.text(max_size=12)),
        st.one_of(st.just("application/octet-stream"), st.none(), header_values(max_size=30)),
    )
    other = st.builds(
        Part,
        st.one_of(st.none(), st.sampled_from(["meta", "Payload", "payload ", ""]), st.text(max_size=10)),
        st.binary(max_size=32),
        st.one_of(st.none(), st.text(max_size=10)),
        st.one_of(st.none(), st.just("text/plain")),
    )
    return st.lists(st.one_of(payload, other), max_size=4)


def bodies(payloads: st.SearchStrategy[bytes] | None = None) -> st.SearchStrategy[Multipart]:
    """Upload bodies: well-formed most of the time, else with one thing wrong."""
    payload_bytes = payloads if payloads is not None else st.binary(max_size=256)

    @st.composite
    def build(draw: st.DrawFn) -> Multipart:
        boundary = draw(boundaries())
        flaw = draw(
            st.sampled_from(["none", "none", "none", "unclosed", "lf", "other-boundary", "no-boundary", "quoted"])
        )
        newline = b"\n" if flaw == "lf" else b"\r\n"
        body = encode(draw(parts(payload_bytes)), boundary, newline=newline, closed=flaw != "unclosed")
        declared = {
            "other-boundary": content_type(boundary + "x"),
            "no-boundary": "multipart/form-data",
            "quoted": f'multipart/form-data; boundary="{boundary}"',
        }.get(flaw, content_type(boundary))
        return Multipart(declared, body)

    return build()

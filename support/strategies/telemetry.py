"""Telemetry Client API input: /register, /authenticate and /report bodies shaped like the real ones and then
broken, the report's authorisation headers (sometimes the real credentials, so the body is reached), and
Content-Encoding with bodies that do or do not match it."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from functools import cache

from hypothesis import strategies as st

from support.strategies.documents import Document, json_bodies, mutated, strings, values, weighted
from support.strategies.http import Headers, extra_headers, header_values, mutated_bytes, spelled


@cache
def _uuids() -> st.SearchStrategy[Document]:
    """UUIDs most of the time (so whole reports validate), else near misses and anything."""
    return weighted(
        (12, st.uuids().map(str)),
        (2, st.uuids().map(lambda u: str(u).upper())),
        (
            1,
            st.sampled_from(
                ["", "not-a-uuid", "6ba7b810-9dad-41d1-80b4-00c04fd430c", "{6ba7b810-9dad-41d1-80b4-00c04fd430c8}"]
            ),
        ),
        (1, strings()),
    )


@cache
def _timestamps() -> st.SearchStrategy[Document]:
    return weighted(
        (4, st.datetimes().map(lambda t: t.isoformat() + "Z")),
        (2, st.sampled_from(["2025-07-30T10:00:00.123456789Z", "2024-08-01T00:01:02.000000Z", "yesterday"])),
        (1, strings()),
    )


@cache
def _annotations() -> st.SearchStrategy[Document]:
    tags = st.one_of(st.sampled_from(["", "DEVTEST", "name=value", "a=b=c"]), strings(max_size=12))
    return st.one_of(st.none(), st.lists(tags, max_size=3))


@cache
def _checksums() -> st.SearchStrategy[Document]:
    return st.one_of(
        st.just(""),
        st.just(""),
        st.text("0123456789abcdef", min_size=32, max_size=32),
        st.text("0123456789ABCDEF", min_size=32, max_size=32),
        strings(max_size=34),
    )


@cache
def _footer() -> st.SearchStrategy[Document]:
    return st.fixed_dictionaries({}, optional={"checksum": _checksums()})


@cache
def _item() -> st.SearchStrategy[Document]:
    header = st.fixed_dictionaries(
        {
            "telemetryId": _uuids(),
            "telemetryTimeStamp": _timestamps(),
            "telemetryType": weighted((3, st.just("SLE-SERVER-SCCHwInfo")), (1, strings(max_size=12))),
        },
        optional={"telemetryAnnotations": _annotations()},
    )
    data = weighted((1, st.just({"version": 1, "data": {}})), (2, values(max_leaves=8)))
    return st.fixed_dictionaries({"header": header, "telemetryData": data}, optional={"footer": _footer()})


@cache
def _bundle() -> st.SearchStrategy[Document]:
    header = st.fixed_dictionaries(
        {"bundleId": _uuids(), "bundleTimeStamp": _timestamps(), "bundleClientId": _uuids()},
        optional={
            "bundleCustomerId": st.one_of(st.sampled_from(["", " AnoNymous ", "acme"]), strings(max_size=10)),
            "bundleAnnotations": _annotations(),
        },
    )
    return st.fixed_dictionaries(
        {"header": header, "telemetryDataItems": st.lists(_item(), min_size=1, max_size=3)},
        optional={"footer": _footer()},
    )


@cache
def report_documents() -> st.SearchStrategy[Document]:
    """Reports with the spec's structure (section 8.3), valid more often than not, then mutated."""
    header = st.fixed_dictionaries(
        {"reportId": _uuids(), "reportTimeStamp": _timestamps(), "reportClientId": _uuids()},
        optional={"reportAnnotations": _annotations()},
    )
    report = st.fixed_dictionaries(
        {"header": header, "telemetryBundles": st.lists(_bundle(), min_size=1, max_size=3)},
        optional={"footer": _footer()},
    )
    return mutated(report)


@cache
def register_documents() -> st.SearchStrategy[Document]:
    """/register bodies (section 5): the triple, usually complete, with nulls, absences (by mutation),
    long strings and wrong types."""
    registration = st.fixed_dictionaries(
        {
            "clientId": weighted((6, _uuids()), (1, st.none())),
            "systemUUID": weighted((3, _uuids()), (1, st.just("")), (1, st.none())),
            "timestamp": weighted((6, _timestamps()), (1, st.none())),
        }
    )
    document = weighted(
        (8, st.fixed_dictionaries({"clientRegistration": registration})),
        (1, st.just({})),
        (1, st.just({"clientRegistration": None})),
    )
    return mutated(document)


@cache
def authenticate_documents(
    registration_ids: tuple[int, ...] = (), hashes: tuple[str, ...] = ()
) -> st.SearchStrategy[Document]:
    """/authenticate bodies (section 6); with `registration_ids` and `hashes` most of them name a real
    registration, and many prove it."""
    ids = weighted(
        (1, st.sampled_from([0, -1, 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64])),
        (1, st.integers()),
        *([(4, st.sampled_from(registration_ids))] if registration_ids else []),
    )
    values_ = weighted(
        (1, st.text("0123456789abcdef", min_size=64, max_size=64)),
        (1, st.text("0123456789abcdef", min_size=128, max_size=128)),
        (1, strings(max_size=130)),
        *([(4, st.sampled_from(hashes)), (1, st.sampled_from(hashes).map(str.upper))] if hashes else []),
    )
    method = weighted(
        (4, st.sampled_from(["sha256", "sha512"])), (1, st.sampled_from(["SHA256", "md5", ""])), (1, strings(8))
    )
    proofs = [{"method": "sha256" if len(value) == 64 else "sha512", "value": value} for value in hashes]
    reg_hash = weighted(
        (2, st.fixed_dictionaries({"method": method, "value": values_})),
        *([(2, st.sampled_from(proofs))] if proofs else []),
    )
    return mutated(st.fixed_dictionaries({"registrationId": ids, "regHash": reg_hash}))


def bodies(documents: st.SearchStrategy[Document]) -> st.SearchStrategy[bytes]:
    """Documents as request bodies (see `documents.json_bodies`)."""
    return json_bodies(documents)


# ---------------------------------------------------------------- /report headers and encodings


def _forged_tokens(token: str) -> st.SearchStrategy[str]:
    """Tokens that look right and are not: another algorithm, `none`, a changed claim, a cut signature."""
    header, claims, signature = ([*token.split("."), "", "", ""])[:3]

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    none_header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return st.sampled_from(
        [
            f"{none_header}.{claims}.",
            f"{header}.{claims}.",
            f"{header}.{b64(b'{}')}.{signature}",
            f"{header}.{claims}.{signature[:-2]}",
            f"{header}.{claims}",
            token + "x",
            token.swapcase(),
            "a.b.c",
            "...",
            f"{header}.{b64(b'not json')}.{signature}",
        ]
    )


def authorizations(token: str | None) -> st.SearchStrategy[str | None]:
    """Authorization values: absent, the real token in its accepted forms, broken and forged ones."""
    real = (
        [st.sampled_from([f"Bearer {token}", token, f"Bearer {token}", f"bearer {token}", f"Bearer  {token}"])]
        if token
        else []
    )
    forged = [_forged_tokens(token).map(lambda t: f"Bearer {t}")] if token else []
    return st.one_of(
        st.none(),
        *real,
        *forged,
        st.sampled_from(["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer a.b.c"]),
        header_values().map(lambda v: f"Bearer {v}"),
        header_values(),
    )


def registration_id_headers(registration_id: int | None) -> st.SearchStrategy[str | None]:
    real = (
        [st.sampled_from([str(registration_id), f"  {registration_id}\t", f"0{registration_id}"])]
        if registration_id
        else []
    )
    return st.one_of(
        st.none(),
        *real,
        st.sampled_from(["", "0", "-1", "+1", "1.0", "1e3", "0x10", str(2**63 - 1), str(2**63), "\u0661\u0662", "1 2"]),
        st.integers().map(str),
        st.integers(min_value=20, max_value=5_000).map(lambda n: "9" * n),
        header_values(),
    )


CONTENT_ENCODINGS = st.one_of(
    st.none(),
    st.sampled_from(["gzip", "x-gzip", "deflate", "identity", "GZIP", " gzip ", "Deflate", "br", "gzip, deflate", ""]),
    header_values(max_size=12),
)


@st.composite
def encoded(draw: st.DrawFn, body: bytes, encoding: str | None) -> bytes:
    """`body` as a client with this Content-Encoding might send it: compressed as declared (gzip with one
    or several members, zlib or raw deflate), already decoded by a front door, compressed wrongly or
    truncated, or random bytes."""
    how = draw(st.sampled_from(["declared"] * 14 + ["plain", "gzip", "members", "zlib", "raw", "random", "cut"]))
    declared = (encoding or "").strip().lower()
    if how == "declared":
        how = {"gzip": "gzip", "x-gzip": "gzip", "deflate": draw(st.sampled_from(["zlib", "raw"]))}.get(
            declared, "plain"
        )
    if how == "plain":
        return body
    if how == "gzip":
        return gzip.compress(body, mtime=0)
    if how == "members":
        cut = draw(st.integers(min_value=0, max_value=len(body)))
        return gzip.compress(body[:cut], mtime=0) + gzip.compress(body[cut:], mtime=0)
    if how == "zlib":
        return zlib.compress(body)
    if how == "raw":
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return compressor.compress(body) + compressor.flush()
    if how == "random":
        return draw(st.one_of(st.binary(max_size=64), st.binary(max_size=64).map(lambda b: gzip.compress(b, mtime=0))))
    compressed = gzip.compress(body, mtime=0) if declared != "deflate" else zlib.compress(body)
    return draw(mutated_bytes(st.just(compressed)))


@cache
def report_headers(token: str | None, registration_id: int | None, encoding: str | None) -> st.SearchStrategy[Headers]:
    """The report's header lines: Authorization, X-Telemetry-Registration-Id and Content-Encoding in any
    letter case (each absent at times), plus unrelated lines, sometimes a header given twice. Two times in
    three the real credentials, so that the body is read."""

    @st.composite
    def build(draw: st.DrawFn) -> Headers:
        lines: Headers = []
        real = token is not None and registration_id is not None and draw(st.sampled_from([True, True, False]))
        authorization = f"Bearer {token}" if real else draw(authorizations(token))
        identifier = str(registration_id) if real else draw(registration_id_headers(registration_id))
        for name, value in (
            ("Authorization", authorization),
            ("X-Telemetry-Registration-Id", identifier),
            ("Content-Encoding", encoding),
        ):
            if value is not None:
                lines.append((draw(spelled(name)), value))
        lines += draw(extra_headers())
        repeat = draw(st.booleans())
        if lines and repeat:
            lines.append(draw(st.sampled_from(lines)))
        return draw(st.permutations(lines))

    return build()

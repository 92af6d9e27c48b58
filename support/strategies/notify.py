"""Notify relay input: KA/KC cookies for the Dispatch path, Dispatch bodies and headers, the Masters' forms
(in the body and the query string, repeated, badly escaped), Referer values, reply header lines and
message ids. Real credentials and ids can be mixed in so that requests get past the guards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote, quote_from_bytes

from hypothesis import strategies as st

from support.strategies.documents import strings, weighted
from support.strategies.http import Headers, extra_headers, header_lines, header_values, path_segments, spelled

_URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def cookies(prefix: str, real: Sequence[str] = ()) -> st.SearchStrategy[str]:
    """A KA or KC path segment (percent-encoded): the real ones, well-formed unknown ones, the wrong
    prefix, too short or too long, and anything else."""
    other = "KC" if prefix == "KA" else "KA"
    shaped = st.text(st.sampled_from(_URLSAFE), min_size=40, max_size=128)
    return path_segments(
        weighted(
            *(
                [(6, st.sampled_from(list(real))), (1, st.sampled_from(list(real)).map(lambda s: s[:-1] + "+"))]
                if real
                else []
            ),
            (1, shaped.map(lambda s: prefix + s)),
            (1, shaped.map(lambda s: other + s)),
            (1, st.text(st.sampled_from(_URLSAFE), max_size=39).map(lambda s: prefix + s)),
            (1, st.text(st.sampled_from(_URLSAFE), min_size=129, max_size=200).map(lambda s: prefix + s)),
        )
    )


def dispatch_bodies() -> st.SearchStrategy[bytes]:
    """What a Client may POST: URL-encoded text, raw text, binary, nothing, or more than the limit."""
    return st.one_of(
        st.text(max_size=64).map(lambda t: quote(t).encode()),
        st.text(max_size=64).map(lambda t: t.encode("utf-8")),
        st.binary(max_size=64),
        st.just(b""),
        st.sampled_from([b"x" * 262_144, b"x" * 262_145]),
    )


def dispatch_headers() -> st.SearchStrategy[Headers]:
    """Client header lines, including names the relay drops or owns, and binary or text content types."""
    owned = st.sampled_from(
        ["X-Message-Id", "X-Telemetry-User", "Content-Transfer-Encoding", "Proxy-Authorization", "X-Amzn-Trace-Id"]
    )
    content_type = st.sampled_from(
        ["application/x-www-form-urlencoded", "application/octet-stream", "text/plain", "multipart/form-data"]
    )
    return st.lists(
        st.one_of(
            st.tuples(st.just("Content-Type"), content_type),
            st.tuples(owned, header_values()),
            header_lines(),
        ),
        max_size=5,
    )


def field_values(real: Sequence[str] = ()) -> st.SearchStrategy[bytes]:
    """A form field's value: often one of the `real` ones (when given), else text, bytes that are not
    UTF-8, nothing, or more than any limit."""
    return weighted(
        *([(8, st.sampled_from(list(real)).map(str.encode))] if real else []),
        (2, st.text(max_size=40).map(lambda t: t.encode("utf-8"))),
        (1, st.binary(max_size=24)),
        (1, st.just(b"")),
        (1, st.integers(min_value=257, max_value=600).map(lambda n: b"K" * n)),
    )


def _pair(name: str, value: bytes, escape: str) -> bytes:
    """One form pair, escaped the way `escape` names: properly, `+` for space, raw, or broken escapes."""
    if escape == "raw":
        return name.encode() + b"=" + value
    if escape == "broken":
        return name.encode() + b"=" + value.replace(b"%", b"%zz%") + b"%"
    encoded = quote_from_bytes(value, safe="")
    if escape == "plus":
        encoded = quote_from_bytes(value, safe=" ").replace(" ", "+")
    return quote(name, safe="").encode() + b"=" + encoded.encode()


def forms(fields: Mapping[str, st.SearchStrategy[bytes]]) -> st.SearchStrategy[bytes]:
    """An `application/x-www-form-urlencoded` body with `fields` (values drawn from their strategies), in any
    order, some repeated or missing, names now and then misspelled, with unknown fields and stray
    separators."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        pairs: list[bytes] = []
        for name, values in fields.items():
            for _ in range(draw(st.sampled_from([1] * 8 + [0, 2]))):
                spelled_name = draw(st.sampled_from([name] * 12 + [name.upper(), f" {name}"]))
                escape = draw(st.sampled_from(["proper"] * 8 + ["plus", "plus", "raw", "broken"]))
                pairs.append(_pair(spelled_name, draw(values), escape))
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
            pairs.append(draw(st.sampled_from([b"", b"=", b"&", b"novalue", b"%ff=%fe", b"a=b=c"])))
        return b"&".join(draw(st.permutations(pairs)))

    return build()


def query_strings(fields: Mapping[str, st.SearchStrategy[bytes]]) -> st.SearchStrategy[str]:
    """A query string (`?` included, or nothing) with the same fields: they count when the body lacks them."""
    return weighted((2, st.just("")), (1, forms(fields).map(lambda body: "?" + body.decode("latin-1"))))


def referers(endpoints: Sequence[str]) -> st.SearchStrategy[str | None]:
    """Referer values: the endpoint URLs written differently (case, default port, trailing slashes), other
    sites, and URLs a parser chokes on."""
    variants = [
        variant
        for url in endpoints
        for variant in (url, url.upper(), url + "/", url + "///", url.replace("http://", "HTTP://"), url + "/path")
    ]
    return weighted(
        (1, st.none()),
        *([(10, st.sampled_from(endpoints)), (3, st.sampled_from(variants))] if variants else []),
        (
            1,
            st.sampled_from(
                [
                    "",
                    "http://[abc",
                    "http://[::1",
                    "http://[::1]:99999",
                    "http://a:b@[::1",
                    "http://127.0.0.1:0",
                    "http://127.0.0.1:-1",
                    "http://\u2100/",
                    "http://exa mple.com",
                    "//127.0.0.1:3000",
                    "127.0.0.1:3000",
                    "javascript:alert(1)",
                    "http://127.0.0.1:3000?x=1",
                    "http://user@127.0.0.1:3000",
                ]
            ),
        ),
        (
            1,
            st.builds(
                lambda scheme, host, port: f"{scheme}://{host}{port}",
                st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
                st.one_of(st.sampled_from(["127.0.0.1", "localhost", "[::1]", "example.com"]), strings(max_size=12)),
                st.one_of(st.just(""), st.integers(min_value=-1, max_value=70_000).map(lambda p: f":{p}")),
            ),
        ),
        (1, header_values()),
    )


def message_ids(real: Sequence[str] = ()) -> st.SearchStrategy[str]:
    """Message ids: real ones (often, when given), well-formed unknown ones, and look-alikes."""
    well_formed = st.builds(
        lambda t, p, c, s: f"{t}.{p}_{c}.{s}",
        st.text("0123456789", min_size=14, max_size=14),
        st.integers(min_value=1, max_value=10**18),
        st.integers(min_value=1, max_value=10**18),
        st.text(st.sampled_from(_URLSAFE.replace("_", "")), min_size=1, max_size=63),
    )
    return weighted(*([(3, st.sampled_from(list(real)))] if real else []), (1, well_formed), (1, strings(max_size=40)))


def reply_headers() -> st.SearchStrategy[str]:
    """The Master's `headers` field: valid lines, reserved and hop-by-hop names (and names a Connection
    line lists), bad names, control characters, and every kind of line break."""
    valid = st.builds(
        lambda n, v: f"{n}: {v}",
        st.sampled_from(["Header", "X-Thing", "Set-Cookie", "Content-Type"]),
        header_values(30),
    )
    special = st.sampled_from(
        [
            "Connection: X-Drop, keep-alive",
            "X-Drop: gone",
            "Content-Length: 5",
            "X-Message-Id: forged",
            "X-Saw-User: forged",
            "Bad Name: x",
            ": no name",
            "NoColon",
            "Name:\x00nul",
            "Name: tab\tok",
            "Name:\x85next-line",
            "Na\u00efve: x",
        ]
    )
    line = weighted((6, valid), (2, special), (1, strings(max_size=30)))
    breaks = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\r\n"])
    return st.lists(st.tuples(line, breaks), max_size=5).map(lambda pairs: "".join(a + b for a, b in pairs))


def master_headers(referer: str | None) -> st.SearchStrategy[Headers]:
    """A Master's header lines: the Referer in any letter case (when given), plus unrelated lines."""

    @st.composite
    def build(draw: st.DrawFn) -> Headers:
        lines: Headers = [(draw(spelled("Referer")), referer)] if referer is not None else []
        lines += draw(extra_headers(max_size=2))
        return draw(st.permutations(lines))

    return build()

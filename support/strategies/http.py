"""What any HTTP request can carry: header names in any case, odd header values, extra header lines, path
segments, and byte-level mutations of a body (bit flips, truncation, insertions, splices)."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import strategies as st

Headers = list[tuple[str, str]]

NAME_CHARACTERS = "!#$%&'*+.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-"


def header_names() -> st.SearchStrategy[str]:
    """RFC 9110 tokens: anything a real client could send as a header name."""
    return st.text(st.sampled_from(NAME_CHARACTERS), min_size=1, max_size=24)


def header_values(max_size: int = 80) -> st.SearchStrategy[str]:
    """Values a front door can deliver: printable ASCII, tabs, Latin-1 and other Unicode, never CR or LF
    (a request line cannot carry them) nor lone surrogates (API Gateway's JSON event cannot)."""
    characters = st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("\t\x7f\xa0\xe9\xff"),
        st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]),
    )
    return st.one_of(
        st.text(characters, max_size=max_size),
        st.sampled_from(["", " ", "null", "undefined", "0", "-1", "\t"]),
        st.integers(min_value=1_000, max_value=9_000).map(lambda n: "v" * n),
    )


def spelled(name: str) -> st.SearchStrategy[str]:
    """`name` in any letter case: header names are matched case-insensitively."""
    return st.one_of(
        st.sampled_from([name, name.lower(), name.upper()]),
        st.lists(st.booleans(), min_size=len(name), max_size=len(name)).map(
            lambda flips: "".join(c.upper() if f else c.lower() for c, f in zip(name, flips, strict=True))
        ),
    )


def header_lines() -> st.SearchStrategy[tuple[str, str]]:
    """One header line, its name made up or well known."""
    common = st.sampled_from(
        ["Content-Type", "Accept", "User-Agent", "Cookie", "X-Forwarded-For", "Connection", "Content-Length"]
    )
    return st.tuples(header_names() | common, header_values())


def extra_headers(max_size: int = 4) -> st.SearchStrategy[Headers]:
    """A few unrelated header lines."""
    return st.lists(header_lines(), max_size=max_size)


def path_segments(known: st.SearchStrategy[str] | None = None, *, max_size: int = 60) -> st.SearchStrategy[str]:
    """A percent-encoded path segment (never empty, never a bare `/`): mostly `known` values when given,
    else anything, Unicode and encoded slashes included."""
    anything = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=max_size)
    odd = st.sampled_from(["0", "-1", ".", "..", "%", "null", "a" * 300])
    choices = [anything, odd] if known is None else [known, known, known, known, anything, odd]
    slots = list(range(len(choices)))
    return st.sampled_from(slots).flatmap(lambda index: choices[index]).map(lambda text: quote(text, safe=""))


def mutated_bytes(raw: st.SearchStrategy[bytes], max_mutations: int = 4) -> st.SearchStrategy[bytes]:
    """Bodies from `raw`, each damaged up to `max_mutations` times."""

    @st.composite
    def damage(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(raw))
        for _ in range(draw(st.integers(min_value=1, max_value=max_mutations))):
            operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "splice", "repeat", "set"]))
            at = draw(st.integers(min_value=0, max_value=len(data)))
            if operation == "flip" and data:
                index = min(at, len(data) - 1)
                data[index] ^= 1 << draw(st.integers(min_value=0, max_value=7))
            elif operation == "truncate":
                del data[at:]
            elif operation == "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=8))
            elif operation == "delete":
                del data[at : at + draw(st.integers(min_value=1, max_value=8))]
            elif operation == "splice":
                data[at:] = draw(st.binary(max_size=32))
            elif operation == "repeat":
                end = draw(st.integers(min_value=at, max_value=len(data)))
                data[end:end] = data[at:end]
            elif operation == "set" and data:
                data[min(at, len(data) - 1)] = draw(st.sampled_from([0x00, 0x7F, 0x80, 0xFF, 0x0A, 0x7B, 0x22]))
        return bytes(data)

    return damage()

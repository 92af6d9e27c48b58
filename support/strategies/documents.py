"""JSON documents, valid-ish and hostile.

Python's json module cannot write what a hostile client sends (a repeated key, `1e999`, a 5,000-digit
integer, a lone surrogate as raw bytes), so documents are built from plain values plus three markers and
written by `render`. `mutated` takes a document shaped like a route's body and breaks it a few places at a
time: wrong types, deleted and unknown members, repeated keys, huge strings, deep nesting.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st

from support.strategies.http import mutated_bytes

# A document: None, bool, int, float, str, list, dict[str, Document], Members, Number or Nested.
Document = Any
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Members:
    """An object written member by member, so a key may repeat (with duplicates the last one wins)."""

    pairs: tuple[tuple[str, Document], ...]


@dataclass(frozen=True)
class Number:
    """A number written exactly as `text`: `1e999`, `-0`, `1E+2`, or digits past Python's int limit."""

    text: str


@dataclass(frozen=True)
class Nested:
    """`[[[...]]]`, `depth` arrays deep: past any recursion limit without building the value."""

    depth: int


def render(value: Document, *, ascii_only: bool = True) -> str:
    """JSON text for `value`. With `ascii_only` a lone surrogate is written as a `\\u` escape; without it,
    as the raw code point, which `encode` turns into bytes that are not UTF-8."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return json.dumps(value)  # NaN and Infinity come out as Python spells them: invalid JSON
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=ascii_only)
    if isinstance(value, Number):
        return value.text
    if isinstance(value, Nested):
        return "[" * value.depth + "]" * value.depth
    if isinstance(value, Members):
        pairs = value.pairs
    elif isinstance(value, dict):
        pairs = tuple(value.items())
    elif isinstance(value, list | tuple):
        return "[" + ",".join(render(v, ascii_only=ascii_only) for v in value) + "]"
    else:
        raise TypeError(f"not a document: {value!r}")
    return (
        "{" + ",".join(f"{render(k, ascii_only=ascii_only)}:{render(v, ascii_only=ascii_only)}" for k, v in pairs) + "}"
    )


def encode(value: Document, *, ascii_only: bool = True) -> bytes:
    """`render` as bytes; raw lone surrogates become the invalid UTF-8 a broken encoder would send."""
    return render(value, ascii_only=ascii_only).encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------- scalars

LONE_SURROGATES = st.characters(categories=["Cs"])
_CHARACTERS = st.characters(exclude_categories=["Cs"]) | LONE_SURROGATES


def weighted[T](*choices: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """One of `choices`, each `weight` times as often as a weight of 1. (`st.one_of` picks its branches
    about equally often and merges repeated ones, so repeating a branch there weighs nothing.)"""
    slots = [index for index, (weight, _) in enumerate(choices) for _ in range(weight)]
    return st.sampled_from(slots).flatmap(lambda index: choices[index][1])


@cache  # strategies are immutable; building one per draw costs more than the draw
def strings(max_size: int = 24) -> st.SearchStrategy[str]:
    """Any text, lone surrogates included, now and then far longer than any limit."""
    return weighted(
        (4, st.text(_CHARACTERS, max_size=max_size)),
        (4, st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=max_size)),
        (2, st.sampled_from(["", " ", "\u0000", "\ufeff", "\u2028", "<&>", "ANONYMOUS", "\ud800", "\udc00x\ud83d"])),
        (1, st.integers(min_value=255, max_value=2049).map(lambda n: "x" * n)),
    )


ODD_NUMBERS = st.sampled_from(
    [
        Number("1e999"),
        Number("-1e999"),
        Number("1e-999"),
        Number("-0"),
        Number("-0.0"),
        Number("1E+2"),
        Number("0.1e1"),
        Number("1.0"),
        Number("9223372036854775807"),
        Number("9223372036854775808"),
        Number("-9223372036854775809"),
        Number("18446744073709551616"),
        Number("1" + "0" * 4400),  # past Python's 4,300-digit int conversion limit
        Number("0." + "0" * 400 + "1"),
        Number("01"),  # invalid: leading zero
        Number("+1"),  # invalid
        Number(".5"),  # invalid
        Number("NaN"),  # invalid
        Number("Infinity"),  # invalid
    ]
)


@cache
def numbers() -> st.SearchStrategy[Document]:
    return st.one_of(
        st.integers(min_value=-3, max_value=20),
        st.integers(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False, allow_infinity=False),
        ODD_NUMBERS,
    )


@cache
def scalars() -> st.SearchStrategy[Document]:
    return st.one_of(st.none(), st.booleans(), numbers(), strings())


@cache
def values(max_leaves: int = 12) -> st.SearchStrategy[Document]:
    """Any JSON value, with repeated keys and deep nesting now and then."""
    keys = strings(max_size=8)

    def containers(children: st.SearchStrategy[Document]) -> st.SearchStrategy[Document]:
        return st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(keys, children, max_size=4),
            st.lists(st.tuples(keys, children), max_size=4).map(lambda pairs: Members(tuple(pairs))),
        )

    return weighted(
        (12, st.recursive(scalars(), containers, max_leaves=max_leaves)),
        (1, st.integers(min_value=1, max_value=300).map(Nested)),
        (1, st.sampled_from([Nested(1_000), Nested(100_000)])),
    )


# ---------------------------------------------------------------- mutations of a shaped document


def _paths(value: Document, here: Path = ()) -> list[Path]:
    """Every position in the document, the root included."""
    found = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*here, index))
    return found


def _updated(value: Document, path: Path, change: Callable[[Document], Document]) -> Document:
    """`value` with the node at `path` replaced by `change(node)`; a change returning `_DELETE` removes it."""
    if not path:
        return change(value)
    head, rest = path[0], path[1:]
    if isinstance(value, dict) and isinstance(head, str):
        copy = dict(value)
        new = _updated(copy[head], rest, change)
        if new is _DELETE:
            del copy[head]
        else:
            copy[head] = new
        return copy
    if isinstance(value, list) and isinstance(head, int):
        items = list(value)
        new = _updated(items[head], rest, change)
        if new is _DELETE:
            del items[head]
        else:
            items[head] = new
        return items
    return value


_DELETE: Any = object()


@st.composite
def _mutate_once(draw: st.DrawFn, document: Document) -> Document:
    path = draw(st.sampled_from(_paths(document)))
    operation = draw(st.sampled_from(["replace", "retype", "delete", "add", "repeat", "huge", "nest", "wrap", "null"]))
    if operation == "replace":
        replacement = draw(values())
        return _updated(document, path, lambda _: replacement)
    if operation == "retype":
        replacement = draw(st.sampled_from([0, -1, 1.5, "", "17", True, [], {}, None, Number("1e999")]))
        return _updated(document, path, lambda _: replacement)
    if operation == "delete" and path:
        return _updated(document, path, lambda _: _DELETE)
    if operation == "huge":
        size = draw(st.sampled_from([257, 4_097, 70_000]))
        return _updated(document, path, lambda _: "\u00e9" * size)
    if operation == "nest":
        depth = draw(st.sampled_from([100, 1_000, 100_000]))
        return _updated(document, path, lambda _: Nested(depth))
    if operation == "wrap":
        return _updated(document, path, lambda node: [node])
    if operation == "null":
        return _updated(document, path, lambda _: None)
    key, extra = draw(strings(max_size=8)), draw(values(max_leaves=3))

    def with_member(node: Document) -> Document:
        if not isinstance(node, dict):
            return node
        if operation == "repeat" and node:
            repeated = draw(st.sampled_from(sorted(node)))
            # The repeated key first or last: with duplicates the last one wins.
            pairs = [*node.items(), (repeated, extra)]
            return Members(tuple(pairs if draw(st.booleans()) else [(repeated, extra), *node.items()]))
        return {**node, key: extra}

    return _updated(document, path, with_member)


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[Document], max_mutations: int = 3) -> Document:
    """A document from `documents` with up to `max_mutations` things broken (none, sometimes)."""
    document = draw(documents)
    mutations = draw(weighted((2, st.just(0)), (1, st.integers(min_value=1, max_value=max_mutations))))
    for _ in range(mutations):
        if isinstance(document, dict | list):
            document = draw(_mutate_once(document))
    return document


def json_bodies(documents: st.SearchStrategy[Document]) -> st.SearchStrategy[bytes]:
    """Documents as request bodies: escaped or raw surrogates, and now and then not JSON at all."""
    # Mostly escaped: a raw lone surrogate makes the whole body invalid UTF-8, refused before anything else.
    rendered = st.builds(lambda d, a: encode(d, ascii_only=a), documents, st.sampled_from([True] * 5 + [False]))
    return weighted((5, rendered), (1, mutated_bytes(rendered)))

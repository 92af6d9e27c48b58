"""What every `tgw` list must do with `--limit N` and `--all`: show at most N, say when more exist (`"more":
true` in JSON, a closing line in text), and never cut silently."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# (*argv) -> (exit status, stdout): `tgw --local <argv>` in process
Run = Callable[..., tuple[int, str]]


def listed(run: Run, *argv: str) -> dict[str, Any]:
    status, out = run(*argv, "--json")
    assert status == 0, out
    [line] = out.splitlines()  # exactly one JSON object
    return dict(json.loads(line))


def check_limits(run: Run, argv: tuple[str, ...], key: str, total: int) -> list[Any]:
    """`argv` lists `total` (at least 2, at most 99) entries under `key`; returns them, as listed in full."""
    whole = listed(run, *argv)
    cut = listed(run, *argv, "--limit", str(total - 1))
    exact = listed(run, *argv, "--limit", str(total))
    every = listed(run, *argv, "--all")
    one = listed(run, *argv, "--limit", "1")
    cut_status, cut_text = run(*argv, "--limit", str(total - 1))
    all_status, all_text = run(*argv, "--all")

    assert (list(whole), len(whole[key])) == ([key], total)  # complete under the default limit: no "more"
    assert cut == {key: whole[key][: total - 1], "more": True}
    assert one == {key: whole[key][:1], "more": True}
    assert exact == whole
    assert every == whole
    assert cut_status == all_status == 0
    assert cut_text.splitlines()[-1] == f"(more exist: showing the first {total - 1}; use --limit N or --all)"
    assert "more exist" not in all_text
    entries: list[Any] = whole[key]
    return entries

"""The shape of the house, computed from the source: dependencies point one way and nothing imports upward.

functions → families (telemetry, notify, sensors, service) → web kit → storage kit → base modules. Operator
code (cli), the laptop runtime (local), benchmarks and tests never ship in the layer, and the layer never
imports them; tests and benchmarks share code only through `support`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from local.paths import ROOT

LAYER = ROOT / "layers/gateway"
PACKAGE = "telemetry_gateway"
BASE = frozenset({"__init__", "clock", "deadline", "config", "aws", "keys", "observability", "tracing"})
FAMILIES = frozenset({"telemetry", "notify", "sensors", "service"})
RANK = {"base": 0, "storage": 1, "web": 2, **dict.fromkeys(FAMILIES, 3)}
NOT_SHIPPED = ("local", "cli", "bench", "tests", "support", "tools", "moto", "yaml", "requests")


def module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def imports(path: Path) -> Iterator[str]:
    """Every module `path` imports (for `from a import b`, both `a` and `a.b`: b may be a module)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def sources(root: Path, package: str) -> list[Path]:
    return sorted(p for p in (root / package).rglob("*.py") if "/pb/" not in str(p))


def unit(module: str) -> str | None:
    """The layer's unit a module belongs to: a base module, `storage`, `web`, or a family; None outside."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) == 1 or parts[1] in BASE:
        return "base"
    if (LAYER / PACKAGE / parts[1]).is_dir():
        return parts[1]
    return None  # a name imported from a module, not a module


@cache
def unit_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sources(LAYER, PACKAGE):
        source = unit(module_name(path, LAYER))
        assert source is not None
        targets = {unit(name) for name in imports(path)} - {None, source}
        graph.setdefault(source, set()).update(t for t in targets if t is not None)
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, or None."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target] if target in path else [node, target]
            if target not in state and (found := visit(target, [*path, target])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": {"c"}}) is None


def test_the_layer_has_no_import_cycle_between_its_packages() -> None:
    assert cycle(unit_graph()) is None


def test_dependencies_point_down_from_families_to_web_to_storage_to_base() -> None:
    upward = {
        (source, target)
        for source, targets in unit_graph().items()
        for target in targets
        if RANK[target] > RANK[source] or (source in FAMILIES and target in FAMILIES)
    }
    assert upward == set()


@pytest.mark.parametrize("path", sources(LAYER, PACKAGE), ids=lambda p: str(p.relative_to(LAYER)))
def test_the_layer_never_imports_what_is_not_shipped(path: Path) -> None:
    shipped_only = {name for name in imports(path) if name.split(".")[0] in NOT_SHIPPED}
    assert shipped_only == set()


@pytest.mark.parametrize("path", sorted((ROOT / "functions").glob("*/app.py")), ids=lambda p: p.parent.name)
def test_functions_import_the_layer_and_nothing_of_the_repository_beside_it(path: Path) -> None:
    assert {name.split(".")[0] for name in imports(path)} - {PACKAGE} <= {"dataclasses", "typing"}


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("tests", {"bench"}), ("bench", {"tests"}), ("support", {"tests", "bench"}), ("cli", {"tests", "bench"})],
)
def test_tests_and_benchmarks_share_code_only_through_support(package: str, forbidden: set[str]) -> None:
    found = {
        f"{module_name(path, ROOT)} imports {name}"
        for path in sources(ROOT, package)
        for name in imports(path)
        if name.split(".")[0] in forbidden
    }
    assert found == set()


def test_the_operator_tool_reads_the_local_state_with_the_standard_library_only() -> None:
    """`tgw` must run without the development extras (yaml, moto): of `local` it may use only the state file
    and the checkout's paths, and those use nothing but the standard library."""
    allowed = {"local", "local.state", "local.paths"}
    used = {name for path in sources(ROOT, "cli") for name in imports(path) if name.split(".")[0] == "local"}
    assert used <= allowed
    stdlib = {"__future__", "base64", "collections", "json", "os", "pathlib", "secrets", "typing", "local"}
    for module in ("state", "paths"):
        assert {name.split(".")[0] for name in imports(ROOT / "local" / f"{module}.py")} <= stdlib

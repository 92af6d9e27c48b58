"""Every function validates all of its configuration when it is imported: a broken deployment stops at init,
and the message names the variable."""

from __future__ import annotations

import pytest

from local.app import LocalApp
from local.lambda_runtime import load_module
from local.template import Function, load
from telemetry_gateway.config import ConfigError

FUNCTIONS = sorted(load().functions.values(), key=lambda f: f.logical_id)
DECLARED = [(fn, variable) for fn in FUNCTIONS for variable in sorted(fn.environment)]


@pytest.mark.parametrize(("fn", "variable"), DECLARED, ids=[f"{fn.logical_id}-{name}" for fn, name in DECLARED])
def test_importing_without_a_declared_variable_fails_naming_it(
    local_app: LocalApp, monkeypatch: pytest.MonkeyPatch, fn: Function, variable: str
) -> None:
    monkeypatch.delenv(variable)

    with pytest.raises(ConfigError, match=f"^{variable} is not set$"):
        load_module(fn)


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda fn: fn.logical_id)
def test_every_function_imports_with_its_template_environment(local_app: LocalApp, fn: Function) -> None:
    assert callable(load_module(fn).handler)

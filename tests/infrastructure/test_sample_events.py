"""Every function has an events/<name>.json (usable with `sam local invoke`) that really invokes it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from local.paths import ROOT
from local.template import Function, load

FUNCTIONS = sorted(load().functions.values(), key=lambda f: f.logical_id)


def sample_event(fn: Function) -> dict[str, Any]:
    return dict(json.loads((ROOT / "events" / f"{fn.name}.json").read_text()))


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.logical_id)
def test_sample_event_invokes_the_function_on_moto(fn: Function, invoke: Any) -> None:
    result = invoke(fn.logical_id, sample_event(fn))
    if fn.routes:
        assert 200 <= result["statusCode"] < 500
        assert isinstance(result["body"], str)


@pytest.mark.parametrize("fn", [f for f in FUNCTIONS if f.routes], ids=lambda f: f.logical_id)
def test_sample_event_targets_a_route_of_the_function(fn: Function) -> None:
    event = sample_event(fn)
    assert (event["httpMethod"], event["resource"]) in {(r.method, r.path) for r in fn.routes}

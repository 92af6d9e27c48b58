"""Hooks schemathesis loads (`SCHEMATHESIS_HOOKS`) in its own process, during its fuzzing phase. The test
that starts `make run` creates a registration and a notify circuit and passes their credentials in
`TGW_FUZZ_*` variables; half the generated requests carry them, so they get past the credential checks."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.hooks import HookContext


def _real(name: str) -> str:
    return os.environ.get(f"TGW_FUZZ_{name}", "")


def _path(context: HookContext) -> str:
    return context.operation.path if context.operation is not None else ""


def _either(generated: Any, real: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from([generated, real])


@schemathesis.hook
def flatmap_path_parameters(context: HookContext, path_parameters: dict[str, Any]) -> st.SearchStrategy[Any]:
    if _path(context) == "/Dispatch/{ka}/{kc}":
        return _either(path_parameters, {**path_parameters, "ka": _real("KA"), "kc": _real("KC")})
    return st.just(path_parameters)


@schemathesis.hook
def flatmap_body(context: HookContext, body: Any) -> st.SearchStrategy[Any]:
    path = _path(context)
    if path == "/telemetry/authenticate" and isinstance(body, dict):
        proof = {"method": "sha256", "value": _real("AUTH_HASH")}
        return _either(body, {**body, "registrationId": int(_real("AUTH_ID") or 0), "regHash": proof})
    if path == "/MailboxListen" and isinstance(body, dict):
        return _either(body, {**body, "secret": _real("SECRET"), "last": _real("MESSAGE_ID")})
    if path == "/MailboxPost" and isinstance(body, dict):
        return _either(body, {**body, "secret": _real("SECRET"), "id": _real("MESSAGE_ID")})
    return st.just(body)

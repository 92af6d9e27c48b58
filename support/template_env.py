"""A function's environment exactly as template.yaml declares it (parameter defaults, local resource names),
resolved without an emulator: what unit tests read configuration from."""

from __future__ import annotations

from local.stack import LocalStack, context
from local.template import load

REGION = "us-east-1"


def declared_environment(logical_id: str, **overrides: str) -> dict[str, str]:
    """Every variable the function declares (Globals included), at its template default, then `overrides`."""
    template = load()
    stack = LocalStack(template, context(template, REGION))
    return stack.function_environment(template.functions[logical_id]) | overrides

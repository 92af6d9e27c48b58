"""Invokes the real handlers in-process, one warm "container" per function, with a Lambda context
whose remaining time follows the function's Timeout on the process clock."""

from __future__ import annotations

import importlib.util
import threading
import uuid
from collections.abc import Callable
from types import ModuleType
from typing import Any

from local.template import Function, Template
from telemetry_gateway import clock as clock_module

Handler = Callable[[dict[str, Any], Any], Any]


class LocalContext:
    """The attributes of the Lambda context object that Powertools and our code read."""

    def __init__(self, fn: Function, region: str, request_id: str | None = None) -> None:
        self._clock = clock_module.current()
        self._deadline = self._clock.monotonic() + fn.timeout
        self.function_name = fn.logical_id
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:123456789012:function:{fn.logical_id}"
        self.memory_limit_in_mb = fn.memory
        self.aws_request_id = request_id or str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{fn.logical_id}"
        self.log_stream_name = "local"
        self.tenant_id = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - self._clock.monotonic()) * 1000))


class FunctionRuntime:
    def __init__(self, template: Template, region: str) -> None:
        self.template = template
        self.region = region
        # Read once: Template.functions rebuilds every Function from the parsed template (~145 us a call).
        self._functions = template.functions
        self._modules: dict[str, ModuleType] = {}
        self._lock = threading.Lock()

    def function(self, logical_id: str) -> Function:
        return self._functions[logical_id]

    def handler(self, fn: Function) -> Handler:
        with self._lock:
            module = self._modules.get(fn.logical_id)
            if module is None:
                module = self._modules[fn.logical_id] = load_module(fn)
        handler: Handler = getattr(module, fn.handler.rsplit(".", 1)[1])
        return handler

    def module(self, logical_id: str) -> ModuleType:
        """The function's imported `app` module (importing it on first use, as a cold start does)."""
        fn = self.function(logical_id)
        self.handler(fn)
        return self._modules[fn.logical_id]

    def cold_start(self, *logical_ids: str) -> None:
        """Forget the functions' containers (all of them when none is named): the next invocation imports
        the module afresh, reading its environment again, as after a deployment."""
        with self._lock:
            for logical_id in logical_ids or list(self._modules):
                self._modules.pop(logical_id, None)

    def invoke(self, logical_id: str, event: dict[str, Any], request_id: str | None = None) -> Any:
        fn = self.function(logical_id)
        return self.handler(fn)(event, LocalContext(fn, self.region, request_id))


def load_module(fn: Function) -> ModuleType:
    """Import functions/<name>/app.py under a unique name; in Lambda each one is simply `app`."""
    spec = importlib.util.spec_from_file_location(f"functions.{fn.name}.app", fn.source)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {fn.source}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

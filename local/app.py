"""Boots the local stack: moto in-process, the template's resources, environment, runtime and gateway."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moto import mock_aws

from local import moto_fixes
from local.apigw import Gateway
from local.faults import VARIABLE as FAULTS_VARIABLE
from local.faults import Faults
from local.lambda_runtime import FunctionRuntime
from local.stack import SECRET, LocalStack, provision, shell_overrides
from local.template import Template

REGION = "us-east-1"

# Process-wide settings of the local run (not template variables): no X-Ray daemon, no EMF noise,
# and credentials that can only ever reach the emulator.
LOCAL_PROCESS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
}


def address_settings(port: int) -> dict[str, str]:
    """Template variables whose local value follows the address `make run` serves on."""
    base = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    return {
        "NOTIFY_ENDPOINT_URLS": ",".join(base),
        "NOTIFY_SERVER_NAME": "local",
        "SENSOR_PUBLIC_BASE_URL": base[0],
    }


@dataclass
class LocalApp:
    stack: LocalStack
    runtime: FunctionRuntime
    gateway: Gateway
    mock: Any  # moto's mock_aws() context
    faults: Faults  # TGW_LOCAL_FAULTS, as parsed (no rates: none injected)
    url: str  # where the gateway serves every API

    def outputs(self) -> dict[str, str]:
        """The stack's outputs as this server answers them (what `tgw --local` reads)."""
        return self.stack.outputs(os.environ, self.url)


def boot(
    template: Template, secret_values: Mapping[str, str], port: int, environ: Mapping[str, str] = os.environ
) -> LocalApp:
    """Start moto, create the template's resources, and export every function's environment.

    `environ` (the shell) wins over the template for the variables the template declares."""
    os.environ.update(LOCAL_PROCESS_ENVIRONMENT)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        os.environ.pop(name, None)
    moto_fixes.apply()
    mock = mock_aws()
    mock.start()
    stack = provision(template, secret_values, REGION)
    overrides = {**address_settings(port), **shell_overrides(template, environ)}
    os.environ.update(stack.process_environment(overrides))
    faults = Faults.parse(environ.get(FAULTS_VARIABLE, ""))
    if faults.rates:
        faults.install()  # after provisioning: only the functions' own calls fail
    url = f"http://127.0.0.1:{port}"
    return LocalApp(stack, FunctionRuntime(template, REGION), Gateway(template), mock, faults, url)


def shell_environment(template: Template, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """`environ` without what `boot` exported into it, for starting another local server from a
    process that runs one (tests, benchmarks): its own port must decide its address settings."""
    exported = set(LOCAL_PROCESS_ENVIRONMENT) | {name for fn in template.functions.values() for name in fn.environment}
    return {name: value for name, value in environ.items() if name not in exported}


def secret_names(template: Template) -> list[str]:
    return list(template.resources_of_type(SECRET))

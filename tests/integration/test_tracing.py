"""Tracing, as on Lambda with `Tracing: Active`: a sampled invocation's segment gets a subsegment per AWS call, the
X-Ray SDK is loaded with the container's first sampled invocation and patches botocore only, and where tracing
is off (make run, tests) the SDK is never imported.

Each case runs in a process of its own: the SDK patches botocore for the whole process and reads
`LAMBDA_TASK_ROOT` when it is imported, which must not leak into the other tests of a worker.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from local.paths import ROOT

# Boots the local stack (moto, tables, keys), then imports and invokes one function as Lambda would: tracing
# on, a sampled trace id for the invocation, and an emitter that keeps what the SDK would send to the daemon.
_SCRIPT = """
import json, os, sys
from local.app import boot, secret_names
from local.template import load
from support.events import api_event

template = load()
app = boot(template, dict.fromkeys(secret_names(template), "a" * 88), 3000, environ={"POWERTOOLS_LOG_LEVEL": "ERROR"})
invocations = sys.argv[1:]  # per invocation: "sampled", "unsampled", or "off" (tracing disabled)
if invocations != ["off"]:
    del os.environ["POWERTOOLS_TRACE_DISABLED"]
    os.environ["LAMBDA_TASK_ROOT"] = os.getcwd()

kept = []

def keep_what_the_sdk_sends():
    from aws_xray_sdk.core import xray_recorder
    from aws_xray_sdk.core.emitters.udp_emitter import UDPEmitter

    class Kept(UDPEmitter):
        def send_entity(self, entity):
            kept.append(entity.to_dict())

    xray_recorder.configure(emitter=Kept())

def walk(entity):
    yield entity
    for child in entity.get("subsegments", []):
        yield from walk(child)

found = []
for n, invocation in enumerate(invocations):
    flag = "1" if invocation == "sampled" else "0"
    root = f"Root=1-5759e988-bd862e3fe1be46a99427279{n}"
    os.environ["_X_AMZN_TRACE_ID"] = f"{root};Parent=53995c3f42cd8ad8;Sampled={flag}"
    body = json.dumps({"clientRegistration": {"clientId": f"traced-{n}", "systemUUID": "", "timestamp": "t"}})
    function, event = api_event("POST", "/telemetry/register", body)
    if invocation == "sampled" and "aws_xray_sdk" not in sys.modules:
        # the SDK loads inside this invocation: catch what it sends from the start
        import telemetry_gateway.tracing as tracing
        load = tracing._traced
        def traced_and_kept(handler, *, cold_start, load=load):
            wrapped = load(handler, cold_start=cold_start)
            keep_what_the_sdk_sends()
            return wrapped
        tracing._traced = traced_and_kept
    del kept[:]
    response = app.runtime.invoke(function, event)
    segments = [s for entity in kept for s in walk(entity)]
    found.append({
        "status": response["statusCode"],
        "xray_imported": "aws_xray_sdk" in sys.modules,
        "calls": sorted([s["name"], s["aws"]["operation"]] for s in segments if s.get("namespace") == "aws"),
        "handler": [s.get("annotations", {}) for s in segments if s["name"].startswith("## ")],
    })
if "aws_xray_sdk" in sys.modules:
    from aws_xray_sdk.core import patcher
    found.append(sorted(patcher._PATCHED_MODULES))
print(json.dumps(found))
"""


def run(*invocations: str) -> list[Any]:
    command = [sys.executable, "-c", _SCRIPT, *invocations]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


CALLS = [["dynamodb", "GetItem"], ["dynamodb", "TransactWriteItems"]]
SIGNING_KEY = [["secretsmanager", "GetSecretValue"]]  # read once per container


def test_a_sampled_invocation_records_a_subsegment_per_aws_call_and_botocore_alone_is_patched() -> None:
    [first, patched] = run("sampled")

    assert (first["status"], first["xray_imported"]) == (200, True)
    assert first["calls"] == sorted(CALLS + SIGNING_KEY)
    assert [annotations["ColdStart"] for annotations in first["handler"]] == [True]
    assert patched == ["botocore"]


def test_the_sdk_loads_with_the_first_sampled_invocation_and_then_traces_as_before() -> None:
    unsampled, sampled, unsampled_again, sampled_again, patched = run("unsampled", "sampled", "unsampled", "sampled")

    assert unsampled == {"status": 200, "xray_imported": False, "calls": [], "handler": []}
    assert sampled["calls"] == CALLS
    assert [annotations["ColdStart"] for annotations in sampled["handler"]] == [False]  # not the container's first
    assert (unsampled_again["calls"], sampled_again["calls"]) == ([], CALLS)
    assert patched == ["botocore"]


def test_without_tracing_the_xray_sdk_is_never_imported() -> None:
    assert run("off") == [{"status": 200, "xray_imported": False, "calls": [], "handler": []}]

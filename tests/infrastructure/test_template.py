"""template.yaml is the single source of truth: it must lint clean and agree with the code it deploys."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file

from local.paths import ROOT, TEMPLATE_PATH
from local.stack import LocalStack, shell_overrides
from local.template import Function, load

TEMPLATE = load()
FUNCTIONS = sorted(TEMPLATE.functions.values(), key=lambda f: f.logical_id)
PSEUDO = {
    "AWS::Region",
    "AWS::AccountId",
    "AWS::StackName",
    "AWS::Partition",
    "AWS::URLSuffix",
    "AWS::NoValue",
}
STORAGE_TYPES = {"AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SecretsManager::Secret", "AWS::SQS::Queue"}
API_GATEWAY_TIMEOUT_SECONDS = 29


def references(node: Any) -> set[str]:
    """Logical names used by Ref, GetAtt and ${...} inside Sub anywhere under `node`."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= references(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref":
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else value.split(".")[0])
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                local_vars = set() if isinstance(value, str) else set(value[1])
                for name in re.findall(r"\$\{([^}!][^}]*)\}", text):
                    if name.split(".")[0] not in local_vars:
                        found.add(name if name.startswith("AWS::") else name.split(".")[0])
                found |= references(value if isinstance(value, str) else value[1])
            else:
                found |= references(value)
    return found


def storage_names(node: Any) -> set[str]:
    return {name for name in references(node) if TEMPLATE.resources.get(name, {}).get("Type") in STORAGE_TYPES}


def test_cfn_lint_reports_nothing() -> None:
    assert [str(match) for match in lint_file(TEMPLATE_PATH)] == []


def test_every_reference_names_a_declared_resource_or_parameter() -> None:
    # cfn-lint does not look inside a SAM function's Environment or Policies.
    declared = set(TEMPLATE.resources) | set(TEMPLATE.parameters) | PSEUDO
    assert references(TEMPLATE.raw) - declared == set()


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.logical_id)
def test_function_folder_is_named_after_its_logical_id(fn: Function) -> None:
    assert fn.code_uri.rstrip("/") == f"functions/{fn.name}"
    assert fn.source.exists()


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.logical_id)
def test_handler_states_the_route_its_template_event_declares(fn: Function) -> None:
    """Each handler's docstring names its route; a renamed path in one place and not the other fails."""
    docstring = ast.get_docstring(ast.parse(fn.source.read_text())) or ""
    first_line = docstring.splitlines()[0] if docstring else ""
    if fn.schedules:
        assert first_line == f"Scheduled: {', '.join(s.expression for s in fn.schedules)}."
        return
    if fn.subscriptions:
        assert first_line == f"Queue: {', '.join(s.queue for s in fn.subscriptions)}."
        return
    declared = {(route.method, route.path) for route in fn.routes}
    found = re.fullmatch(r"([A-Z]+(?:, [A-Z]+)*) (/\S*)\.", first_line)
    assert found, f"{fn.source} must start with e.g. 'POST /path.'"
    stated = {(method, found.group(2).rstrip("/") or "/") for method in found.group(1).split(", ")}
    assert stated == declared


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.logical_id)
def test_policies_grant_exactly_the_storage_the_function_is_told_about(fn: Function) -> None:
    own_environment = TEMPLATE.resources[fn.logical_id]["Properties"].get("Environment", {})
    assert storage_names(fn.policies) == storage_names(own_environment)


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.logical_id)
def test_policies_use_no_wildcards(fn: Function) -> None:
    for policy in fn.policies:
        for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert all("*" not in action for action in actions)
            assert statement["Resource"] != "*"


def test_globals_hold_settings_only() -> None:
    global_env = TEMPLATE.raw["Globals"]["Function"]["Environment"]["Variables"]
    assert storage_names(global_env) == set()


def test_each_variable_has_one_value_so_one_process_can_serve_every_function(local_app: Any) -> None:
    stack: LocalStack = local_app.stack
    stack.process_environment(shell_overrides(TEMPLATE, {}))  # raises EnvironmentConflict


@pytest.mark.parametrize("fn", [f for f in FUNCTIONS if f.routes], ids=lambda f: f.logical_id)
def test_api_functions_finish_before_the_gateway_gives_up(fn: Function) -> None:
    assert fn.timeout < API_GATEWAY_TIMEOUT_SECONDS


def test_tables_are_on_demand_with_point_in_time_recovery() -> None:
    for name, table in TEMPLATE.resources_of_type("AWS::DynamoDB::Table").items():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST", name
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True, name


def pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)", line.strip())
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def test_layer_pins_are_the_versions_the_tests_run_against() -> None:
    layer = pins((ROOT / "layers/gateway/requirements.txt").read_text().splitlines())
    dev = pins((ROOT / "constraints.txt").read_text().splitlines())
    assert {name: dev.get(name) for name in layer} == layer


def test_runtime_is_python_3_12() -> None:
    assert TEMPLATE.raw["Globals"]["Function"]["Runtime"] == "python3.12"
    assert Path(ROOT / "layers/gateway/telemetry_gateway/__init__.py").exists()


def test_every_function_and_table_has_its_alarms() -> None:
    alarms = TEMPLATE.resources_of_type("AWS::CloudWatch::Alarm")
    expected = {f"{fn.logical_id}{kind}Alarm" for fn in FUNCTIONS for kind in ("Errors", "Throttles")}
    expected |= {f"{table}ThrottleAlarm" for table in TEMPLATE.resources_of_type("AWS::DynamoDB::Table")}
    assert expected <= set(alarms)
    for name, alarm in alarms.items():
        assert alarm["Properties"]["AlarmActions"] == {
            "Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]
        }, name


def test_long_polling_functions_have_a_concurrency_cap_and_report_its_own_throttle() -> None:
    for name in ("NotifyDispatch", "NotifyMailboxListen"):
        reserved = TEMPLATE.resources[name]["Properties"]["ReservedConcurrentExecutions"]
        assert reserved["Fn::If"][0] == "ReservesNotifyConcurrency", name
    settings = TEMPLATE.api_properties("JsonApi")["MethodSettings"]
    report = next(s for s in settings if s["ResourcePath"] == "/~1telemetry~1report")
    assert (report["HttpMethod"], report["ThrottlingRateLimit"]) == ("POST", {"Ref": "ReportThrottleRateLimit"})


def test_every_parameter_says_what_it_is_for() -> None:
    assert [name for name, parameter in TEMPLATE.parameters.items() if not parameter.get("Description")] == []


def test_deploying_asks_nothing() -> None:
    """`make deploy` runs `sam deploy` on samconfig.toml: a stack name, an artifact bucket and the capabilities
    the template needs (IAM roles; AUTO_EXPAND for its transforms)."""
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())["default"]
    deploy = config["deploy"]["parameters"]
    assert config["global"]["parameters"]["stack_name"]
    assert deploy["resolve_s3"] is True
    assert set(deploy["capabilities"].split()) == {"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}
    assert deploy["confirm_changeset"] is False
    assert "sam deploy --guided" not in (ROOT / "Makefile").read_text().split("\ndeploy:")[1].split("\n\n")[0]


def emitted_metrics() -> set[str]:
    """Names of the business metrics the layer emits through Powertools."""
    layer = ROOT / "layers/gateway/telemetry_gateway"
    return {name for path in layer.rglob("*.py") for name in re.findall(r'add_metric\(name="(\w+)"', path.read_text())}


def test_each_family_has_a_dashboard_of_metrics_that_are_emitted() -> None:
    dashboards = TEMPLATE.resources_of_type("AWS::CloudWatch::Dashboard")
    assert set(dashboards) == {"TelemetryDashboard", "NotifyDashboard", "SensorDashboard"}
    for name, dashboard in dashboards.items():
        body = json.loads(dashboard["Properties"]["DashboardBody"]["Fn::Sub"])
        own = {m[1] for w in body["widgets"] for m in w["properties"]["metrics"] if m[0] == "TelemetryGateway"}
        assert own, name
        assert own <= emitted_metrics(), name
        titles = {w["properties"]["title"] for w in body["widgets"]}
        assert {"Requests", "4xx and 5xx", "Latency p50 / p99 (ms)"} <= titles, name


def test_logs_are_kept_for_the_retention_parameter_and_access_logs_are_json_without_paths() -> None:
    groups = TEMPLATE.resources_of_type("AWS::Logs::LogGroup")
    for fn in FUNCTIONS:
        group = groups[f"{fn.logical_id}Logs"]["Properties"]
        assert group["LogGroupName"] == {"Fn::Sub": f"/aws/lambda/${{{fn.logical_id}}}"}
        assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    for api in ("JsonApi", "SensorApi"):
        setting = TEMPLATE.api_properties(api)["AccessLogSetting"]
        assert setting["DestinationArn"] == {"Fn::GetAtt": [f"{api}AccessLogs", "Arn"]}
        fields = json.loads(setting["Format"])
        assert fields["resource"] == "$context.resourcePath"
        assert "$context.path" not in setting["Format"]  # a Dispatch path holds the cookies

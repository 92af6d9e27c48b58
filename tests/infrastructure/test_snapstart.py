"""The SnapStart option: off by default, on for every function at once, and every function invoked through the
published alias that SnapStart needs."""

from __future__ import annotations

from local.template import load

TEMPLATE = load()


def test_snapstart_is_a_parameter_off_by_default_with_lambdas_own_values() -> None:
    parameter = TEMPLATE.parameters["SnapStart"]

    assert parameter["Default"] == "None"
    assert parameter["AllowedValues"] == ["None", "PublishedVersions"]
    assert parameter["Description"]


def test_every_function_publishes_versions_behind_one_alias_and_takes_snapstart_from_the_parameter() -> None:
    function_globals = TEMPLATE.raw["Globals"]["Function"]

    assert function_globals["AutoPublishAlias"] == "live"
    assert function_globals["SnapStart"] == {"ApplyOn": {"Ref": "SnapStart"}}
    for logical_id, resource in TEMPLATE.resources_of_type("AWS::Serverless::Function").items():
        properties = resource.get("Properties", {})
        assert "AutoPublishAlias" not in properties, logical_id  # one alias name for all
        assert "SnapStart" not in properties, logical_id

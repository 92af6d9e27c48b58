"""The OpenAPI document of the JSON API stays honest: valid OpenAPI 3.1, the same routes as template.yaml's
JsonApi (no more, no fewer), the project's version, and the error shapes the spec fixes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from local.paths import ROOT
from local.template import load
from telemetry_gateway import __version__
from telemetry_gateway.telemetry.api import www_authenticate

DOCUMENT_PATH = ROOT / "openapi" / "json-api.yaml"
JSON_API = "JsonApi"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def document(path: Path = DOCUMENT_PATH) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_the_document_is_valid_openapi_3_1() -> None:
    doc = document()
    assert doc["openapi"].startswith("3.1.")
    validate(doc)


def test_the_document_has_exactly_the_routes_of_the_json_api_in_the_template() -> None:
    template = {(route.method.lower(), route.path) for route in load().routes if route.api == JSON_API}
    documented = {(method, path) for path, item in document()["paths"].items() for method in item if method in METHODS}
    assert documented == template


def test_the_document_names_the_project_version() -> None:
    assert document()["info"]["version"] == __version__


def _responses() -> list[tuple[str, str, str, dict[str, Any]]]:
    doc = document()
    components = doc["components"]["responses"]
    found = []
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for status, response in operation["responses"].items():
                resolved = components[response["$ref"].rsplit("/", 1)[1]] if "$ref" in response else response
                found.append((path, method, status, resolved))
    return found


@pytest.mark.parametrize(
    ("path", "method", "status", "response"),
    [r for r in _responses() if r[0].startswith("/telemetry/") and r[2] != "200"],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_telemetry_refusal_is_the_json_error_shape(
    path: str, method: str, status: str, response: dict[str, Any]
) -> None:
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    challenge = response.get("headers", {}).get("WWW-Authenticate")
    if status == "401":
        schema = challenge["schema"]
        allowed = schema.get("enum") or [schema["const"]]
        assert challenge["required"] is True
        assert set(allowed) <= {www_authenticate("register"), www_authenticate("authenticate")}
    else:
        assert challenge is None


@pytest.mark.parametrize(
    ("path", "method", "status", "response"),
    [r for r in _responses() if r[0].startswith(("/Dispatch", "/Mailbox"))],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_notify_answer_is_plain_text_with_cors(
    path: str, method: str, status: str, response: dict[str, Any]
) -> None:
    assert "text/plain" in response["content"]
    assert response["headers"]["Access-Control-Allow-Origin"] == {
        "$ref": "#/components/headers/Access-Control-Allow-Origin"
    }
    if status != "200":
        assert response["content"]["text/plain"]["schema"] == {"$ref": "#/components/schemas/NotifyLine"}

"""`tgw notify`: exact --json shapes, credentials shown once and stored only as SHA-256."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import boto3
import pytest

from local.app import LocalApp
from support.tgw import run_tgw, tgw_json
from tests.integration.notify.conftest import Credentials, Relay


def directory_items(aws: LocalApp) -> list[dict[str, Any]]:
    table = aws.stack.context.refs["NotifyDirectoryTable"]
    return list(boto3.client("dynamodb").scan(TableName=table)["Items"])


def test_create_prints_the_spec_json_and_stores_only_hashes(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tgw_json(aws, monkeypatch, "notify", "user", "create", "--name", "atest@telemetry")
    circuit = tgw_json(aws, monkeypatch, "notify", "circuit", "create", "--name", "demo")

    assert list(user) == ["name", "ka"]
    assert list(circuit) == ["name", "kc", "secret"]
    assert user["name"] == "atest@telemetry"
    assert re.fullmatch(r"KA[A-Za-z0-9_-]{43}", user["ka"])
    assert re.fullmatch(r"KC[A-Za-z0-9_-]{43}", circuit["kc"])
    assert re.fullmatch(r"KS[A-Za-z0-9_-]{43}", circuit["secret"])
    stored = json.dumps(directory_items(aws))
    for value in (user["ka"], circuit["kc"], circuit["secret"]):
        assert value not in stored
        assert hashlib.sha256(value.encode()).hexdigest() in stored


def test_plain_output_shows_each_credential_once(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = run_tgw(aws, monkeypatch, "notify", "circuit", "create", "--name", "demo")

    assert status == 0
    assert re.search(r"^KC cookie: KC\S{43}$", out, re.M)
    assert re.search(r"^Secret Token: KS\S{43}$", out, re.M)


def test_names_are_unique_and_validated(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    tgw_json(aws, monkeypatch, "notify", "user", "create", "--name", "atest@telemetry")
    tgw_json(aws, monkeypatch, "notify", "circuit", "create", "--name", "atest@telemetry")  # another kind

    assert run_tgw(aws, monkeypatch, "notify", "user", "create", "--name", "atest@telemetry")[0] != 0
    assert run_tgw(aws, monkeypatch, "notify", "user", "create", "--name", "bad name")[0] != 0
    tgw_json(aws, monkeypatch, "notify", "user", "revoke", "--name", "atest@telemetry")
    assert run_tgw(aws, monkeypatch, "notify", "user", "create", "--name", "atest@telemetry")[0] != 0


def test_lists_show_names_and_states_never_credentials(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tgw_json(aws, monkeypatch, "notify", "user", "create", "--name", "b@telemetry")
    tgw_json(aws, monkeypatch, "notify", "user", "create", "--name", "a@telemetry")
    circuit = tgw_json(aws, monkeypatch, "notify", "circuit", "create", "--name", "demo")
    revoked = tgw_json(aws, monkeypatch, "notify", "circuit", "revoke", "--name", "demo")

    users = tgw_json(aws, monkeypatch, "notify", "user", "list")
    circuits = tgw_json(aws, monkeypatch, "notify", "circuit", "list")
    plain = (
        run_tgw(aws, monkeypatch, "notify", "user", "list")[1]
        + run_tgw(aws, monkeypatch, "notify", "circuit", "list")[1]
    )

    assert revoked == {"name": "demo", "state": "revoked"}
    assert [(u["name"], u["state"]) for u in users["users"]] == [("a@telemetry", "active"), ("b@telemetry", "active")]
    assert [(c["name"], c["state"]) for c in circuits["circuits"]] == [("demo", "revoked")]
    shown = json.dumps([users, circuits]) + plain
    for value in (user["ka"], circuit["kc"], circuit["secret"]):
        assert value not in shown
        assert hashlib.sha256(value.encode()).hexdigest() not in shown
    assert "KA" not in shown
    assert "KS" not in shown


def test_unknown_names_fail(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    for command in (
        ("user", "revoke"),
        ("circuit", "revoke"),
        ("circuit", "rotate-secret"),
        ("circuit", "rotate-cookie"),
    ):
        assert run_tgw(aws, monkeypatch, "notify", *command, "--name", "nobody")[0] != 0


def test_rotation_replaces_the_credential_at_once(
    aws: LocalApp, monkeypatch: pytest.MonkeyPatch, relay: Relay, creds: Credentials
) -> None:
    secret = tgw_json(aws, monkeypatch, "notify", "circuit", "rotate-secret", "--name", "demo")
    cookie = tgw_json(aws, monkeypatch, "notify", "circuit", "rotate-cookie", "--name", "demo")

    assert list(secret) == ["name", "secret"]
    assert secret["secret"] != creds.secret
    assert list(cookie) == ["name", "kc"]
    assert cookie["kc"] != creds.kc
    assert relay.listen(creds.secret)["statusCode"] == 403
    assert relay.dispatch(creds)["statusCode"] == 403
    fresh = Credentials(creds.ka, cookie["kc"], secret["secret"])
    assert relay.dispatch(fresh)["statusCode"] == 504  # accepted, then nobody answered
    assert relay.listen(fresh.secret)["statusCode"] == 502


def test_revocation_takes_effect_at_once(
    aws: LocalApp, monkeypatch: pytest.MonkeyPatch, relay: Relay, creds: Credentials
) -> None:
    assert tgw_json(aws, monkeypatch, "notify", "user", "revoke", "--name", "atest@telemetry") == {
        "name": "atest@telemetry",
        "state": "revoked",
    }
    assert relay.dispatch(creds)["statusCode"] == 403
    assert relay.listen(creds.secret)["statusCode"] == 502  # the circuit itself is still active

    tgw_json(aws, monkeypatch, "notify", "circuit", "revoke", "--name", "demo")
    assert relay.listen(creds.secret)["statusCode"] == 403
    assert run_tgw(aws, monkeypatch, "notify", "circuit", "rotate-secret", "--name", "demo")[0] != 0
    assert tgw_json(aws, monkeypatch, "notify", "circuit", "revoke", "--name", "demo")["state"] == "revoked"

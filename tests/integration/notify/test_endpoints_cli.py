"""`tgw notify endpoints` on a stack deployed with function URLs: the URLs a Client and a Master call there."""

from __future__ import annotations

import boto3
import pytest

from cli import main as tgw_main
from cli.target import Target

FUNCTION_URL_STACK = {
    "NotifyFrontDoor": "FunctionUrl",
    "NotifyDispatchUrl": "https://d7.lambda-url.eu-central-1.on.aws/",
    "NotifyMailboxListenUrl": "https://l7.lambda-url.eu-central-1.on.aws/",
    "NotifyMailboxPostUrl": "https://p7.lambda-url.eu-central-1.on.aws/",
    "JsonApiUrl": "https://abc.execute-api.eu-central-1.amazonaws.com/Prod",
    "NotifyDispatchWaitSeconds": "600",
    "NotifyListenWindowSeconds": "600",
}


def test_a_function_url_stack_names_its_function_urls_and_ten_minute_windows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = Target(FUNCTION_URL_STACK, boto3.session.Session(region_name="eu-central-1"))
    monkeypatch.setattr(tgw_main, "stack_target", lambda _name, _region: target)

    status = tgw_main.main(["--stack-name", "telemetry-gateway", "notify", "endpoints"])

    assert status == 0
    assert capsys.readouterr().out.splitlines() == [
        "front door:     FunctionUrl",
        "Dispatch:       POST https://d7.lambda-url.eu-central-1.on.aws/Dispatch/{KA}/{KC}"
        "  (waits 600 s for the reply, then 504)",
        "MailboxListen:  POST https://l7.lambda-url.eu-central-1.on.aws/MailboxListen/"
        "  (waits 600 s for a message, then 502)",
        "MailboxPost:    POST https://p7.lambda-url.eu-central-1.on.aws/MailboxPost/",
    ]


def test_a_stack_from_an_older_template_says_what_it_lacks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    older = {name: value for name, value in FUNCTION_URL_STACK.items() if not name.endswith("Seconds")}
    target = Target(older, boto3.session.Session(region_name="eu-central-1"), label="the stack telemetry-gateway")
    monkeypatch.setattr(tgw_main, "stack_target", lambda _name, _region: target)

    status = tgw_main.main(["--stack-name", "telemetry-gateway", "notify", "endpoints"])

    assert status == 1
    assert capsys.readouterr().err == (
        "tgw: the stack telemetry-gateway has no output NotifyDispatchWaitSeconds "
        "(deployed from an older template.yaml?)\n"
    )

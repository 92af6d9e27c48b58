"""Behind a Lambda function URL (payload 2.0, no routes), the same handlers serve the same relay."""

from __future__ import annotations

import base64
from typing import Any

from support.notify import ScriptedClock, body_of, form
from tests.integration.notify.conftest import Credentials, Relay

DOMAIN = "abcdefgh.lambda-url.eu-west-1.on.aws"


def url_event(path: str, body: str, **headers: str) -> dict[str, Any]:
    return {
        "version": "2.0",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": DOMAIN, "x-forwarded-proto": "https", **headers},
        "requestContext": {"domainName": DOMAIN, "requestId": "r-1", "http": {"method": "POST", "path": path}},
        "body": base64.b64encode(body.encode()).decode(),
        "isBase64Encoded": True,
    }


def test_dispatch_listen_and_post_through_function_urls(
    invoke: Any, relay: Relay, creds: Credentials, clock: ScriptedClock
) -> None:
    seen: dict[str, Any] = {}

    def master() -> None:
        listened = invoke(
            "NotifyMailboxListen", url_event("/", form(secret=creds.secret), referer=f"https://{DOMAIN}/")
        )
        seen["listen"] = listened
        reply = form(secret=creds.secret, id=listened["headers"]["X-Message-Id"], data="over the URL")
        seen["post"] = invoke("NotifyMailboxPost", url_event("/MailboxPost/", reply, referer=f"https://{DOMAIN}"))

    clock.on_sleep(master)

    dispatched = invoke("NotifyDispatch", url_event(f"/Dispatch/{creds.ka}/{creds.kc}", "hi"))

    assert seen["listen"]["statusCode"] == 200
    assert base64.b64decode(body_of(seen["listen"]).split(b"\n\n", 1)[1]) == b"hi"
    assert seen["post"]["statusCode"] == 200
    assert (dispatched["statusCode"], body_of(dispatched)) == (200, b"\nover the URL")

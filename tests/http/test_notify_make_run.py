"""`NOTIFY_LISTEN_WINDOW_SECONDS=1 NOTIFY_DISPATCH_WAIT_SECONDS=1 make run`: the shell's windows reach the
functions, `tgw --local` issues credentials that the running server accepts, and `tgw notify endpoints` tells
where to call and how long each call waits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from support.local_server import LocalServer


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(env={"NOTIFY_LISTEN_WINDOW_SECONDS": "1", "NOTIFY_DISPATCH_WAIT_SECONDS": "1"}) as running:
        yield running


def test_windows_set_in_the_shell_are_honoured(server: LocalServer) -> None:
    ka = server.tgw("notify", "user", "create", "--name", "atest@telemetry")["ka"]
    circuit = server.tgw("notify", "circuit", "create", "--name", "demo")

    listened = requests.post(
        f"{server.url}/MailboxListen/",
        data={"secret": circuit["secret"]},
        headers={"Referer": server.url},
        timeout=10,
    )
    dispatched = requests.post(f"{server.url}/Dispatch/{ka}/{circuit['kc']}", data="hello", timeout=10)

    assert (listened.status_code, listened.text) == (
        502,
        "Bad Gateway: no message arrived within 1 seconds; listen again\n",
    )
    assert (dispatched.status_code, dispatched.text) == (
        504,
        "Gateway Timeout: no reply from the Master within 1 seconds\n",
    )
    assert dispatched.headers["X-Message-Id"].endswith(".local")


def test_endpoints_name_the_urls_and_windows_this_server_answers_with(server: LocalServer) -> None:
    endpoints = server.tgw("notify", "endpoints")
    ka = server.tgw("notify", "user", "create", "--name", "endpoints@telemetry")["ka"]
    kc = server.tgw("notify", "circuit", "create", "--name", "endpoints")["kc"]

    dispatched = requests.post(endpoints["dispatch_url"].format(KA=ka, KC=kc), data="hello", timeout=10)

    assert endpoints == {
        "front_door": "RestApi",
        "dispatch_url": f"{server.url}/Dispatch/{{KA}}/{{KC}}",
        "listen_url": f"{server.url}/MailboxListen/",
        "post_url": f"{server.url}/MailboxPost/",
        "dispatch_wait_seconds": 1,
        "listen_window_seconds": 1,
    }
    assert dispatched.status_code == 504

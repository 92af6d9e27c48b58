"""The Notify relay through the local gateway over real HTTP: the documents' own curl commands, unchanged
but for the endpoint, credentials and message id, and concurrent Clients answered by one Master."""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import threading
import time
from typing import Any
from urllib.parse import unquote_plus

import pytest
import requests

from local.app import LocalApp
from support.tgw import tgw_json

# notify-api.md, sections 7, 8.2 and 8.3.
SPEC_DISPATCH = 'curl -i -X POST --data-urlencode "your message here" https://notify.example.com/Dispatch/KA.../KC...'
SPEC_LISTEN = """curl -i -X POST --data-urlencode "secret=KS..." --data-urlencode "last=20250730130101.1042_6.notify-eu-west-1" \\
  -H "Referer: https://notify.example.com" https://notify.example.com/MailboxListen/"""  # noqa: E501 - verbatim
SPEC_POST = """curl -X POST -H "Referer: https://notify.example.com" --data-urlencode "secret=KS..." \\
  --data-urlencode "id=20250730130113.1042_7.notify-eu-west-1" \\
  --data-urlencode $'headers=Header: value\\nHeader: value' \\
  --data-urlencode "data=Message received loud and clear" https://notify.example.com/MailboxPost/"""

# The original Notify API document.
DOC_DISPATCH = (
    'curl -i -X POST --data-urlencode "your message here" https://notify-sample.telemetry.com/Dispatch/'
    "KAxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzzz/KCabcdeabcdeabcdeabcdeabcdeabcdeabcdeabcdee"
)
DOC_LISTEN = """curl -i -X POST --data-urlencode "secret=my_secret_token" --data-urlencode "last=20150721150420.22587_1.sample-server" \\
  -H "Referer: https://notify-sample.telemetry.com" \\
  "https://notify-sample.telemetry.com/MailboxListen/\""""  # noqa: E501 - verbatim
DOC_POST = """curl -X POST --data-urlencode "secret=my_secret_token" \\
    -H "Referer: https://notify-sample.telemetry.com" \\
    --data-urlencode "id=20150721172837.7620_1.sample-server" \\
    --data-urlencode "headers=`$HEADERS_GO_HERE`" \\
    --data-urlencode "data='Message received loud and clear'" \\
    "https://notify-sample.telemetry.com/MailboxPost/\""""


def shell(command: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["bash", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )


def finished(process: subprocess.Popen[bytes]) -> bytes:
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    return out


def split_response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """curl -i output: status line, headers, blank line, body."""
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode().split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), headers, body


@pytest.fixture
def issued(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    ka = tgw_json(aws, monkeypatch, "notify", "user", "create", "--name", "atest@telemetry")["ka"]
    return {"ka": ka} | tgw_json(aws, monkeypatch, "notify", "circuit", "create", "--name", "demo")


def relay_with_curl(
    commands: tuple[str, str, str], replacements: dict[str, str], example_id: str, env: dict[str, str] | None = None
) -> tuple[tuple[int, dict[str, str], bytes], tuple[int, dict[str, str], bytes], bytes]:
    def fill(command: str) -> str:
        for old, new in replacements.items():
            command = command.replace(old, new)
        return command

    dispatch_command, listen_command, post_command = map(fill, commands)
    client = shell(dispatch_command)
    listened = split_response(finished(shell(listen_command)))
    posted = finished(shell(post_command.replace(example_id, listened[1]["X-Message-Id"]), env))
    return split_response(finished(client)), listened, posted


def test_the_specs_curl_commands(gateway_url: str, issued: dict[str, str], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="local.server")
    replacements = {
        "https://notify.example.com": gateway_url,
        "KA...": issued["ka"],
        "KC...": issued["kc"],
        "KS...": issued["secret"],
    }

    dispatched, listened, posted = relay_with_curl(
        (SPEC_DISPATCH, SPEC_LISTEN, SPEC_POST), replacements, "20250730130113.1042_7.notify-eu-west-1"
    )

    status, headers, body = listened
    message_id = headers["X-Message-Id"]
    lines, _, encoded = body.decode().partition("\n\n")
    assert status == 200
    assert headers["X-Telemetry-User"] == "atest@telemetry"
    assert headers["X-Message-State"] == "pending"
    assert lines.split("\n")[:3] == [
        f"X-Message-Id: {message_id}",
        "Content-Transfer-Encoding: base64",
        "X-Telemetry-User: atest@telemetry",
    ]
    assert {"Host", "User-Agent", "Accept", "Content-Type"} <= {line.split(":")[0] for line in lines.split("\n")[3:]}
    assert unquote_plus(base64.b64decode(encoded).decode()) == "your message here"  # curl encodes spaces as %20 or +
    assert posted == b"OK\n"
    assert dispatched == (
        200,
        dispatched[1],
        b"Header: value\nHeader: value\n\nMessage received loud and clear",
    )
    assert {k: dispatched[1][k] for k in ("X-Message-Id", "X-Telemetry-User", "X-Saw-User")} == {
        "X-Message-Id": message_id,
        "X-Telemetry-User": "atest@telemetry",
        "X-Saw-User": "atest@telemetry",
    }
    assert dispatched[1]["Content-Type"] == "text/plain;charset=UTF-8"
    assert dispatched[1]["Access-Control-Allow-Origin"] == "*"
    assert logged(caplog, "POST /Dispatch/{ka}/{kc} 200")  # the local access log names the route,
    for credential in issued.values():  # never the credentials in its path (or anywhere else)
        assert credential not in caplog.text


def logged(caplog: pytest.LogCaptureFixture, text: str) -> bool:
    """Whether `text` gets logged: the server logs a request just after answering it, on its own thread."""
    give_up = time.monotonic() + 5
    while text not in caplog.text and time.monotonic() < give_up:
        time.sleep(0.01)
    return text in caplog.text


def test_the_original_documents_curl_commands(gateway_url: str, issued: dict[str, str]) -> None:
    replacements = {
        "https://notify-sample.telemetry.com": gateway_url,
        "KAxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzzz": issued["ka"],
        "KCabcdeabcdeabcdeabcdeabcdeabcdeabcdeabcdee": issued["kc"],
        "my_secret_token": issued["secret"],
    }

    dispatched, listened, posted = relay_with_curl(
        (DOC_DISPATCH, DOC_LISTEN, DOC_POST),
        replacements,
        "20150721172837.7620_1.sample-server",
        env={"HEADERS_GO_HERE": "echo Header: value"},  # the document runs it with backquotes
    )

    assert listened[0] == 200
    assert posted == b"OK\n"
    assert dispatched[0] == 200
    assert dispatched[2] == b"Header: value\n\n'Message received loud and clear'"
    assert dispatched[1]["X-Saw-User"] == "atest@telemetry"


def test_concurrent_clients_each_get_the_reply_to_their_own_message(gateway_url: str, issued: dict[str, str]) -> None:
    clients = 6
    answers: dict[int, requests.Response] = {}
    seen: list[bytes] = []
    referer = {"Referer": gateway_url}

    def client(n: int) -> None:
        answers[n] = requests.post(
            f"{gateway_url}/Dispatch/{issued['ka']}/{issued['kc']}", data=f"message {n}".encode(), timeout=30
        )

    def master() -> None:
        last = ""
        while len(seen) < clients:
            listened = requests.post(
                f"{gateway_url}/MailboxListen",
                data={"secret": issued["secret"], "last": last},
                headers=referer,
                timeout=30,
            )
            assert listened.status_code == 200, listened.text
            last = listened.headers["X-Message-Id"]
            body = base64.b64decode(listened.text.split("\n\n", 1)[1])
            seen.append(body)
            reply = {"secret": issued["secret"], "id": last, "headers": "X-Echo: yes", "data": b"re: " + body}
            assert requests.post(f"{gateway_url}/MailboxPost/", data=reply, headers=referer, timeout=30).text == "OK\n"

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    threads.append(threading.Thread(target=master))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=40)

    assert sorted(seen) == sorted(f"message {n}".encode() for n in range(clients))  # each once
    for n, answer in answers.items():
        assert (answer.status_code, answer.content) == (200, f"X-Echo: yes\n\nre: message {n}".encode())


def test_platform_answers_on_notify_paths_carry_cors(gateway_url: str, aws: Any) -> None:
    for response in (
        requests.get(f"{gateway_url}/MailboxListen/", timeout=10),
        requests.post(f"{gateway_url}/Dispatch/only-one-segment", timeout=10),
    ):
        assert (response.status_code, response.json()) == (404, {"error": "not found"})
        assert response.headers["Access-Control-Allow-Origin"] == "*"

"""The Notify relay under hostile input: every answer is text/plain with CORS, refusals one line of the spec,
never a 5xx except the two long-poll answers (502 Listen window ended, 504 no reply), which the spec
defines and the shape check accepts only from the route that waits.

Real cookies, the real secret, real message ids and the endpoint URLs are among the candidates, so
requests get past the guards; waits run on a manual clock and end at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from local.app import LocalApp
from support.clock import ManualClock
from support.notify import ScriptedClock
from support.strategies.notify import (
    cookies,
    dispatch_bodies,
    dispatch_headers,
    field_values,
    forms,
    master_headers,
    message_ids,
    query_strings,
    referers,
    reply_headers,
)
from support.tgw import tgw_json
from telemetry_gateway import clock as clock_module
from tests.fuzz.harness import Invoke, budget, notify_shape, send

# The Host of every event api_event builds is 127.0.0.1:3000: the endpoint these requests "reached".
REACHED = "http://127.0.0.1:3000"
MASTER_ROUTES = ["/MailboxListen/", "/MailboxListen", "/MailboxPost/", "/MailboxPost"]


@dataclass(frozen=True)
class Circuit:
    ka: str
    kc: str
    secret: str
    endpoints: tuple[str, ...]
    message_ids: tuple[str, ...]  # messages of this circuit (expired by now)


@pytest.fixture
def circuit(
    aws: LocalApp,
    monkeypatch: pytest.MonkeyPatch,
    local_port: int,
    manual_clock: ManualClock,
    redeploy: Callable[..., None],
) -> Circuit:
    """A user and a circuit issued by `tgw`, and two messages of the circuit, their Dispatches timed out. The
    windows are a second: a fuzzed wait polls ten times, not 250, and what is fuzzed is the answers' shape."""
    redeploy(NOTIFY_DISPATCH_WAIT_SECONDS="1", NOTIFY_LISTEN_WINDOW_SECONDS="1")
    ka = tgw_json(aws, monkeypatch, "notify", "user", "create", "--name", "fuzz@telemetry")["ka"]
    created = tgw_json(aws, monkeypatch, "notify", "circuit", "create", "--name", "fuzz")
    ids = []
    for _ in range(2):
        response = send(aws.runtime.invoke, "notify", "POST", f"/Dispatch/{ka}/{created['kc']}", b"hello")
        ids.append(response["headers"]["X-Message-Id"])
    endpoints = (REACHED, f"http://127.0.0.1:{local_port}", f"http://localhost:{local_port}")
    return Circuit(ka, created["kc"], created["secret"], endpoints, tuple(ids))


def _utf8(text: str) -> bytes:
    """Lone surrogates become the invalid UTF-8 a broken client would send."""
    return text.encode("utf-8", "surrogatepass")


def master_forms(circuit: Circuit, *, real_secret: bool) -> dict[str, st.SearchStrategy[bytes]]:
    """The Masters' fields; with `real_secret` the secret field is the circuit's (the form may still repeat,
    misspell or mis-escape it)."""
    return {
        "secret": st.just(circuit.secret.encode()) if real_secret else field_values([circuit.secret]),
        "last": message_ids(circuit.message_ids).map(_utf8),
        "id": message_ids(circuit.message_ids).map(_utf8),
        "headers": reply_headers().map(_utf8),
        "data": field_values(),
    }


def master_referer(circuit: Circuit, *, real: bool) -> st.SearchStrategy[str | None]:
    return st.sampled_from(circuit.endpoints) if real else referers(circuit.endpoints)


@budget(60)
@given(data=st.data(), body=dispatch_bodies(), headers=dispatch_headers())
def test_dispatch_answers_every_request_in_the_family_shape(
    invoke: Invoke, circuit: Circuit, data: st.DataObject, body: bytes, headers: list[tuple[str, str]]
) -> None:
    ka = data.draw(cookies("KA", [circuit.ka]), label="ka")
    kc = data.draw(cookies("KC", [circuit.kc]), label="kc")
    query = data.draw(query_strings({"ka": field_values([circuit.ka]), "x": field_values()}), label="query")
    notify_shape(send(invoke, "notify", "POST", f"/Dispatch/{ka}/{kc}{query}", body, headers), "NotifyDispatch")


@budget(150)
@given(data=st.data(), route=st.sampled_from(MASTER_ROUTES))
def test_mailbox_routes_answer_every_form_in_the_family_shape(
    invoke: Invoke, circuit: Circuit, data: st.DataObject, route: str
) -> None:
    # Half the requests pass each guard, so the fields behind them are reached.
    fields = master_forms(circuit, real_secret=data.draw(st.booleans(), label="real secret"))
    body = data.draw(forms(fields), label="body")
    query = data.draw(query_strings(fields), label="query")
    referer = data.draw(master_referer(circuit, real=data.draw(st.booleans(), label="real referer")), label="referer")
    headers = data.draw(master_headers(referer), label="headers")
    function = "NotifyMailboxListen" if "Listen" in route else "NotifyMailboxPost"
    notify_shape(send(invoke, "notify", "POST", route + query, body, headers), function)


@budget(40)
@given(data=st.data(), body=dispatch_bodies(), headers=dispatch_headers())
def test_a_fuzzed_master_answers_a_waiting_dispatch_in_the_family_shape(
    invoke: Invoke, circuit: Circuit, data: st.DataObject, body: bytes, headers: list[tuple[str, str]]
) -> None:
    """While a Dispatch waits, a Master listens and posts with fuzzed forms; all three answers in shape."""
    scripted = ScriptedClock()
    previous = clock_module.install(scripted)
    fields = master_forms(circuit, real_secret=data.draw(st.booleans(), label="real secret"))
    real_referer = data.draw(st.booleans(), label="real referer")

    def master() -> None:
        referer = data.draw(master_referer(circuit, real=real_referer), label="referer")
        listen_form = {"secret": fields["secret"], "last": st.just(b"")}
        listened = send(
            invoke, "notify", "POST", "/MailboxListen/", data.draw(forms(listen_form)), [("Referer", referer or "")]
        )
        notify_shape(listened, "NotifyMailboxListen")
        message_id = listened["headers"].get("X-Message-Id", "")
        post_form = {**fields, "id": message_ids([message_id] if message_id else []).map(_utf8)}
        post_body = data.draw(forms(post_form))
        for _ in range(2):  # the same reply twice: the second one finds the message answered (409)
            posted = send(invoke, "notify", "POST", "/MailboxPost/", post_body, [("Referer", referer or "")])
            notify_shape(posted, "NotifyMailboxPost")

    scripted.on_sleep(master)
    try:
        answer = send(invoke, "notify", "POST", f"/Dispatch/{circuit.ka}/{circuit.kc}", body, headers)
    finally:
        clock_module.install(previous)
    notify_shape(answer, "NotifyDispatch")

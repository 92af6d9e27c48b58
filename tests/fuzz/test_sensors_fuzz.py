"""The Sensor API under hostile input: every answer is the route's own protobuf response with an explicit
status, the HTTP code section 5 pairs with it, never a 5xx.

Requests are random messages of the route's type signed by a real client (often correctly, with the next
message id), random bytes, and both damaged at the wire level; paths mostly name the client's namespace and
id. Every route of the Sensor API in template.yaml is fuzzed: a route without a known message pair fails."""

from __future__ import annotations

import base64
import email
import email.message
import email.policy
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from local.template import load
from support.sensor_client import SensorClient
from support.strategies import multipart
from support.strategies.documents import weighted
from support.strategies.http import extra_headers, path_segments
from support.strategies.sensors import (
    DATES,
    ROUTES,
    SIGNATURE_PLANS,
    Signer,
    client_ids,
    damaged,
    exemplars,
    messages,
    namespaces,
)
from telemetry_gateway.sensors.pb import client_messages_pb2, common_pb2
from tests.fuzz.harness import Invoke, budget, send, sensor_shape

PREFIX = "/api/v1/{namespace}/"
SENSOR_ROUTES = sorted(r.path.removeprefix(PREFIX) for r in load().routes if r.path.startswith(PREFIX))
PROTOBUF_ROUTES = [route for route in SENSOR_ROUTES if ROUTES.get(route, (None,))[0] is not None]
CONTENT_TYPES = st.sampled_from(
    ["application/x-protobuf", "application/vnd.google.protobuf", "application/octet-stream", "text/plain", ""]
)


def test_every_sensor_route_of_the_template_has_its_messages_known_to_the_fuzzer() -> None:
    assert set(SENSOR_ROUTES) <= set(ROUTES)
    assert SENSOR_ROUTES  # the template has sensor routes at all


@pytest.fixture
def client(invoke: Invoke) -> SensorClient:
    """A client of namespace `test` with two sensors, created through the handler."""

    def transport(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = send(invoke, "sensors", "POST", path, body, list(headers.items()))
        return response["statusCode"], base64.b64decode(response["body"])

    created = SensorClient(transport)
    sensors = [
        client_messages_pb2.SensorMetadata(sensor_type=t)
        for t in (common_pb2.ACCELEROMETER_3_AXIS, common_pb2.TEMPERATURE)
    ]
    created.create(client_messages_pb2.ClientCreateMessage(attached_sensors=sensors))
    return created


def path_for(route: str, namespace: str, client_id: str) -> str:
    return f"/api/v1/{namespace}/" + route.replace("{client_id}", client_id).replace("{upload_token}", client_id)


@budget(60)
@pytest.mark.parametrize("route", PROTOBUF_ROUTES)
@given(data=st.data(), content_type=CONTENT_TYPES, headers=extra_headers(max_size=2))
def test_protobuf_routes_answer_every_body_in_their_own_message(
    invoke: Invoke,
    client: SensorClient,
    route: str,
    data: st.DataObject,
    content_type: str,
    headers: list[tuple[str, str]],
) -> None:
    request_type, response_type = ROUTES[route]
    assert request_type is not None
    # A valid message, or any message of the type; then signed, serialized and maybe damaged.
    starts = weighted((1, exemplars(request_type, client.sensor_ids)), (1, messages(request_type, client.sensor_ids)))
    message: Any = data.draw(starts, label="message")
    if "client_signature" in request_type.DESCRIPTOR.fields_by_name:
        signer = Signer(client.secret, client.message_id)
        signer.sign(message, data.draw(SIGNATURE_PLANS, label="signature"), data.draw(DATES, label="date"))
        client.message_id = signer.last_id
    serialized = message.SerializeToString()
    body = data.draw(
        weighted((8, st.just(serialized)), (3, damaged(serialized)), (1, st.binary(max_size=128))), label="body"
    )
    namespace = data.draw(weighted((8, st.just(client.namespace)), (1, namespaces())), label="namespace")
    client_id = data.draw(client_ids([client.client_id]), label="client id")
    response = send(
        invoke,
        "sensors",
        "POST",
        path_for(route, namespace, client_id),
        body,
        [("Content-Type", content_type), *headers],
    )
    sensor_shape(response, response_type)


@budget(50)
@given(data=st.data(), upload=multipart.bodies())
def test_every_sensor_route_answers_multipart_bodies_in_its_own_message(
    invoke: Invoke, client: SensorClient, data: st.DataObject, upload: multipart.Multipart
) -> None:
    """Upload bodies (the legacy clients' multipart form) sent to every route: to the upload route, once the
    template has it, with tokens that do not verify; to the protobuf routes, as a client that got it wrong."""
    route = data.draw(st.sampled_from(SENSOR_ROUTES), label="route")
    token = data.draw(path_segments(st.just("eyJuIjoidGVzdCJ9.c2ln")), label="token or client id")
    client_id = token if "upload_token" in route else str(client.client_id)
    response = send(
        invoke,
        "sensors",
        "POST",
        path_for(route, client.namespace, client_id),
        upload.body,
        [("Content-Type", upload.content_type)],
    )
    sensor_shape(response, ROUTES[route][1])


@budget(30)
@given(
    boundary=multipart.boundaries(),
    parts=st.lists(
        st.builds(multipart.Part, st.sampled_from(["payload", "meta"]), st.binary(max_size=64)), min_size=1, max_size=3
    ),
)
def test_well_formed_multipart_bodies_parse_back_to_their_parts(boundary: str, parts: list[multipart.Part]) -> None:
    """The upload strategy's well-formed bodies are what a multipart parser reads as the parts sent, so that
    fuzzing the upload route (once the template has it) starts from valid uploads."""
    assume(all(f"--{boundary}".encode() not in part.data for part in parts))
    body = multipart.encode(parts, boundary)
    head = f"Content-Type: {multipart.content_type(boundary)}\r\n\r\n".encode()
    parsed = email.message_from_bytes(head + body, policy=email.policy.HTTP)
    assert isinstance(parsed, email.message.EmailMessage)
    read = [
        (p.get_param("name", header="content-disposition"), p.get_payload(decode=True)) for p in parsed.iter_parts()
    ]
    assert read == [(part.name, part.data) for part in parts]

"""The replay window under concurrency: racing messages of one client are each accepted exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from cli import sensor_admin
from support.clock import InstantClock
from support.sensor_client import SensorClient, signature
from telemetry_gateway import clock as clock_module
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.pb.common_pb2 import SUCCESS
from telemetry_gateway.sensors.pb.heartbeat_pb2 import HeartbeatMessage
from telemetry_gateway.sensors.store import SensorStore

THREADS = 8


def heartbeat(client: SensorClient, message_id: int) -> tuple[int, str]:
    message = HeartbeatMessage(client_signature=signature(client.secret, message_id))
    status, answer = client.post("heartbeat", message)
    return status, "accepted" if answer.status.type == SUCCESS else answer.status.message


def test_threads_racing_one_client_get_each_id_accepted_exactly_once(client: SensorClient) -> None:
    previous = clock_module.install(InstantClock())
    ids = [message_id for message_id in range(1, 65) for _ in range(2)]  # every id sent twice, one window wide
    start = threading.Barrier(THREADS)

    def send(message_id: int) -> tuple[int, tuple[int, str]]:
        if message_id <= THREADS // 2:
            start.wait()  # the first ones really race
        return message_id, heartbeat(client, message_id)

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(send, ids))
    finally:
        clock_module.install(previous)

    accepted = Counter(message_id for message_id, (status, outcome) in results if outcome == "accepted")
    refused = Counter(outcome for _, (status, outcome) in results if outcome != "accepted")
    assert accepted == Counter(range(1, 65))
    assert refused == Counter({"replayed message_id": 64})
    assert all(status == 400 for _, (status, outcome) in results if outcome != "accepted")


def test_out_of_order_ids_inside_the_window_are_accepted_and_older_ones_refused(client: SensorClient) -> None:
    outcomes = [heartbeat(client, message_id)[1] for message_id in (100, 37, 99, 100, 36)]

    assert outcomes == ["accepted", "accepted", "accepted", "replayed message_id", "replayed message_id"]


def test_the_operator_can_reset_a_window(client: SensorClient, store: SensorStore, deadline: Deadline) -> None:
    heartbeat(client, 5)

    sensor_admin.reset_window(store.table, "test", client.client_id, deadline)

    assert heartbeat(client, 5) == (200, "accepted")
    assert heartbeat(client, 4) == (200, "accepted")


def test_a_client_restarted_with_an_unsaved_counter_is_accepted_but_a_replay_is_not(client: SensorClient) -> None:
    """The Python client saves its message_id only after a heartbeat succeeds: after a crash it sends ids
    the window has seen, with new dates."""
    first_run = [heartbeat_at(client, message_id, "2025-07-30T10:00:00.000") for message_id in range(1, 7)]
    replayed = heartbeat_at(client, 3, "2025-07-30T10:00:00.000")  # an exact replay

    restarted = [heartbeat_at(client, message_id, "2025-07-30T10:05:00.123") for message_id in range(3, 7)]
    old = heartbeat_at(client, 100, "2025-07-30T09:00:00.000")  # new id, old date: accepted by its id
    replay_after = heartbeat_at(client, 5, "2025-07-30T10:00:00.000")  # an old message of the first run

    assert first_run == [(200, "accepted")] * 6
    assert replayed == (400, "replayed message_id")
    assert restarted == [(200, "accepted")] * 4
    assert old == (200, "accepted")
    assert replay_after == (400, "replayed message_id")
    assert heartbeat_at(client, 7, "2025-07-30T10:05:00.123") == (400, "replayed message_id")  # a restart's date again


def heartbeat_at(client: SensorClient, message_id: int, date: str) -> tuple[int, str]:
    message = HeartbeatMessage(client_signature=signature(client.secret, message_id, date))
    status, answer = client.post("heartbeat", message)
    return status, "accepted" if answer.status.type == SUCCESS else answer.status.message

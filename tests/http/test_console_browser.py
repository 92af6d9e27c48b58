"""`tgw --local console` in Debian's headless Chromium over a seeded `make run`, as an operator uses it: each
page shows the seeded counts, links lead to a client page and an item view, the page refreshes itself, shows
empty states and a stopped `make run` plainly, and nothing it loads comes from anywhere but 127.0.0.1.

Screenshots for review are written to test-output/console/<page>.png (git-ignored). Notify runs first: its
pending messages stay pending only for the dispatch wait window (25 s) after seeding."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from support.console import console_process
from support.console_seed import NAMESPACE, TYPE_A, Seeded, seed
from support.local_server import LocalServer
from tests.http.chromium import chromium, errors, requested, screenshot

WAIT_SECONDS = 15


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[LocalServer, Seeded]]:
    with LocalServer() as server:
        yield server, seed(server.url, server.table("NotifyDirectoryTableName"))


@pytest.fixture(scope="module")
def console(seeded: tuple[LocalServer, Seeded]) -> Iterator[str]:
    """The console's address, with a one-second refresh so that refreshing is seen without waiting long."""
    with console_process(seeded[0]) as started:
        yield f"{started['url']}?refresh=1"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    with chromium(tmp_path_factory.mktemp("chromium")) as session:
        yield session


def wait_for(browser: WebDriver, route: str, page: str) -> None:
    """Until the page of `route` has rendered its data (no fixed sleep)."""
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.execute_script(
            "const m = document.getElementById('page');"
            "return m.dataset.route === arguments[0] && m.dataset.page === arguments[1] && m.dataset.state === 'ready'",
            route,
            page,
        ),
        f"page {page} at {route} did not render",
    )


def visit(browser: WebDriver, console: str, route: str, page: str) -> None:
    browser.get(console + route)
    wait_for(browser, route, page)


def follow(browser: WebDriver, selector: str, page: str) -> str:
    """Click a link and wait for the page it leads to; returns its route."""
    link = browser.find_element(By.CSS_SELECTOR, selector)
    route = str(link.get_attribute("href")).partition("#")[2]
    link.click()
    wait_for(browser, f"#{route}", page)
    return f"#{route}"


def counts(browser: WebDriver) -> dict[str, str]:
    found: dict[str, str] = browser.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('[data-count]')]"
        ".map(e => [e.dataset.count, e.textContent]))"
    )
    return found


def rows(browser: WebDriver, table: str) -> int:
    return len(browser.find_elements(By.CSS_SELECTOR, f'[data-table="{table}"] tbody tr'))


def updates(browser: WebDriver) -> int:
    return int(browser.find_element(By.ID, "page").get_attribute("data-updates") or 0)


def test_notify_pages_show_users_circuits_and_messages(browser: WebDriver, console: str) -> None:
    visit(browser, console, "#/notify", "notify")

    assert counts(browser) == {"users": "1", "circuits": "2", "pending": "3", "replied": "3", "expired": "0"}
    assert (rows(browser, "circuits"), rows(browser, "users")) == (2, 1)
    screenshot(browser, "console/notify")
    seen = updates(browser)
    WebDriverWait(browser, WAIT_SECONDS).until(lambda b: updates(b) > seen, "the page did not refresh itself")
    assert browser.find_element(By.ID, "updated").text.startswith("Updated ")
    pause = browser.find_element(By.ID, "pause")
    pause.click()
    assert (pause.text, pause.get_attribute("aria-pressed")) == ("Resume", "true")
    assert browser.find_element(By.ID, "updated").text.startswith("Paused · Updated ")
    pause.click()
    assert (pause.text, pause.get_attribute("aria-pressed")) == ("Pause", "false")

    follow(browser, '[data-circuit="alpha"]', "circuit")
    assert counts(browser) == {"messages": "3", "pending": "1", "replied": "2", "expired": "0"}
    assert rows(browser, "messages") == 3
    screenshot(browser, "console/notify-circuit")


def test_sensor_pages_show_the_fleet_on_the_map_and_a_client(
    browser: WebDriver, console: str, seeded: tuple[LocalServer, Seeded]
) -> None:
    data = seeded[1]
    visit(browser, console, "#/sensors", "namespaces")
    follow(browser, f'[data-namespace="{NAMESPACE}"]', "fleet")
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.find_element(By.ID, "map").get_attribute("data-world") == "ready", "the map's shapes did not load"
    )
    drawn = {kind: len(browser.find_elements(By.CSS_SELECTOR, f"#map path.{kind}")) for kind in DRAWN}

    assert counts(browser) == {
        "clients": "5",
        "active": "4",
        "inactive": "1",
        "cells": "3",
        "events": "1",
        "open-requests": "1",
    }
    assert [rows(browser, table) for table in ("cells", "clients", "events", "requests")] == [3, 5, 1, 1]
    assert {kind: n for kind, n in drawn.items() if kind != "country"} == {
        "cell": 3,
        "client": 3,  # the three clients at one spot in Pasadena share a marker
        "event": 1,
        "request-area": 1,
    }
    assert drawn["country"] > 200
    screenshot(browser, "console/sensors")

    follow(browser, f'[data-client="{data.uploader}"]', "client")
    assert counts(browser) == {"sensors": "1", "readings": "1"}
    assert str(data.reading_id) in browser.find_element(By.CSS_SELECTOR, '[data-table="readings"]').text
    screenshot(browser, "console/sensor-client")

    visit(browser, console, "#/sensors/nobody-here", "fleet")
    empty = browser.find_element(By.CSS_SELECTOR, '[data-empty="clients"]').text
    assert empty == "No clients in namespace nobody-here yet."
    screenshot(browser, "console/sensors-empty")


DRAWN = ("cell", "client", "event", "request-area", "country")


def test_telemetry_pages_by_type_item_and_client(
    browser: WebDriver, console: str, seeded: tuple[LocalServer, Seeded]
) -> None:
    client_a = seeded[1].telemetry_clients["A"]
    visit(browser, console, "#/telemetry", "telemetry")
    browser.find_element(By.CSS_SELECTOR, '[data-form="telemetry-lookup"] input').send_keys(TYPE_A)
    browser.find_element(By.CSS_SELECTOR, '[data-form="telemetry-lookup"] button').click()
    wait_for(browser, f"#/telemetry/type/{TYPE_A}", "telemetryList")

    assert (counts(browser), rows(browser, "items")) == ({"items": "3"}, 3)
    screenshot(browser, "console/telemetry")

    follow(browser, "[data-item]", "item")
    shown = json.loads(browser.find_element(By.CSS_SELECTOR, '[data-data="item"]').text)
    assert shown["seed"] in {"A", "B"}
    screenshot(browser, "console/telemetry-item")

    visit(browser, console, f"#/telemetry/client/{client_a}", "telemetryList")
    assert counts(browser) == {"items": "3", "registrations": "2"}
    screenshot(browser, "console/telemetry-client")


def test_nothing_the_pages_load_leaves_this_machine(browser: WebDriver) -> None:
    """Every request the pages made (Chrome's own network log) went to 127.0.0.1, and none failed."""
    urls = requested(browser)
    network = [urlsplit(url) for url in urls]
    sources = browser.execute_script(
        "return [...document.querySelectorAll('script[src], link[href], img[src]')]"
        ".map(e => e.getAttribute('src') || e.getAttribute('href'))"
    )
    problems = errors(browser)

    assert any("/vendor/world-atlas/countries-50m.json" in url for url in urls)
    assert {(url.scheme, url.hostname) for url in network} == {("http", "127.0.0.1")}
    assert [source for source in sources if not source.startswith("/")] == []
    assert problems == []


def test_a_stopped_make_run_is_shown_plainly(
    browser: WebDriver, console: str, seeded: tuple[LocalServer, Seeded]
) -> None:
    """Last: it stops the server. The page keeps what it read and says why it cannot refresh."""
    visit(browser, console, "#/notify", "notify")
    process = seeded[0].process
    assert process is not None
    process.terminate()
    process.wait(timeout=20)

    banner = browser.find_element(By.ID, "banner")
    WebDriverWait(browser, WAIT_SECONDS).until(lambda _: banner.is_displayed(), "no error was shown")
    assert "`make run` is not running" in banner.text
    assert "Showing what was read at" in banner.text
    assert browser.find_element(By.ID, "page").get_attribute("data-state") == "ready"
    screenshot(browser, "console/error-make-run-stopped")

"""`tgw --local console` in Debian's headless Chromium over a seeded `make run`, as an operator uses it: each
page shows the seeded counts, links lead to a client page and an item view, the page refreshes itself, shows
empty states and a stopped `make run` plainly, and nothing it loads comes from anywhere but 127.0.0.1.

Screenshots for review are written to test-output/console/<page>.png (git-ignored). Notify runs first: its
pending messages stay pending only for the dispatch wait window (25 s) after seeding."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from local.paths import ROOT
from support.console import console_process
from support.console_seed import NAMESPACE, TYPE_A, Seeded, seed
from support.local_server import LocalServer

SCREENSHOTS = ROOT / "test-output" / "console"
# Without the background-networking flags Chromium reaches out to Google's services, which this closed
# network refuses; the console itself needs nothing beyond 127.0.0.1.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1100",
]
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
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.fail("Debian's chromium and chromium-driver are missing: `make test` installs them")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    session = webdriver.Chrome(options=options, service=Service(driver))
    yield session
    session.quit()


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


def screenshot(browser: WebDriver, name: str) -> Path:
    """The whole page, below the window's fold too (Chrome's DevTools capture)."""
    width, height = browser.execute_script("const d = document.documentElement; return [d.scrollWidth, d.scrollHeight]")
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip})
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    print(f"console screenshot: {path}")  # for the reviewer: shown with -s or -rP
    return path


def log(browser: WebDriver, kind: str) -> list[dict[str, Any]]:
    """Chrome's log of one kind since the last read (selenium leaves get_log untyped)."""
    entries: list[dict[str, Any]] = browser.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def updates(browser: WebDriver) -> int:
    return int(browser.find_element(By.ID, "page").get_attribute("data-updates") or 0)


def test_notify_pages_show_users_circuits_and_messages(browser: WebDriver, console: str) -> None:
    visit(browser, console, "#/notify", "notify")

    assert counts(browser) == {"users": "1", "circuits": "2", "pending": "3", "replied": "3", "expired": "0"}
    assert (rows(browser, "circuits"), rows(browser, "users")) == (2, 1)
    screenshot(browser, "notify")
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
    screenshot(browser, "notify-circuit")


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
    screenshot(browser, "sensors")

    follow(browser, f'[data-client="{data.uploader}"]', "client")
    assert counts(browser) == {"sensors": "1", "readings": "1"}
    assert str(data.reading_id) in browser.find_element(By.CSS_SELECTOR, '[data-table="readings"]').text
    screenshot(browser, "sensor-client")

    visit(browser, console, "#/sensors/nobody-here", "fleet")
    empty = browser.find_element(By.CSS_SELECTOR, '[data-empty="clients"]').text
    assert empty == "No clients in namespace nobody-here yet."
    screenshot(browser, "sensors-empty")


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
    screenshot(browser, "telemetry")

    follow(browser, "[data-item]", "item")
    shown = json.loads(browser.find_element(By.CSS_SELECTOR, '[data-data="item"]').text)
    assert shown["seed"] in {"A", "B"}
    screenshot(browser, "telemetry-item")

    visit(browser, console, f"#/telemetry/client/{client_a}", "telemetryList")
    assert counts(browser) == {"items": "3", "registrations": "2"}
    screenshot(browser, "telemetry-client")


def test_nothing_the_pages_load_leaves_this_machine(browser: WebDriver) -> None:
    """Every request the pages made (Chrome's own network log) went to 127.0.0.1, and none failed."""
    requested: list[str] = []
    for entry in log(browser, "performance"):
        message: dict[str, Any] = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    # chrome:// is the browser's own new-tab page before the first visit: no network
    network = [urlsplit(url) for url in requested if not url.startswith(("chrome:", "data:"))]
    sources = browser.execute_script(
        "return [...document.querySelectorAll('script[src], link[href], img[src]')]"
        ".map(e => e.getAttribute('src') || e.getAttribute('href'))"
    )
    problems = [entry["message"] for entry in log(browser, "browser") if entry["level"] == "SEVERE"]

    assert any("/vendor/world-atlas/countries-50m.json" in url for url in requested)
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
    screenshot(browser, "error-make-run-stopped")

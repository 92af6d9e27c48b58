"""Debian's headless Chromium under selenium, shared by the browser tests: a session that reaches nothing but
127.0.0.1, whole-page screenshots for review, and Chrome's own logs (what was requested, what failed)."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver

from local.paths import ROOT

SCREENSHOTS = ROOT / "test-output"
# Without the background-networking flags Chromium reaches out to Google's services, which this closed
# network refuses; the pages under test need nothing beyond 127.0.0.1.
FLAGS = [
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


@contextmanager
def chromium(profile: Path) -> Iterator[WebDriver]:
    """A fresh browser with its own profile directory, logging every network request and console error."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or driver is None:
        pytest.fail("Debian's chromium and chromium-driver are missing: `make test` installs them")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    session = webdriver.Chrome(options=options, service=Service(driver))
    try:
        yield session
    finally:
        session.quit()


def screenshot(browser: WebDriver, name: str) -> Path:
    """The whole page, below the window's fold too (Chrome's DevTools capture), as test-output/<name>.png."""
    width, height = browser.execute_script("const d = document.documentElement; return [d.scrollWidth, d.scrollHeight]")
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip})
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    print(f"screenshot: {path}")  # for the reviewer: shown with -s or -rP
    return path


def log(browser: WebDriver, kind: str) -> list[dict[str, Any]]:
    """Chrome's log of one kind since the last read (selenium leaves get_log untyped)."""
    entries: list[dict[str, Any]] = browser.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def requested(browser: WebDriver) -> list[str]:
    """Every URL the pages asked of the network since the last read of the performance log (chrome:// pages
    such as the first new tab, and data: URLs, never leave the browser)."""
    urls: list[str] = []
    for entry in log(browser, "performance"):
        message: dict[str, Any] = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return [url for url in urls if not url.startswith(("chrome:", "data:"))]


def errors(browser: WebDriver) -> list[str]:
    """The console's severe messages since the last read: failed loads and uncaught exceptions."""
    return [entry["message"] for entry in log(browser, "browser") if entry["level"] == "SEVERE"]

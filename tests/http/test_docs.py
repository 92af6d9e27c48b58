"""`make run` serves the JSON API's OpenAPI document in Swagger UI at /docs: the page and its files come from
this machine (the bootstrap's npm install), every operation of the document is listed, and "Try it out"
calls the running server, whatever its port."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
import yaml
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from local.docs import DOCUMENT
from tests.http.chromium import chromium, errors, requested, screenshot

METHODS = {"get", "head", "post", "put", "patch", "delete", "options"}
WAIT_SECONDS = 15


def operations() -> int:
    paths = yaml.safe_load(DOCUMENT.read_text())["paths"]
    return sum(1 for item in paths.values() for method in item if method in METHODS)


def test_the_page_loads_swagger_ui_from_this_server(gateway_url: str, http: requests.Session) -> None:
    page = http.get(gateway_url + "/docs", timeout=10)
    assets = [http.get(f"{gateway_url}/docs/{name}", timeout=10) for name in ("swagger-ui.css", "swagger-ui-bundle.js")]

    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert 'src="/docs/swagger-ui-bundle.js"' in page.text
    assert [(a.status_code, a.headers["content-type"]) for a in assets] == [
        (200, "text/css"),
        (200, "text/javascript"),
    ]


def test_the_document_served_is_the_one_in_the_checkout(gateway_url: str, http: requests.Session) -> None:
    answer = http.get(gateway_url + "/docs/openapi.yaml", timeout=10)

    assert answer.status_code == 200
    assert answer.content == DOCUMENT.read_bytes()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("POST", "/docs", 405), ("DELETE", "/docs/openapi.yaml", 405), ("GET", "/docs/package.json", 404)],
)
def test_the_docs_are_read_only_and_serve_only_swagger_uis_files(
    gateway_url: str, http: requests.Session, method: str, path: str, status: int
) -> None:
    answer = http.request(method, gateway_url + path, timeout=10)

    assert answer.status_code == status
    assert path in answer.text or "read-only" in answer.text


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    with chromium(tmp_path_factory.mktemp("chromium")) as session:
        yield session


def test_swagger_ui_lists_every_operation_and_tries_one_against_this_server(
    browser: WebDriver, gateway_url: str
) -> None:
    browser.get(gateway_url + "/docs")
    WebDriverWait(browser, WAIT_SECONDS).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".opblock")) > 0)
    listed = len(browser.find_elements(By.CSS_SELECTOR, ".opblock"))
    screenshot(browser, "docs/json-api")

    healthz = browser.find_element(By.ID, "operations-service-healthz")
    healthz.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    WebDriverWait(healthz, WAIT_SECONDS).until(lambda e: e.find_elements(By.CSS_SELECTOR, ".try-out__btn"))
    healthz.find_element(By.CSS_SELECTOR, ".try-out__btn").click()
    healthz.find_element(By.CSS_SELECTOR, ".execute").click()
    WebDriverWait(healthz, WAIT_SECONDS).until(lambda e: e.find_elements(By.CSS_SELECTOR, ".live-responses-table"))
    status = healthz.find_element(By.CSS_SELECTOR, ".live-responses-table tbody .response-col_status").text
    urls = [urlsplit(url) for url in requested(browser)]

    assert listed == operations()
    assert status == "200"
    assert {(url.scheme, url.hostname, url.port) for url in urls} == {("http", "127.0.0.1", urlsplit(gateway_url).port)}
    assert errors(browser) == []

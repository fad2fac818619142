"""The dashboard in a real headless Chromium (Debian's package), against a real uvicorn server.

Screenshots of every page are saved to tests/artifacts/screenshots/ so that a person can look at
them; the path is printed. Playwright drives the installed browser and never downloads one.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import ROOT
from .test_api import SCRIPT_REPORT, sample_ledger  # noqa: F401 (the shared fixture)

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = {
    "overview": "/",
    "events": "/events",
    "event": "/events/2025-12-19-bodies",
    "agreements": "/agreements",
    "findings": "/findings",
    "check": "/check",
    "api-docs": "/api/v1/docs",
}

playwright_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(sample_ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    """`swapledger serve` on a free port of 127.0.0.1, over a copy of the sample ledger."""
    db = tmp_path_factory.mktemp("served") / "ledger.db"
    shutil.copy(sample_ledger, db)
    port = _free_port()
    command = [sys.executable, "-m", "swapledger.cli", "serve", "--db", str(db), "--port", str(port)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from swapledger.cli import main; main()", *command[3:]],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/api/v1/totals", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                f"the server did not start: {process.stderr.read().decode() if process.stderr else ''}"
            )
        time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []  # console errors and uncaught exceptions, checked by the tests
    page.on("console", lambda m: page.problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    yield page
    context.close()


def _shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_without_console_errors(server: str, page: Any, name: str) -> None:
    response = page.goto(server + PAGES[name], wait_until="networkidle")
    assert response is not None and response.status == 200
    if name == "api-docs":
        page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert page.problems == []
    assert page.locator("h1").first.inner_text().strip()
    print(f"\nscreenshot: {_shot(page, name)}")


def test_the_charts_are_drawn_with_their_numbers_alongside(server: str, page: Any) -> None:
    page.goto(server + "/", wait_until="networkidle")
    for chart in ("#chart-monthly", "#chart-running"):
        page.wait_for_selector(f"{chart}[data-drawn=true] .main-svg", timeout=15_000)
    assert page.locator("#chart-monthly .bars .point").count() > 5
    assert page.locator("#chart-running .scatterlayer .trace").count() >= 2
    # the text alternative: the same numbers in a table
    assert page.locator("details.chart-table tbody tr").count() > 5
    assert page.problems == []


def test_filters_change_the_table(server: str, page: Any) -> None:
    page.goto(server + "/events", wait_until="networkidle")
    everything = page.locator("#events-table tbody tr").count()
    page.select_option("select[name=category]", "pows")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**category=pows**")
    rows = page.locator("#events-table tbody tr")
    assert 0 < rows.count() < everything
    assert {rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())} == {"pows"}
    page.check("input[name=disputed]")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**disputed=true**")
    assert page.locator("#events-table tbody tr").count() <= rows.count()
    # sorting by a column header
    page.goto(server + "/events", wait_until="networkidle")
    page.click("#events-table thead a:has-text('Sources')")
    page.wait_for_url("**sort=-n_documents**")
    counts = [int(x) for x in page.locator("#events-table tbody tr td:nth-child(6)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    _shot(page, "events-sorted")


def test_the_event_page_highlights_each_quote_inside_its_paragraph(server: str, page: Any) -> None:
    page.goto(server + "/events/2025-12-19-bodies", wait_until="networkidle")
    sources = page.locator("li.source")
    assert sources.count() >= 5
    first = sources.first
    quote = first.locator("blockquote mark").inner_text()
    paragraph = first.locator("blockquote").inner_text()
    assert quote and quote in paragraph
    assert any(
        len(s.locator("blockquote").inner_text()) > len(s.locator("mark").inner_text()) for s in sources.all()
    )
    assert page.locator("table.flows").inner_text().count("→") >= 2
    assert "receiver's own count" in page.locator("table.flows").inner_text()


def test_report_script_never_runs(server: str, page: Any) -> None:
    page.goto(server + "/check", wait_until="networkidle")
    page.fill("#text", SCRIPT_REPORT)
    page.fill("#published", "2026-03-03")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.click("form.check-form button[type=submit]")
    page.wait_for_selector("#verdict")
    assert dialogs == [] and "<script>alert(1)</script>" in page.locator("#verdict-table").inner_text()


def test_the_checker_gives_a_verdict(server: str, page: Any) -> None:
    page.goto(server + "/check", wait_until="networkidle")
    page.fill("#text", "Russia returned 1,003 bodies to Ukraine on 19 December 2025, the headquarters said.")
    page.fill("#published", "2025-12-19")
    page.click("form.check-form button[type=submit]")
    page.wait_for_selector("#verdict")
    assert "No claim disagrees with the ledger" in page.locator(".verdict").first.inner_text()
    assert page.locator("#verdict-table tbody tr").first.locator(".tag").inner_text() == "matches"
    assert page.problems == []
    _shot(page, "check-verdict")


def test_keyboard_and_phone(server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(server + "/", wait_until="networkidle")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # nothing wider than the screen: tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    _shot(page, "overview-phone")
    context.close()

"""Browser tests: a real `calmroom serve`, the built client, Debian's chromium
driven by Playwright's sync API (our own fixtures; no pytest-playwright).

- The client is built here when client/dist is missing or older than its
  sources (`npm ci` only when node_modules is missing or stale).
- Every page's console errors, page errors and dialogs (an XSS would open
  one) are collected; a test that leaves any fails.
- Screenshots go to test-artifacts/screenshots/ at the repository root.
- Every screenshot is also an accessibility check: axe-core (the npm package
  in client/node_modules) runs on the page as it is then, with the WCAG 2.1
  A/AA rules and the best-practice ones; any violation, of any impact, is a
  browser error of that person."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.axe import axe_violations
from helpers.server import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client"
DIST = CLIENT / "dist"
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CALMROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 10_000  # every wait in these tests is bounded
def _newest(paths) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            for f in path.rglob("*"):
                if f.is_file():
                    newest = max(newest, f.stat().st_mtime)
        elif path.exists():
            newest = max(newest, path.stat().st_mtime)
    return newest


def build_client() -> Path:
    index = DIST / "index.html"
    sources = [CLIENT / "src", CLIENT / "index.html", CLIENT / "package.json", CLIENT / "package-lock.json", CLIENT / "vite.config.js"]
    if index.is_file() and index.stat().st_mtime >= _newest(sources):
        return DIST
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("the browser tests need the client built, and building it needs npm (Node 20+)")
    modules = CLIENT / "node_modules" / ".package-lock.json"
    if not modules.is_file() or modules.stat().st_mtime < (CLIENT / "package-lock.json").stat().st_mtime:
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CLIENT, check=True, timeout=600)
    subprocess.run([npm, "run", "build"], cwd=CLIENT, check=True, timeout=300)
    if not index.is_file():
        pytest.fail("npm run build did not produce client/dist/index.html")
    return DIST


@pytest.fixture(scope="session")
def client_dist() -> Path:
    return build_client()


@pytest.fixture(scope="session")
def server(tmp_path_factory, client_dist):
    tmp = tmp_path_factory.mktemp("e2e")
    srv = ServerProcess(
        tmp, env={"CALMROOM_RATE_LIMIT": "200/second", "CALMROOM_CLIENT_DIR": str(client_dist.resolve())}
    ).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is needed at {CHROMIUM} (make browser installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


class Person:
    """One person at one device: a browser context with its own storage."""

    def __init__(self, label: str, context, page, shots: Path, prefix: str, counter: list[int]):
        self.label = label
        self.context = context
        self.page = page
        self.errors: list[str] = []
        self._shots = shots
        self._prefix = prefix
        self._counter = counter
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"{label}: page error: {exc}"))
        page.on("dialog", self._dialog)

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(f"{self.label}: console error: {msg.text} ({msg.location})")

    def _dialog(self, dialog) -> None:
        self.errors.append(f"{self.label}: unexpected dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def shot(self, name: str, *, full: bool = True) -> Path:
        """A screenshot: the whole page from the top, or (full=False) what
        the screen shows now, for sticky parts such as the rating bar."""
        self._counter[0] += 1
        safe = re.sub(r"[^a-z0-9-]+", "-", f"{self.label}-{name}".lower()).strip("-")
        path = self._shots / f"{self._prefix}-{self._counter[0]:02d}-{safe}.png"
        if full:
            self.page.evaluate("window.scrollTo(0, 0)")
        self.page.wait_for_timeout(150)  # let fonts and layout settle
        self.page.screenshot(path=str(path), full_page=full, timeout=WAIT_MS)
        self.check_accessibility(name)
        return path

    def check_accessibility(self, name: str) -> None:
        for v in axe_violations(self.page):
            self.errors.append(f"{self.label}: axe on {name!r} ({self.page.url}): {v}")


class People:
    def __init__(self, browser, server, shots: Path, prefix: str):
        self.browser = browser
        self.server = server
        self.shots = shots
        self.prefix = prefix
        self.counter = [0]
        self.made: list[Person] = []
        self.allowed: list[re.Pattern] = []

    def __call__(
        self, label: str, *, phone: bool = False, locale: str = "en-US", size: dict | None = None, server=None
    ) -> Person:
        options: dict = {"locale": locale, "base_url": (server or self.server).url}
        if phone:
            options.update(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)
        else:
            options.update(viewport=size or {"width": 1280, "height": 860})
        context = self.browser.new_context(**options)
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(15_000)
        page = context.new_page()
        person = Person(label, context, page, self.shots, self.prefix, self.counter)
        self.made.append(person)
        return person

    def allow(self, pattern: str) -> None:
        """Console errors matching `pattern` are expected (e.g. while a test
        takes the server away on purpose)."""
        self.allowed.append(re.compile(pattern))

    def errors(self) -> list[str]:
        return [e for p in self.made for e in p.errors if not any(a.search(e) for a in self.allowed)]

    def check(self) -> None:
        errors = self.errors()
        assert not errors, "browser errors:\n" + "\n".join(errors)

    def close(self) -> None:
        for p in self.made:
            try:
                p.context.close()
            except Exception:  # already gone
                pass


@pytest.fixture
def people(request, browser, server, shots_dir):
    prefix = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")
    for old in shots_dir.glob(f"{prefix}-*.png"):
        old.unlink()
    crowd = People(browser, server, shots_dir, prefix)
    yield crowd
    errors = crowd.errors()
    crowd.close()
    assert not errors, "browser errors:\n" + "\n".join(errors)

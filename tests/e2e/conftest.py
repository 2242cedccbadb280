"""Browser tests: Playwright drives Debian's Chromium against the real ASGI app in a subprocess.

Django's `live_server` is WSGI only; the live sessions need WebSockets, so the server here is uvicorn
running `civic.asgi:application` on the test database (a file for SQLite, the test database on
PostgreSQL). Tests use `transactional_db` so the server sees their rows. E-mail goes to files that
the tests read as the outbox.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI must run the browser tests, but Chromium is missing at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: apt-get install -y chromium fonts-wqy-microhei")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _database_url(settings_dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, url: str, mail_dir: Path):
        self.url = url
        self.mail_dir = mail_dir

    def outbox(self) -> list[str]:
        """Every e-mail the server sent so far, oldest first, as raw text."""
        return [p.read_text(encoding="utf-8") for p in sorted(self.mail_dir.glob("*.log"), key=os.path.getmtime)]

    def clear_outbox(self):
        for p in self.mail_dir.glob("*.log"):
            p.unlink()


def start_server(database_url: str, mail_dir: Path, log_path: Path, **extra_env: str):
    """uvicorn with the ASGI app on a free port, on the test database; returns (process, url, log).
    `extra_env` adds or replaces environment variables (e.g. REDIS_URL at a dead port)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "DJANGO_ENV"}}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        DJANGO_EMAIL_FILE_PATH=str(mail_dir),
        # links in e-mails start with the configured public address, as in a deployment
        DJANGO_SITE_URL=f"http://127.0.0.1:{port}",
        DJANGO_ALLOW_ASYNC_UNSAFE="",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env)
    log = open(log_path, "w+")  # noqa: SIM115 (lives as long as the server)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "civic.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"the ASGI server did not start:\n{log.read()}") from None
            time.sleep(0.1)
    return process, f"http://127.0.0.1:{port}", log


def stop_server(process, log):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def live_asgi(django_db_setup, tmp_path_factory):
    """A fresh server per test: between tests the database is flushed and its content types are created
    again with new ids, which a long-lived server process would still have cached."""
    from django.db import connection

    mail_dir = tmp_path_factory.mktemp("mail")
    process, url, log = start_server(
        _database_url(connection.settings_dict), mail_dir, tmp_path_factory.mktemp("server") / "uvicorn.log"
    )
    yield LiveServer(url, mail_dir)
    stop_server(process, log)


@pytest.fixture
def second_live_asgi(live_asgi, tmp_path_factory):
    """Another server process on the same database (and the same Redis, when REDIS_URL is set)."""
    from django.db import connection

    process, url, log = start_server(
        _database_url(connection.settings_dict), live_asgi.mail_dir, tmp_path_factory.mktemp("server2") / "uvicorn.log"
    )
    yield LiveServer(url, live_asgi.mail_dir)
    stop_server(process, log)


@pytest.fixture(scope="package")
def browser():
    """Package-scoped: Playwright's loop must stop before the async tests elsewhere run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_asgi, transactional_db):
    """A fresh browser context (no cookies) sized like a phone unless a test resizes it."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=live_asgi.url)
    errors = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    page.set_default_timeout(10_000)
    live_asgi.clear_outbox()
    yield page
    context.close()


SCREENSHOTS = ROOT / "var" / "screenshots"


def screenshot(page, name: str):
    """Keep a screenshot of what the test saw (var/screenshots/), for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def off_loop(fn, *args, **kwargs):
    """Run test setup that publishes live events in a worker thread: Playwright's sync API keeps an event
    loop running in the test's own thread, where async_to_sync cannot run (the site's own code always
    calls services from worker threads)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()

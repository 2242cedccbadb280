"""With Redis down a person signs in, and the live pages say "reconnecting…" while still showing the
session from the record (docs/deploy.md, "While Redis is down")."""

import socket

import pytest
from django.db import connection
from django.urls import reverse

from tests.deliberation.session_setup import make_council, make_session
from tests.e2e.conftest import _database_url, off_loop, screenshot, start_server, stop_server
from tests.factories import PASSWORD, UserFactory
from tests.world import build_world

pytestmark = pytest.mark.browser
DEAD = "redis://127.0.0.1:6390/0"


@pytest.fixture
def dead_redis_server(django_db_setup, transactional_db, tmp_path_factory):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        if probe.connect_ex(("127.0.0.1", 6390)) == 0:
            pytest.skip("something listens on port 6390, which this test needs dead")
    process, url, log = start_server(
        _database_url(connection.settings_dict),
        tmp_path_factory.mktemp("mail"),
        tmp_path_factory.mktemp("server") / "uvicorn.log",
        REDIS_URL=DEAD,
    )
    yield url
    stop_server(process, log)


def test_sign_in_and_watch_a_session_while_redis_is_down(browser, dead_redis_server):
    person = UserFactory()
    world = off_loop(build_world)
    session = off_loop(lambda: make_session(world, make_council(world)))
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=dead_redis_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(person.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    status = page.locator("[data-live-status]")
    status.wait_for(state="visible")
    assert status.inner_text() == "正在重新连接…"

    page.goto(reverse("deliberation:session-live", args=[session.pk]))
    conn = page.locator("[data-conn]")
    conn.wait_for(state="visible")
    assert conn.inner_text() == "正在重新连接…"
    assert page.locator("[data-phase]").inner_text()  # the snapshot from the record is shown
    screenshot(page, "redis-down-session")
    context.close()

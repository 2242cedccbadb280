"""The elders' mode switch: a cookie and a way back; the page itself never varies by mode (so a cached page
serves both), the class is put on <html> by static/js/mode.js from the cookie."""

import re

import pytest
from django.test import Client
from django.urls import reverse, reverse_lazy

pytestmark = pytest.mark.django_db


def test_the_switch_sets_the_cookie_and_goes_back_to_the_page(client):
    response = client.post(reverse("civic:display-mode"), {"mode": "elder", "next": "/proposals/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/proposals/?page=2"
    cookie = response.cookies["mode"]
    assert cookie.value == "elder" and cookie["samesite"] == "Lax" and int(cookie["max-age"]) > 365 * 24 * 3600
    assert not cookie["httponly"]  # the script in <head> reads it


def test_the_standard_mode_clears_the_cookie(client):
    client.cookies["mode"] = "elder"
    response = client.post(reverse("civic:display-mode"), {"mode": "standard", "next": "/ballots/"})
    assert response["Location"] == "/ballots/"
    assert response.cookies["mode"].value == "" and response.cookies["mode"]["max-age"] == 0


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_way_back_stays_on_the_site(client, target):
    response = client.post(reverse("civic:display-mode"), {"mode": "elder", "next": target})
    assert response["Location"] == reverse("civic:home")


def test_the_switch_is_a_post(client):
    assert client.get(reverse("civic:display-mode"), {"mode": "elder"}).status_code == 405


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_page_is_the_same_in_both_modes_and_offers_both_switches(client):
    standard = client.get("/").content.decode()
    client.cookies["mode"] = "elder"
    elder = client.get("/").content.decode()
    assert _without_tokens(standard) == _without_tokens(elder)
    assert '<script src="/static/js/mode.js"></script>' in standard.split("</head>")[0]
    assert 'value="elder"' in standard and 'value="standard"' in standard


def test_the_language_menu_names_each_language_in_itself(client):
    for language in ("zh-hans", "en"):
        client.cookies["lang"] = language
        html = client.get("/").content.decode()
        assert '<option value="zh-hans" lang="zh-hans"' in html
        assert ">简体中文</option>" in html and ">English</option>" in html and "英语" not in html


# Both switches are on every page a visitor reads, kept whole for all visitors: they carry no CSRF token
# (none is made for a visitor), and what the token guarded against, another site making a browser post
# them, is refused from what the browser says of the form's origin.

SWITCHES = [
    (reverse_lazy("civic:display-mode"), {"mode": "elder", "next": "/ballots/"}, "mode", "elder"),
    (reverse_lazy("set_language"), {"language": "en", "next": "/ballots/"}, "lang", "en"),
]


@pytest.mark.parametrize("url,data,cookie,value", SWITCHES)
@pytest.mark.parametrize(
    "headers",
    [
        {},  # a browser that says nothing of where a form comes from
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "http://testserver/ballots/"},
    ],
)
def test_the_switches_work_without_a_token_from_this_site(url, data, cookie, value, headers):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, data, **headers)
    assert response.status_code == 302 and response["Location"] == "/ballots/"
    assert response.cookies[cookie].value == value


@pytest.mark.parametrize("url,data,cookie,value", SWITCHES)
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://sub.testserver"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
)
def test_another_site_cannot_make_a_browser_post_the_switches(url, data, cookie, value, headers):
    response = Client(enforce_csrf_checks=True).post(url, data, **headers)
    assert response.status_code == 403 and cookie not in response.cookies


def test_a_visitors_kept_page_is_stored_bytes_with_no_token_and_no_cookie(client):
    """No form a visitor reads carries a CSRF token, so a kept page is served as kept: one query, no cookie."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get("/")
    assert first.status_code == 200 and "csrfmiddlewaretoken" not in first.content.decode()
    for _reading in range(2):
        visitor = Client()  # a new visitor each time
        with CaptureQueriesContext(connection) as queries:
            response = visitor.get("/")
        assert len(queries) == 1
        assert response.content == first.content and not response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_signed_in_readers_forms_still_carry_their_token(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in html  # the log-out form
    assert html.count('name="csrfmiddlewaretoken"') == 1  # the switches need none

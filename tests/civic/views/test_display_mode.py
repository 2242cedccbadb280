"""The elders' mode switch: a cookie and a way back; the page itself never varies by mode (so a cached page
serves both), the class is put on <html> by static/js/mode.js from the cookie."""

import re

import pytest
from django.urls import reverse

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

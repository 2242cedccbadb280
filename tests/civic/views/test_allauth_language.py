"""The account pages and e-mails (django-allauth's) read wholly in the reader's language: allauth's own
catalogue leaves English words ("Hello!", "Email") and ASCII full stops in its Chinese; the site's catalogue
overrides them."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/confirm-email/"]


def _words(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _without_links(text: str) -> str:
    return re.sub(r"https?://\S+", " ", text)


def test_the_chinese_account_pages_have_no_english_words(client):
    client.cookies["lang"] = "zh-hans"
    for url in PAGES:
        words = _words(client.get(url).content.decode())
        assert not re.search(r"[A-Za-z]{3,}", words), (url, words)
        assert not re.search(r"[\u4e00-\u9fff]\s*\.", words), (url, words)


def test_the_chinese_email_page_of_a_signed_in_person(client, user):
    client.cookies["lang"] = "zh-hans"
    client.force_login(user)
    words = _words(client.get("/accounts/email/").content.decode()).replace(user.email, "")
    assert "电子邮件地址" in words and not re.search(r"[A-Za-z]{3,}", words), words


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_password_reset_email_is_in_one_language(client, user, language):
    client.cookies["lang"] = language
    client.post("/accounts/password/reset/", {"email": user.email})
    (message,) = mail.outbox
    text = _without_links(f"{message.subject}\n{message.body}")
    if language == "zh-hans":
        assert "您好" in text and "Hello" not in text
        assert not re.search(r"[A-Za-z]{3,}", text.replace(str(user.email), "")), text
    else:
        assert "Hello from Neighbourhood Co-governance!" in text
        assert not re.search(r"[\u4e00-\u9fff]", text), text

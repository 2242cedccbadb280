from django.test import RequestFactory

from civic.net import client_ip, site_url

rf = RequestFactory()


def test_without_trusted_proxies_the_socket_address_is_the_client(settings):
    settings.CIVIC_TRUSTED_PROXIES = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "192.0.2.1"


def test_with_one_trusted_proxy_the_last_hop_is_the_client(settings):
    settings.CIVIC_TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def test_with_two_trusted_proxies_the_second_last_hop_is_the_client(settings):
    settings.CIVIC_TRUSTED_PROXIES = 2
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7, 10.0.0.2")
    assert client_ip(request) == "198.51.100.7"


def test_a_request_that_bypassed_the_proxy_falls_back_to_the_socket_address(settings):
    settings.CIVIC_TRUSTED_PROXIES = 1
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.1")) == "192.0.2.1"
    garbage = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(garbage) == "192.0.2.1"


def test_site_url_makes_a_path_absolute_and_rebases_an_absolute_link(settings):
    settings.SITE_URL = "https://gongzhi.example.cn"
    assert site_url("/accounts/login/") == "https://gongzhi.example.cn/accounts/login/"
    assert site_url("http://localhost:8000/a/b/?x=1#y") == "https://gongzhi.example.cn/a/b/?x=1#y"
    assert site_url("") == ""

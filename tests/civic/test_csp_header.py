"""The policy headers are django-csp's exactly, whether built once for the settings or for one response."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/proposals/", "/api/ballots/", "/api/docs/", "/no-such-page/"]


def _headers(settings, middleware: str) -> dict:
    settings.MIDDLEWARE = [middleware if entry.endswith("CSPMiddleware") else entry for entry in settings.MIDDLEWARE]
    client, seen = Client(), {}
    for url in PAGES:
        response = client.get(url)
        seen[url] = (
            response.status_code,
            response.headers.get("Content-Security-Policy"),
            response.headers.get("Content-Security-Policy-Report-Only"),
        )
    return seen


def test_the_headers_are_django_csps_own(settings):
    ours = _headers(settings, "civic.middleware.CSPMiddleware")
    assert all(policy and "default-src" in policy for _status, policy, _ro in ours.values())
    assert "'unsafe-inline'" in ours["/api/docs/"][1]  # a view's own change of the policy is kept
    assert "'unsafe-inline'" not in ours["/api/ballots/"][1]
    assert ours == _headers(settings, "csp.middleware.CSPMiddleware")


def test_a_changed_policy_is_sent_at_once(settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    ours = _headers(settings, "civic.middleware.CSPMiddleware")
    assert ours["/api/ballots/"][2] == "default-src 'none'"
    assert ours == _headers(settings, "csp.middleware.CSPMiddleware")
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": ["/api/"],
    }
    ours = _headers(settings, "civic.middleware.CSPMiddleware")
    assert ours["/api/ballots/"][1] is None and ours["/"][1]
    assert ours == _headers(settings, "csp.middleware.CSPMiddleware")

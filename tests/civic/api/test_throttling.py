"""The API's rate limits (civic.api.throttling): calls counted per window of the period and read as a
sliding period, a refused call not counted, the same few bytes kept whatever the rate."""

from itertools import count

import pytest
from rest_framework.test import APIClient

from civic.api.throttling import AnonRateThrottle, UserRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_addresses = count(1)
START = 60 * 16_666_667  # a minute's first second, far from any other test's windows


@pytest.fixture
def clock(monkeypatch):
    now = [float(START)]
    for throttle in (AnonRateThrottle, UserRateThrottle):
        monkeypatch.setattr(throttle, "timer", staticmethod(lambda: now[0]))
    return now


@pytest.fixture
def api_client():
    n = next(_addresses)  # an address of this test's own: a shared Redis keeps counters between tests
    return APIClient(REMOTE_ADDR=f"198.19.{n // 250}.{n % 250 + 1}")


def _codes(api_client, n: int) -> list[int]:
    return [api_client.get("/api/categories/").status_code for _ in range(n)]


def test_the_limit_refuses_the_call_past_it_and_says_when_to_come_back(api_client, clock, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    clock[0] += 10
    assert _codes(api_client, 4) == [200, 200, 200, 429]
    refused = api_client.get("/api/categories/")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    # the window is full: its three calls weigh less as the period slides past them
    assert 50 < int(refused["Retry-After"]) <= 50 + 60


def test_the_previous_window_counts_for_the_share_of_the_period_not_yet_past(api_client, clock, monkeypatch):
    """Three calls in a minute's last second: a second after, they still fill the period; half a minute
    later half of them are past, and one call more fits."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    clock[0] += 59
    assert _codes(api_client, 3) == [200, 200, 200]
    clock[0] += 2  # the next window's first second
    assert _codes(api_client, 1) == [429]
    clock[0] += 29  # half of the previous window past: 3 × ½ + 1 ≤ 3
    assert _codes(api_client, 2) == [200, 429]
    clock[0] += 90  # the next window but one, its previous empty: the whole allowance again
    assert _codes(api_client, 4) == [200, 200, 200, 429]


def test_refused_calls_are_not_counted(api_client, clock, monkeypatch):
    """A client that keeps calling while refused is let in once its earlier calls have aged out, as with a
    record of the calls let in."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    assert _codes(api_client, 2) == [200, 200]
    assert _codes(api_client, 20) == [429] * 20
    clock[0] += 60 + 45  # the two calls' window three quarters past: 2 × ¼ + 1 ≤ 2
    assert _codes(api_client, 1) == [200]


def test_people_signed_in_are_counted_per_person_at_their_rate(clock, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100/minute"})
    one, other = APIClient(REMOTE_ADDR="198.19.250.1"), APIClient(REMOTE_ADDR="198.19.250.1")
    one.force_authenticate(UserFactory())
    other.force_authenticate(UserFactory())
    assert _codes(one, 3) == [200, 200, 429]
    assert _codes(other, 2) == [200, 200]  # the same address, another person


def test_what_is_kept_does_not_grow_with_the_calls(api_client, clock, monkeypatch):
    """One number a client and window, not a timestamp a call (DRF's record grew to the rate: 600 a minute)."""
    from django.core.cache import cache

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1000/minute"})
    assert set(_codes(api_client, 50)) == {200}
    address = api_client.defaults["REMOTE_ADDR"]
    assert cache.get(f"throttle_anon_{address}:{START // 60}") == 50

"""DRF's throttles, keyed on the one client address (civic.net.client_ip), counting calls in windows.

DRF's own `get_ident` trusts `X-Forwarded-For` unless NUM_PROXIES is set, so a client could rotate the
header to get a fresh allowance; these read the address the way allauth's rate limits do.

DRF's throttle keeps the time of every call of the last period in one cache value, read, rewritten and
sent both ways on each call: its cost grows with the rate a client is allowed (600 timestamps a minute
for the anonymous rate), and it takes two round trips. These count calls per window of the period instead
(`Counting`): one round trip, the same few bytes whatever the rate.
"""

from rest_framework import throttling

from civic.cache import count_call, uncount_call
from civic.net import client_ip


class Counting:
    """A rate limit counted per window of the period, read as a sliding period: the calls of the window so
    far plus the previous window's share of the period that has not slid past yet (so a client cannot spend
    the allowance twice around a window's edge). A refused call is taken back, as DRF does not record one:
    a client that keeps calling while refused is let in as soon as its earlier calls age out."""

    rate: str | None
    num_requests: int
    duration: int

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)  # type: ignore[attr-defined]
        if self.key is None:
            return True
        self.now = self.timer()  # type: ignore[attr-defined]
        window, into = divmod(self.now, self.duration)
        current = f"{self.key}:{int(window)}"
        self.current, self.previous = count_call(
            self.cache,  # type: ignore[attr-defined]
            current,
            f"{self.key}:{int(window) - 1}",
            2 * self.duration,
        )
        self.into = into
        if self.previous * (1 - into / self.duration) + self.current <= self.num_requests:
            return True
        uncount_call(self.cache, current)  # type: ignore[attr-defined]
        self.current -= 1
        return False

    def wait(self) -> float:
        """Seconds until a call would be let in, if no other is made meanwhile."""
        room = self.num_requests - 1 - self.current  # what the previous window's share must fall to
        if room >= 0 and self.previous:
            return max(0.0, self.duration * (1 - room / self.previous) - self.into)
        # this window alone is full: in the next one, its calls weigh less as the period slides
        rest = self.duration - self.into
        return rest + self.duration * max(0.0, 1 - (self.num_requests - 1) / max(1, self.current))


class AnonRateThrottle(Counting, throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(Counting, throttling.UserRateThrottle):
    """Signed-in people, per person. A visitor who is not signed in is counted by AnonRateThrottle alone
    (DRF would count them here too, under the address, at the user rate: a cache round trip more on every
    anonymous call for a limit that the anonymous rate, the stricter one, reaches first)."""

    def get_ident(self, request):
        return client_ip(request)

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class ScopedRateThrottle(Counting, throttling.ScopedRateThrottle):
    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view) -> bool:
        # the scope, and so the rate, is the view's (as DRF's ScopedRateThrottle reads it), then counted
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

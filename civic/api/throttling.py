"""DRF's throttles, keyed on the one client address (civic.net.client_ip).

DRF's own `get_ident` trusts `X-Forwarded-For` unless NUM_PROXIES is set, so a client could rotate the
header to get a fresh allowance; these read the address the way allauth's rate limits do."""

from rest_framework import throttling

from civic.net import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(throttling.UserRateThrottle):
    """Signed-in people, per person. A visitor who is not signed in is counted by AnonRateThrottle alone
    (DRF would count them here too, under the address, at the user rate: two more cache round trips on
    every anonymous call for a limit that the anonymous rate, the stricter one, reaches first)."""

    def get_ident(self, request):
        return client_ip(request)

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    def get_ident(self, request):
        return client_ip(request)

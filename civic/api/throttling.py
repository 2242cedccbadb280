"""DRF's throttles, keyed on the one client address (civic.net.client_ip).

DRF's own `get_ident` trusts `X-Forwarded-For` unless NUM_PROXIES is set, so a client could rotate the
header to get a fresh allowance; these read the address the way allauth's rate limits do."""

from rest_framework import throttling

from civic.net import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    def get_ident(self, request):
        return client_ip(request)

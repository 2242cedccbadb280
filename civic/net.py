"""Where the platform meets the network: who is asking (the client's address) and the one public address
links in e-mails start with.

The client address is what everything that limits or records by address reads: allauth's rate limits
(through `civic.accounts.AccountAdapter.get_client_ip`), the API throttles (`civic.api.throttling`) and
anything else that needs it. `X-Forwarded-For` is believed only as far as `CIVIC_TRUSTED_PROXIES`
proxies of our own wrote it: with 0 (the default) the socket address is the client and the header is
ignored, since anyone can send it; with N, the N-th address from the right is the one our outermost
proxy saw (docs/deploy.md).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address, for a Django or DRF request."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = int(getattr(settings, "CIVIC_TRUSTED_PROXIES", 0))
    if trusted > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= trusted:
            found = _address(hops[-trusted])
            if found:
                return found
    # No proxy of ours in front, or a request that reached the server around it: the socket address.
    return _address(remote) or remote


def site_url(url: str) -> str:
    """A link for an e-mail on the one configured SITE_URL: a path made absolute, and an absolute link
    that a library built from the request's Host rebased (its path, query and fragment kept)."""
    if not url:
        return ""
    parts = urlsplit(url)
    rest = parts.path or "/"
    if parts.query:
        rest += f"?{parts.query}"
    if parts.fragment:
        rest += f"#{parts.fragment}"
    return f"{settings.SITE_URL}{rest}"

"""The site's addresses: every named page is found under its own name, whatever order civic.urls tries the
apps' patterns in (ordered there by how often each is asked, not by app)."""

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

_SAMPLE = {"int": 7, "string": "S01", "slug": "sample", "path": "a/b.jpg"}


def _named(patterns, namespace=(), converters=None):
    """(namespaced name, sample kwargs) of every named route reached through `path()` alone."""
    converters = converters or {}
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # a regular expression (the admin's): its own app's business
        found = {**converters, **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            inner = (*namespace, entry.namespace) if entry.namespace else namespace
            yield from _named(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            kwargs = {name: _SAMPLE[type(c).__name__.removesuffix("Converter").lower()] for name, c in found.items()}
            yield ":".join((*namespace, entry.name)), kwargs


def test_every_named_page_resolves_to_itself():
    named = list(_named(get_resolver().url_patterns))
    assert len(named) > 150  # the pages, the API and the accounts' routes were all walked
    wrong = []
    for name, kwargs in named:
        url = reverse(name, kwargs=kwargs)
        if resolve(url).view_name != name:
            wrong.append((name, url, resolve(url).view_name))
    assert wrong == []


def test_the_often_read_pages_keep_their_addresses():
    assert reverse("casework:queue-lists") == "/casework/queue/lists/"
    assert reverse("casework:area-board", args=["S01"]) == "/areas/S01/casework/"
    assert reverse("casework:report-action", args=[3, "close"]) == "/casework/reports/3/close/"
    assert reverse("proposals:proposal-detail", args=[3]) == "/proposals/3/"
    assert reverse("civic:area-detail", args=["S01"]) == "/areas/S01/"
    assert reverse("civic:home") == "/"
    assert resolve("/areas/S01/casework/units/").view_name == "casework:area-units"

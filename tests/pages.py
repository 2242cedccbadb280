"""Reading a page in the tests of the exact page cache: its text and what it cost, for a visitor or a signed-in
reader."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def page_text(client, url, **params) -> str:
    """The page at `url` (with `params` as its query), which must answer 200."""
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def page_queries(client, url, **params) -> int:
    """The number of queries reading the page at `url` costs."""
    with CaptureQueriesContext(connection) as queries:
        page_text(client, url, **params)
    return len(queries)


MARKS = re.compile(r"<!--(r|/r|h)[0-9a-f]{12}")  # civic.pagecache's reader marks and holes


def reader_client(person) -> Client:
    """A browser signed in as `person`."""
    client = Client()
    client.force_login(person)
    return client


def reader_page(client, url, **params) -> str:
    """The page at `url` as its reader gets it: it must answer 200 with every reader mark decided."""
    html = page_text(client, url, **params)
    assert not MARKS.search(html), "a mark was left in the page"
    return html


def reader_queries(client, url, **params) -> list[str]:
    """The queries reading the page at `url` costs, in order."""
    with CaptureQueriesContext(connection) as queries:
        reader_page(client, url, **params)
    return [q["sql"] for q in queries.captured_queries]


def shared_pages() -> int:
    """How many pages are kept for every signed-in reader to share."""
    from civic import pagecache
    from civic.models import PagePart

    return PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count()

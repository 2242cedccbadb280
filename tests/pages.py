"""Reading a page in the freshness tests of the exact page cache: its text, and how many queries it cost."""

from django.db import connection
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

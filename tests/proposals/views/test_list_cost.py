"""What a page of the proposal list costs does not grow with the number of proposals, and a kept page
costs one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civic.models import PagePart

pytestmark = pytest.mark.django_db


def _render(client, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("proposals:proposal-list"), params).status_code == 200
    return queries.captured_queries


def test_a_rendered_page_costs_the_same_for_3_or_25_proposals_and_reads_only_the_cards(client, make_proposal):
    for n in range(3):
        make_proposal(title=f"楼道灯长期不亮 {n}")
    few = _render(client, page=1)
    PagePart.objects.all().delete()
    for n in range(22):
        make_proposal(title=f"路面坑洼修补 {n}")
    many = _render(client, page=2)
    assert len(few) == len(many)
    listing = next(q["sql"] for q in many if "LIMIT" in q["sql"] and "proposals_proposal" in q["sql"])
    for column in ("body", "body_html", "search_tokens", "decline_reason"):
        assert f'"proposals_proposal"."{column}"' not in listing


def test_a_kept_page_costs_one_query_for_a_visitor(client, make_proposal):
    make_proposal()
    _render(client, sort="endorsed")
    assert len(_render(client, sort="endorsed")) == 1


def test_a_kept_page_costs_a_signed_in_person_the_user_and_one_query(client, make_proposal, pworld):
    make_proposal()
    client.force_login(pworld["resident"])
    _render(client)
    kept = [q["sql"] for q in _render(client)]
    # the person (AuthenticationMiddleware), then the page's versions and the page every signed-in reader
    # shares, with the person's own header in the same query; the session comes from the cache
    assert len(kept) == 2, "\n".join(q[:150] for q in kept)
    assert "civic_pagepart" in kept[1] and f"'person:{pworld['resident'].pk}'" in kept[1] and "'value'" in kept[1]

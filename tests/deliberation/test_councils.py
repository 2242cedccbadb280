"""Councils: created with a rule set that exists, and listed at a fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic.errors import InvalidInput
from deliberation import services as delib_services
from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_a_council_needs_a_rule_set_that_exists(world):
    with pytest.raises(InvalidInput) as refused:
        delib_services.council_create(
            actor=fresh(world["organiser_here"]), area=world["S1"], name="议事会", preset="x" * 30
        )
    assert refused.value.field == "preset"


def test_the_council_list_costs_the_same_queries_with_more_councils(api_client, world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get("/api/councils/").status_code == 200
        return len(queries.captured_queries)

    delib_services.council_create(actor=fresh(world["organiser_here"]), area=world["S1"], name="一街道议事会")
    one = count()
    for i in range(5):
        delib_services.council_create(actor=fresh(world["organiser_here"]), area=world["S1"], name=f"议事会{i}")
    assert count() == one
    assert {c["members"] for c in api_client.get("/api/councils/").json()["results"]} == {0}

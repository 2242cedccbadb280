"""What the API answers is what its schema says: a null only where a field is declared nullable."""

import pytest

from civic.services import audit_record
from tests.schema_truth import assert_answer_matches_schema, violations

pytestmark = pytest.mark.django_db


def test_the_checker_finds_an_undeclared_null():
    schema = {"components": {"schemas": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}}}
    found = violations(schema, {"$ref": "#/components/schemas/A"}, {"x": None})
    assert found == ["$.x is null but not declared nullable"]
    schema["components"]["schemas"]["A"]["properties"]["x"]["nullable"] = True
    assert violations(schema, {"$ref": "#/components/schemas/A"}, {"x": None}) == []


def test_the_city_has_no_parent_and_says_so(api_client, world):
    data = assert_answer_matches_schema(api_client, f"/api/areas/{world['city'].code}/", "/api/areas/{code}/")
    assert data["parent"] is None


def test_audit_entries_of_the_system_have_no_actor_and_say_so(api_client, world):
    audit_record(actor=None, action="tick.test", obj=world["city"])
    api_client.force_authenticate(world["admin"])
    data = assert_answer_matches_schema(api_client, "/api/audit/", "/api/audit/")
    assert data["results"]

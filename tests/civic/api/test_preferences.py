"""Notification preferences: a kind nobody registered is refused, named; the schema lists the known kinds only."""

import pytest

from civic.models import NotificationPreference
from civic.registry import NOTIFICATION_KINDS

pytestmark = pytest.mark.django_db


def test_unknown_kinds_are_refused_naming_them_and_nothing_is_saved(api_client, user):
    api_client.force_authenticate(user)
    response = api_client.put(
        "/api/notifications/preferences/",
        {"preferences": {"role.changed": "off", "nope": "off", "also.nope": "daily"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "notification_kind_unknown" and body["field"] == "preferences"
    assert body["preferences"] == ["Unknown kind of notification: also.nope, nope."]
    assert not NotificationPreference.objects.exists()


def test_the_schema_lists_the_registered_kinds_and_no_others(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    field = schema["components"]["schemas"]["PreferencesRequest"]["properties"]["preferences"]
    assert field["additionalProperties"] is False
    assert set(field["properties"]) == set(NOTIFICATION_KINDS)

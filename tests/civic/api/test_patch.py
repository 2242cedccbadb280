"""PATCH of an organisation: who may first, then only the fields sent; siblings that read a body ask first too."""

import pytest

from civic.models import AreaRole
from tests.world import fresh

pytestmark = pytest.mark.django_db


def as_user(api_client, user):
    api_client.force_authenticate(fresh(user))
    return api_client


def test_a_member_patching_the_organisation_with_a_bad_body_gets_403(api_client, world):
    org = world.organisation
    response = as_user(api_client, world["member"]).patch(
        f"/api/organisations/{org.pk}/", {"name": "", "areas": "not a list"}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"
    org.refresh_from_db()
    assert org.name == "一社区服务中心"


def test_patching_the_description_alone_keeps_name_and_areas(api_client, world):
    org = world.organisation
    response = as_user(api_client, world["representative"]).patch(
        f"/api/organisations/{org.pk}/", {"description": "我们服务一社区。"}, format="json"
    )
    assert response.status_code == 200, response.json()
    org.refresh_from_db()
    assert org.description == "我们服务一社区。" and org.name == "一社区服务中心"
    assert [a.code for a in org.areas.all()] == [world["C1"].code]


def test_patching_an_unknown_field_is_refused(api_client, world):
    org = world.organisation
    response = as_user(api_client, world["representative"]).patch(
        f"/api/organisations/{org.pk}/", {"name": "新名字", "credit_code": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_field" and response.json()["field"] == "credit_code"
    org.refresh_from_db()
    assert org.name == "一社区服务中心"


def test_strangers_sending_bad_bodies_to_decisions_get_403(api_client, world):
    client = as_user(api_client, world["resident"])
    org = world.organisation
    role = AreaRole.objects.get(user=world["official_here"])
    assert client.post(f"/api/organisations/{org.pk}/requests/", {"email": "nope"}, format="json").status_code == 403
    assert client.post(f"/api/area-roles/{role.pk}/revoke/", {}, format="json").status_code == 403
    assert client.post(f"/api/areas/{world['C1'].code}/roles/", {}, format="json").status_code == 403

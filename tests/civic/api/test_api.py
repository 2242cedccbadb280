import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token

from civic.models import AreaLevel
from civic.services import area_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert "/api/auth/token/" in schema["paths"] and "/api/areas/" in schema["paths"]


def test_swagger_ui_is_served_offline(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html


def test_token_for_a_verified_person_opens_the_api(api_client, user, password):
    response = api_client.post("/api/auth/token/", {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=user).key == key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = api_client.get("/api/me/")
    assert me.status_code == 200 and me.json()["email"] == user.email
    assert api_client.delete("/api/auth/token/").status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert api_client.get("/api/me/").status_code == 401


def test_wrong_password_gets_a_translated_error(api_client, user):
    response = api_client.post("/api/auth/token/", {"email": user.email, "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": "credentials_invalid", "detail": "邮箱或密码不正确。"}
    response = api_client.post(
        "/api/auth/token/", {"email": user.email, "password": "nope"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"] == "The e-mail address or the password is not correct."
    assert not Token.objects.exists()


def test_unverified_email_gets_no_token(api_client, password):
    person = UserFactory(verified=False)
    assert not EmailAddress.objects.filter(user=person).exists()
    response = api_client.post("/api/auth/token/", {"email": person.email, "password": password}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "email_unverified"
    assert not Token.objects.exists()


def test_malformed_token_request_is_a_400_with_code(api_client):
    response = api_client.post("/api/auth/token/", {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "email" in body and "password" in body


def test_me_can_change_display_name_but_not_email(api_client, user):
    api_client.force_authenticate(user)
    response = api_client.patch("/api/me/", {"display_name": "新名字", "email": "x@y.org"}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.display_name == "新名字" and user.email != "x@y.org"


def test_anonymous_me_is_401_with_code(api_client):
    response = api_client.get("/api/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_area_list_filters_and_keeps_query_count(api_client, tree):
    body = api_client.get("/api/areas/", {"parent": tree["subdistrict"].code}).json()
    assert [a["code"] for a in body["results"]] == sorted({c.parent.code for c in tree["cells"]})
    assert all(a["parent"] == tree["subdistrict"].code for a in body["results"])
    grids = api_client.get("/api/areas/", {"level": "grid"}).json()
    assert grids["count"] == len(tree["cells"])
    with CaptureQueriesContext(connection) as before:
        api_client.get("/api/areas/")
    for n in range(15):
        area_create(code=f"D{n}", name=f"区{n}", level=AreaLevel.DISTRICT, parent=tree["city"])
    with CaptureQueriesContext(connection) as after:
        api_client.get("/api/areas/")
    assert len(after) == len(before)


def test_unknown_level_is_refused(api_client, tree):
    response = api_client.get("/api/areas/", {"level": "village"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"code": "area_level_unknown", "detail": "Unknown area level “village”."}


def test_area_detail(api_client, tree):
    body = api_client.get(f"/api/areas/{tree['district'].code}/").json()
    assert body == {
        "code": tree["district"].code,
        "name": "测试区",
        "level": "district",
        "parent": tree["city"].code,
        "depth": 1,
        "child_count": 1,
    }
    assert api_client.get("/api/areas/none/").status_code == 404

"""A JSON body nested too deep or too large is refused with a 4xx and a code, and nothing is stored."""

import json

import pytest
from rest_framework.authtoken.models import Token

from civic.api.parsers import MAX_JSON_BYTES, MAX_JSON_DEPTH, json_depth
from civic.models import Organisation

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return '{"email": ' + "[" * depth + "]" * depth + ', "password": "x"}'


# the token endpoint has its own tight throttle (10 a minute): the other anonymous cases use another
# anonymous endpoint that takes a JSON body and stores nothing
RECEIPT_CHECK = "/api/ballots/receipt/"


def post_raw(client, url, body: str | bytes, **extra):
    return client.generic("POST", url, body, content_type="application/json", **extra)


def test_deep_nesting_is_a_400_for_an_anonymous_caller(api_client):
    response = post_raw(api_client, "/api/auth/token/", nested(3000))
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"
    assert response.json()["detail"] == f"请求内容的嵌套超过 {MAX_JSON_DEPTH} 层。"
    assert not Token.objects.exists()


def test_deep_nesting_is_a_400_for_a_signed_in_caller_and_nothing_is_stored(api_client, user):
    api_client.force_authenticate(user)
    body = '{"name": "街坊议事会", "description": ' + "[" * 3000 + "]" * 3000 + "}"
    response = post_raw(api_client, "/api/organisations/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    detail = f"The body is nested more than {MAX_JSON_DEPTH} levels deep."
    assert response.json() == {"code": "too_deep", "detail": detail}
    assert not Organisation.objects.exists()


def test_nesting_up_to_the_limit_is_parsed(api_client):
    # 32 levels in all (the body's object is the first): parsed, then refused by the serializer, not the parser
    response = post_raw(api_client, RECEIPT_CHECK, nested(MAX_JSON_DEPTH - 1))
    assert response.status_code == 400
    assert response.json()["code"] != "too_deep"
    assert post_raw(api_client, RECEIPT_CHECK, nested(MAX_JSON_DEPTH)).json()["code"] == "too_deep"


def test_brackets_inside_strings_do_not_count():
    assert json_depth(json.dumps({"a": '[[[[[[{{{{\\"]]'})) == 1
    assert json_depth("[[1], [[2]]]") == 3
    assert json_depth('"plain"') == 0


def test_a_body_over_one_mib_is_a_413(api_client, user):
    api_client.force_authenticate(user)
    body = json.dumps({"name": "议事会", "description": "x" * (MAX_JSON_BYTES + MAX_JSON_BYTES // 10)})
    response = post_raw(api_client, "/api/organisations/", body)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["detail"] == "请求内容超过 1 MiB。"
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_number_literals_are_refused(api_client, literal):
    response = post_raw(api_client, RECEIPT_CHECK, '{"code": ' + literal + "}")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_broken_json_is_a_translated_400(api_client):
    response = post_raw(api_client, RECEIPT_CHECK, "{", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"code": "parse_error", "detail": "The body is not valid JSON."}

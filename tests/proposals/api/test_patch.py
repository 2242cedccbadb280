"""PATCH changes only what is sent, and asks who may before it reads the body."""

import pytest

from proposals import services
from tests.world import fresh

pytestmark = pytest.mark.django_db


def as_user(api_client, user):
    api_client.force_authenticate(fresh(user))
    return api_client


def test_a_stranger_patching_a_proposal_with_a_bad_body_gets_403(api_client, make_proposal, pworld):
    proposal = make_proposal()
    response = as_user(api_client, pworld["member"]).patch(
        f"/api/proposals/{proposal.pk}/", {"title": "", "body": ["not text"]}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"
    proposal.refresh_from_db()
    assert proposal.title == "楼道灯长期不亮"


def test_patching_a_draft_title_alone_keeps_its_text(api_client, make_proposal, pworld):
    proposal = make_proposal(publish=False)
    response = as_user(api_client, pworld["resident"]).patch(
        f"/api/proposals/{proposal.pk}/", {"title": "三栋楼道灯不亮"}, format="json"
    )
    assert response.status_code == 200, response.json()
    proposal.refresh_from_db()
    assert proposal.title == "三栋楼道灯不亮" and proposal.body == "3 栋楼道灯坏了两个月，晚上很不安全。"


def test_patching_an_unknown_field_is_refused_naming_it(api_client, make_proposal, pworld):
    proposal = make_proposal(publish=False)
    response = as_user(api_client, pworld["resident"]).patch(
        f"/api/proposals/{proposal.pk}/", {"titel": "三栋楼道灯不亮", "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_field" and body["field"] == "colour"
    assert set(body) >= {"colour", "titel"}
    proposal.refresh_from_db()
    assert proposal.title == "楼道灯长期不亮"


def test_a_stranger_declining_with_a_bad_body_gets_403(api_client, make_proposal, pworld):
    proposal = make_proposal()
    response = as_user(api_client, pworld["member"]).post(
        f"/api/proposals/{proposal.pk}/decline/", {"reason": ["x"]}, format="json"
    )
    assert response.status_code == 403


def test_a_stranger_answering_with_a_bad_body_gets_403(api_client, make_proposal, pworld):
    proposal = make_proposal()
    response = as_user(api_client, pworld["official_elsewhere"]).post(
        f"/api/proposals/{proposal.pk}/answers/", {"status": "maybe"}, format="json"
    )
    assert response.status_code == 403


def _comment(pworld, proposal):
    return services.comment_add(author=pworld["member"], proposal=proposal, body="支持这个建议", stance="for")


def test_a_stranger_patching_a_comment_with_a_bad_body_gets_403(api_client, make_proposal, pworld):
    comment = _comment(pworld, make_proposal())
    response = as_user(api_client, pworld["resident"]).patch(
        f"/api/comments/{comment.pk}/", {"stance": "sideways"}, format="json"
    )
    assert response.status_code == 403


def test_patching_a_comment_stance_alone_keeps_its_text(api_client, make_proposal, pworld):
    comment = _comment(pworld, make_proposal())
    response = as_user(api_client, pworld["member"]).patch(
        f"/api/comments/{comment.pk}/", {"stance": "against"}, format="json"
    )
    assert response.status_code == 200, response.json()
    comment.refresh_from_db()
    assert comment.stance == "against" and comment.body == "支持这个建议"

"""A proposal and its comments written by a person (no organisation) match the schema: the organisation
is declared nullable."""

import pytest

from proposals import services
from tests.schema_truth import assert_answer_matches_schema

pytestmark = pytest.mark.django_db


def test_a_proposal_without_organisation_matches_the_schema(api_client, make_proposal, pworld):
    proposal = make_proposal()
    data = assert_answer_matches_schema(api_client, f"/api/proposals/{proposal.pk}/", "/api/proposals/{id}/")
    assert data["organisation"] is None
    assert_answer_matches_schema(api_client, "/api/proposals/", "/api/proposals/")


def test_comments_without_organisation_match_the_schema(api_client, make_proposal, pworld):
    proposal = make_proposal()
    services.comment_add(author=pworld["member"], proposal=proposal, body="支持这个建议", stance="for")
    url = f"/api/proposals/{proposal.pk}/comments/"
    data = assert_answer_matches_schema(api_client, url, "/api/proposals/{id}/comments/")
    assert data["count"] == 1 and data["results"][0]["organisation"] is None


def test_the_schema_declares_the_services_text_limits(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    expected = {
        ("ProposalWriteRequest", "title"): services.TITLE_MAX,
        ("ProposalWriteRequest", "body"): services.BODY_MAX,
        ("PatchedProposalUpdateRequest", "title"): services.TITLE_MAX,
        ("CommentWriteRequest", "body"): services.COMMENT_MAX,
        ("AnswerWriteRequest", "reason"): services.ANSWER_MAX,
        ("CoSponsorWriteRequest", "pledge_description"): services.PLEDGE_DESCRIPTION_MAX,
    }
    declared = {key: schema[key[0]]["properties"][key[1]].get("maxLength") for key in expected}
    assert declared == expected

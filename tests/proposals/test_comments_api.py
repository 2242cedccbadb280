"""Comments through the API."""

import pytest

from proposals import services as proposal_services
from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_editing_a_comment_through_the_api_without_a_stance_keeps_it(api_client, make_proposal, pworld):
    proposal = make_proposal()
    comment = proposal_services.comment_add(author=pworld["member"], proposal=proposal, body="支持！", stance="for")
    api_client.force_authenticate(fresh(pworld["member"]))
    response = api_client.patch(f"/api/comments/{comment.pk}/", {"body": "非常支持！"}, format="json")
    assert response.status_code == 200, response.content
    comment.refresh_from_db()
    assert (comment.body, comment.stance) == ("非常支持！", "for")

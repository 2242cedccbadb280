"""Only the author edits, publishes and withdraws a proposal, and edits a comment: the same permissions
through the API, the pages and the services."""

import pytest
from django.urls import reverse

from civic.errors import NotAllowed
from proposals import services
from proposals.models import Proposal
from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_someone_else_may_not_edit_publish_or_withdraw(api_client, make_proposal, pworld):
    draft = make_proposal(publish=False)
    published = make_proposal()
    api_client.force_authenticate(fresh(pworld["organiser_here"]))
    edit = api_client.patch(f"/api/proposals/{published.pk}/", {"title": "改过的标题", "body": published.body})
    assert edit.status_code == 403 and edit.json()["code"] == "not_allowed"
    withdraw = api_client.post(f"/api/proposals/{published.pk}/withdraw/", {})
    assert withdraw.status_code == 403 and withdraw.json()["code"] == "not_allowed"
    assert api_client.post(f"/api/proposals/{draft.pk}/publish/", {}).status_code == 404  # a draft is private
    assert Proposal.objects.get(pk=published.pk).state == "published"


def test_someone_else_may_not_edit_a_comment(api_client, make_proposal, pworld):
    comment = services.comment_add(author=pworld["member"], proposal=make_proposal(), body="原来的评论")
    api_client.force_authenticate(fresh(pworld["resident"]))
    response = api_client.patch(f"/api/comments/{comment.pk}/", {"body": "改过的评论"})
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


def test_the_edit_page_is_the_authors(client, make_proposal, pworld):
    p = make_proposal()
    client.force_login(pworld["resident_elsewhere"])
    assert client.get(reverse("proposals:proposal-edit", args=[p.pk])).status_code == 403
    client.force_login(pworld["resident"])
    assert client.get(reverse("proposals:proposal-edit", args=[p.pk])).status_code == 200


def test_an_administrator_does_not_write_in_the_authors_name(client, make_proposal, pworld):
    p = make_proposal()
    with pytest.raises(NotAllowed):
        services.proposal_withdraw(actor=fresh(pworld["admin"]), proposal=p)
    with pytest.raises(NotAllowed):
        services.proposal_update(actor=fresh(pworld["admin"]), proposal=p, title="改过的标题", body=p.body)
    client.force_login(pworld["admin"])
    page = client.get(p.get_absolute_url()).content.decode()
    assert reverse("proposals:proposal-action", args=[p.pk, "withdraw"]) not in page
    assert reverse("proposals:proposal-edit", args=[p.pk]) not in page

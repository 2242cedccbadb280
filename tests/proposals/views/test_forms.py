"""The proposal pages handle every input through a form (civic.forms.submit): a refusal shows the page
again with the form and its error, and nothing is written."""

import pytest
from django.urls import reverse

from proposals.models import Comment, CoSponsor, Proposal

pytestmark = pytest.mark.django_db


def test_saving_as_a_draft_and_publishing_are_told_apart(client, pworld):
    client.force_login(pworld["resident"])
    data = {"title": "楼道灯长期不亮", "body": "3 栋楼道灯坏了两个月。", "category": pworld.category.pk}
    client.post(reverse("proposals:proposal-new"), {**data, "area": pworld["C1"].pk, "draft": "1"})
    client.post(reverse("proposals:proposal-new"), {**data, "area": pworld["C1"].pk, "publish": "1"})
    assert sorted(Proposal.objects.values_list("state", flat=True)) == ["draft", "published"]


def test_a_decline_without_a_reason_is_shown_on_its_form(client, make_proposal, pworld):
    p = make_proposal()
    client.force_login(pworld["official_here"])
    response = client.post(reverse("proposals:proposal-action", args=[p.pk, "decline"]), {"reason": ""})
    assert response.status_code == 200 and '<details class="panel" open>' in response.content.decode()
    assert Proposal.objects.get(pk=p.pk).state == "published"


def test_an_over_long_withdrawal_reason_is_refused_on_its_form(client, make_proposal, pworld):
    p = make_proposal()
    client.force_login(pworld["resident"])
    response = client.post(reverse("proposals:proposal-action", args=[p.pk, "withdraw"]), {"reason": "撤" * 1001})
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()
    assert Proposal.objects.get(pk=p.pk).state == "published"
    response = client.post(reverse("proposals:proposal-action", args=[p.pk, "withdraw"]), {"reason": "已由社区解决"})
    assert response.status_code == 302 and Proposal.objects.get(pk=p.pk).decline_reason == "已由社区解决"


def test_a_comment_refused_by_the_service_is_shown_with_its_text(client, make_proposal, pworld):
    p = make_proposal()
    client.force_login(pworld["member"])
    response = client.post(
        reverse("proposals:proposal-action", args=[p.pk, "comment"]), {"body": "好", "stance": "for"}
    )
    assert response.status_code == 200 and "请先填写评论内容。" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_organisation_the_person_does_not_represent_cannot_be_chosen(client, make_proposal, pworld):
    p = make_proposal()
    client.force_login(pworld["member"])
    response = client.post(
        reverse("proposals:proposal-action", args=[p.pk, "cosponsor"]),
        {"organisation": pworld.organisation.pk, "pledge_kind": "none"},
    )
    assert response.status_code == 200 and not CoSponsor.objects.exists()

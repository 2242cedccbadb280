"""Texts the proposal services store: cleaned by civic.text.clean_text, refused (never cut) past their maxima."""

import pytest

from civic.errors import InvalidInput
from proposals import services
from proposals.models import Comment, OfficialAnswer, Proposal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"title": "灯" * 81}, "title", "too_long"),
        ({"body": "灯" * 10001}, "body", "too_long"),
        ({"location": "路" * 121}, "location", "too_long"),
        ({"title": "楼道灯\x00不亮"}, "title", "text_invalid"),
    ],
)
def test_over_long_or_broken_texts_write_nothing(make_proposal, kwargs, field, code):
    with pytest.raises(InvalidInput) as raised:
        make_proposal(**kwargs)
    assert (raised.value.code, raised.value.field) == (code, field)
    assert not Proposal.objects.exists()


def test_texts_at_their_maxima_are_kept_whole_and_titles_on_one_line(make_proposal):
    p = make_proposal(title="  楼道灯\n长期不亮 " + "灯" * 70, location="路" * 120, publish=False)
    assert p.title == "楼道灯 长期不亮 " + "灯" * 70 and len(p.location) == 120


def test_the_name_of_the_resident_who_phoned_has_a_maximum(make_proposal):
    with pytest.raises(InvalidInput) as raised:
        make_proposal(author="organiser_here", channel="phone", on_behalf_of="赵" * 61)
    assert raised.value.field == "on_behalf_of" and not Proposal.objects.exists()


def test_an_edit_with_an_over_long_title_is_refused_not_cut(make_proposal, pworld):
    p = make_proposal(publish=False)
    with pytest.raises(InvalidInput) as raised:
        services.proposal_update(actor=pworld["resident"], proposal=p, title="灯" * 81, body=p.body)
    assert raised.value.code == "too_long"
    assert Proposal.objects.get(pk=p.pk).title == "楼道灯长期不亮"


def test_comments_reasons_and_pledges_have_maxima(make_proposal, pworld):
    p = make_proposal()
    with pytest.raises(InvalidInput) as raised:
        services.comment_add(author=pworld["resident"], proposal=p, body="好" * 3001)
    assert raised.value.code == "too_long" and not Comment.objects.exists()
    with pytest.raises(InvalidInput) as raised:
        services.proposal_answer(official=pworld["official_here"], proposal=p, status="declined", reason="否" * 1001)
    assert raised.value.code == "too_long" and not OfficialAnswer.objects.exists()
    with pytest.raises(InvalidInput) as raised:
        services.proposal_withdraw(actor=pworld["resident"], proposal=p, reason="撤" * 1001)
    assert raised.value.code == "too_long" and Proposal.objects.get(pk=p.pk).state == "published"
    with pytest.raises(InvalidInput) as raised:
        services.cosponsor_join(
            user=pworld["resident"], proposal=p, pledge_kind="in_kind", pledge_description="劳" * 201
        )
    assert raised.value.field == "pledge_description"

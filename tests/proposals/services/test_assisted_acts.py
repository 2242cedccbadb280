"""Co-signing and commenting with a resident in person (代办): recorded in their name, with the staff member
and the channel "assisted" on the record and in the audit log; counted like any other co-signature."""

import pytest

from civic.errors import Conflict, NotAllowed
from civic.models import AuditEntry
from proposals import services
from proposals.models import Comment, Endorsement
from tests.civic.assisted import register
from tests.world import fresh


def test_an_assisted_co_signature_counts_and_says_who_helped(pworld, make_proposal):
    w = pworld
    proposal = make_proposal()
    person = register(w)
    proposal = services.proposal_endorse(user=person, proposal=proposal, assisted_by=fresh(w["organiser_here"]))
    assert proposal.endorsement_count == 1
    endorsement = Endorsement.objects.get(proposal=proposal, user=person)
    assert (endorsement.channel, endorsement.assisted_by) == ("assisted", w["organiser_here"])
    entry = AuditEntry.objects.get(action="proposal.endorsed")
    assert (entry.actor, entry.assisted_by, entry.channel) == (person, w["organiser_here"], "assisted")
    services.proposal_endorse(user=w["resident"], proposal=proposal)
    online = Endorsement.objects.get(proposal=proposal, user=w["resident"])
    assert (online.channel, online.assisted_by) == ("online", None)
    assert not AuditEntry.objects.filter(action="proposal.endorsed", actor=w["resident"]).exists()


def test_one_co_signature_per_person_whoever_helps(pworld, make_proposal):
    w = pworld
    proposal = make_proposal()
    person = register(w)
    services.proposal_endorse(user=person, proposal=proposal, assisted_by=fresh(w["organiser_here"]))
    with pytest.raises(Conflict) as error:
        services.proposal_endorse(user=person, proposal=proposal, assisted_by=fresh(w["official_here"]))
    assert error.value.code == "already_endorsed" and "王秀兰" in str(error.value)
    with pytest.raises(NotAllowed):
        services.proposal_endorse(user=person, proposal=proposal, assisted_by=fresh(w["organiser_elsewhere"]))
    assert Endorsement.objects.filter(proposal=proposal).count() == 1


def test_staff_cannot_co_sign_for_a_resident_they_may_not_assist(pworld, make_proposal):
    w = pworld
    proposal = make_proposal()
    with pytest.raises(NotAllowed):  # an ordinary resident acts for themselves
        services.proposal_endorse(user=w["resident"], proposal=proposal, assisted_by=fresh(w["organiser_here"]))
    assert not Endorsement.objects.exists()


def test_an_assisted_comment_is_the_residents_own(pworld, make_proposal):
    w = pworld
    proposal = make_proposal()
    person = register(w)
    comment = services.comment_add(
        author=person,
        proposal=proposal,
        body="楼道灯确实要修",
        stance="for",
        organisation=w.organisation,
        assisted_by=fresh(w["organiser_here"]),
    )
    comment = Comment.objects.get(pk=comment.pk)
    assert (comment.author, comment.organisation, comment.channel, comment.assisted_by) == (
        person,
        None,
        "assisted",
        w["organiser_here"],
    )
    assert AuditEntry.objects.get(action="proposal.commented").assisted_by == w["organiser_here"]

"""Whether the proposer (领衔人) counts toward the co-signatures is an area rule officials set (default: the
proposer counts, by co-signing their own proposal); a proposal keeps the rule it was published under."""

import pytest
from rest_framework.test import APIClient

from civic.errors import Conflict
from proposals import services
from proposals.models import Proposal
from proposals.selectors import policy_for
from tests.factories import UserFactory
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db


def _rules(pworld, author_counts):
    services.area_policy_set(
        actor=fresh(pworld["official_here"]),
        area=pworld["S1"],
        endorsement_threshold=2,
        collection_days=30,
        response_working_days=15,
        author_counts=author_counts,
    )


def test_by_default_the_proposer_counts(pworld, make_proposal):
    proposal = make_proposal()
    assert proposal.author_counts
    services.proposal_endorse(user=fresh(pworld["resident"]), proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).endorsement_count == 1


def test_where_the_proposer_does_not_count_only_neighbours_reach_the_threshold(pworld, make_proposal):
    _rules(pworld, author_counts=False)
    proposal = make_proposal()
    with pytest.raises(Conflict) as refused:
        services.proposal_endorse(user=fresh(pworld["resident"]), proposal=proposal)
    assert refused.value.code == "author_does_not_count"
    neighbours = [UserFactory(), UserFactory()]
    for person in neighbours:
        verify(person, pworld["c1b"])
        services.proposal_endorse(user=person, proposal=Proposal.objects.get(pk=proposal.pk))
    assert Proposal.objects.get(pk=proposal.pk).state == "qualified"


def test_a_change_applies_to_proposals_published_afterwards(pworld, make_proposal):
    before = make_proposal()
    _rules(pworld, author_counts=False)
    after = make_proposal()
    assert Proposal.objects.get(pk=before.pk).author_counts and not Proposal.objects.get(pk=after.pk).author_counts
    services.proposal_endorse(user=fresh(pworld["resident"]), proposal=Proposal.objects.get(pk=before.pk))
    _rules(pworld, author_counts=True)
    assert not Proposal.objects.get(pk=after.pk).author_counts  # published under the old rule, keeps it


def test_the_rule_on_the_page_and_in_the_api(pworld, make_proposal, client):
    _rules(pworld, author_counts=False)
    proposal = make_proposal()
    client.force_login(pworld["resident"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "领衔人不计入联署人数" in page and "联署这条建议" not in page
    api = APIClient()
    assert api.get(f"/api/proposals/{proposal.pk}/").json()["author_counts"] is False
    assert api.get("/api/areas/7701001001/proposal-rules/").json() == {
        "endorsement_threshold": 2,
        "collection_days": 30,
        "response_working_days": 15,
        "author_counts": False,
        "set_by_area": "7701001",
    }
    api.force_authenticate(pworld["resident"])
    body = {"endorsement_threshold": 2, "collection_days": 30, "response_working_days": 15, "author_counts": True}
    assert api.put("/api/areas/7701001/proposal-rules/", body, format="json").status_code == 403
    api.force_authenticate(pworld["official_here"])
    answer = api.put("/api/areas/7701001/proposal-rules/", body, format="json")
    assert answer.status_code == 200 and answer.json()["author_counts"] is True


def test_officials_set_it_on_the_area_rules_page(pworld, client):
    client.force_login(pworld["official_here"])
    form = {"endorsement_threshold": 4, "collection_days": 30, "response_working_days": 15}
    response = client.post("/proposals/rules/7701001/", form)  # the box unticked: does not count
    assert response.status_code == 302
    assert policy_for(pworld["C1"]).author_counts is False
    client.post("/proposals/rules/7701001/", {**form, "author_counts": "on"})
    assert policy_for(pworld["C1"]).author_counts is True

"""What casting a ballot through the API costs, in queries (bench/http.py measures the time)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from deliberation.models import Ballot, BallotBox, Participation
from tests.factories import UserFactory
from tests.world import verify

pytestmark = pytest.mark.django_db


def test_a_ballot_reads_the_box_once_and_its_options_once_per_process(api_client, world, pb):
    voters = [UserFactory() for _ in range(2)]
    for person in voters:
        verify(person, world["c1a"])
    url = reverse("api:ballot-vote", args=[pb.pk])
    counts = []
    for person in voters:
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
        with CaptureQueriesContext(connection) as queries:
            response = api_client.post(url, {"choices": ["1"]}, format="json")
        assert response.status_code == 201, response.content
        counts.append([q["sql"] for q in queries.captured_queries])
    first, second = counts
    assert any("deliberation_ballotoption" in q for q in first), first  # read by the first ballot only
    box_reads = [q for q in second if 'FROM "deliberation_ballotbox"' in q]
    assert len(box_reads) == 2, box_reads  # the visible box, then the same row under its lock
    assert not any('FROM "deliberation_ballotoption"' in q for q in second)  # options kept: they cannot change
    statements = [q for q in second if "SAVEPOINT" not in q]  # the test's own transaction makes savepoints
    # the token and its person, their roles and verification, the box, the box locked, the participation,
    # the ballot, the turnout (8; 13 before the box was read once and its options kept); the box's page told
    # it changed; and the scorecards kept exactly (scorecard.pages): taking part counts where the voter is
    # or was verified, so their verifications' cells are read: 11. The pages' changes are inserts of rows,
    # nothing any other voter waits on.
    assert len(statements) == 11, "\n".join(q[:120] for q in statements)
    changes = [q for q in statements if "civic_pagechange" in q]
    assert len(changes) == 2 and all(q.startswith("INSERT") for q in changes), changes
    # the guarantees: one ballot and one participation per voter, the turnout exact
    assert Ballot.objects.filter(box=pb).count() == Participation.objects.filter(box=pb).count() == 2
    assert BallotBox.objects.get(pk=pb.pk).turnout == 2

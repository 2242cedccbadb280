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
    assert not any('FROM "deliberation_ballotoption"' in q for q in second)  # options kept: they cannot change
    statements = [q for q in second if "SAVEPOINT" not in q]
    # the token, its person and their verification, the box with its area (announced: no look-up of the
    # voter's roles), the box's phase under a shared lock (ballots hold it together; only closing or
    # counting the box waits for it), the participation, where the voter is or was verified (the scorecards
    # count taking part there) and their scorecards told, the ballot, the box's page told (it shows the
    # turnout), and one of the box's turnout shares raised: 9 (13 before the box was read once and its
    # options kept). Nothing here waits on another voter: the pages' changes are inserted rows, the box's
    # row is only read, and two ballots meet on a turnout share one time in TurnoutShare.SLOTS.
    expected = [
        'FROM "authtoken_token"',
        'FROM "deliberation_ballotbox"',
        'FROM "deliberation_ballotbox"',
        'INSERT INTO "deliberation_participation"',
        'FROM "civic_residencyverification"',
        'INSERT INTO "civic_pagechange"',
        'INSERT INTO "deliberation_ballot"',
        'INSERT INTO "civic_pagechange"',
        'INSERT INTO "deliberation_turnoutshare"',
    ]
    assert len(statements) == len(expected), "\n".join(q[:120] for q in statements)
    for marker, sql in zip(expected, statements, strict=True):
        assert marker in sql, (marker, sql[:120])
    assert '"civic_residencyverification"' in statements[0]  # the verification comes with the person
    assert " FOR " not in statements[1]  # the box is read without a lock ...
    if connection.vendor == "postgresql":
        assert statements[2].endswith(" FOR SHARE")  # ... its phase under a lock voters share ...
    assert "ON CONFLICT" in statements[-1]  # ... and the turnout raised in a share, never in the box's row
    assert not any('UPDATE "deliberation_ballotbox"' in q for q in statements)
    # one transaction and no savepoint inside it (the test's own transaction turns it into one savepoint)
    assert len([q for q in second if q.startswith("SAVEPOINT")]) == 1
    # the guarantees: one ballot and one participation per voter, the turnout exact
    assert Ballot.objects.filter(box=pb).count() == Participation.objects.filter(box=pb).count() == 2
    assert BallotBox.objects.get(pk=pb.pk).turnout_now == 2

"""What casting a ballot through the API costs, in queries (bench/http.py measures the time)."""

import tempfile

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
    # the token, its person and their verification; the box with its area, read once, in the ballot's
    # transaction and first in it, under a shared lock (ballots hold it together; only closing or counting
    # the box waits for it; announced: no look-up of the voter's roles); the participation; where the voter
    # is or was verified (the scorecards count taking part there); the ballot; one of the box's turnout
    # shares raised; and the pages it changes told in one insert (its scorecards and the box's page, which
    # shows the turnout): 7 (13 before the box was read once and its options kept, 9 before the pages were
    # told together). Nothing here waits on another voter: the pages' changes are inserted rows, the box's
    # row is only read, and two ballots meet on a turnout share one time in TurnoutShare.SLOTS.
    expected = [
        'FROM "authtoken_token"',
        'FROM "deliberation_ballotbox"',
        'INSERT INTO "deliberation_participation"',
        'FROM "civic_residencyverification"',
        'INSERT INTO "deliberation_ballot"',
        'INSERT INTO "deliberation_turnoutshare"',
        'INSERT INTO "civic_pagechange"',
    ]
    assert len(statements) == len(expected), "\n".join(q[:120] for q in statements)
    for marker, sql in zip(expected, statements, strict=True):
        assert marker in sql, (marker, sql[:120])
    assert '"civic_residencyverification"' in statements[0]  # the verification comes with the person
    assert '"civic_area"' in statements[1]  # the box comes with its area ...
    if connection.vendor == "postgresql":
        assert statements[1].endswith(" FOR SHARE OF b")  # ... under a lock voters share
    assert "ON CONFLICT" in statements[-2]  # the turnout raised in a share, never in the box's row
    scopes = statements[-1].split("VALUES", 1)[1]
    assert f"'ballot:{pb.pk}'" in scopes and "'scorecard:*:" in scopes  # the box's page and the scorecards
    assert not any('UPDATE "deliberation_ballotbox"' in q for q in statements)
    # one transaction and no savepoint inside it (the test's own transaction turns it into one savepoint)
    assert len([q for q in second if q.startswith("SAVEPOINT")]) == 1
    # the guarantees: one ballot and one participation per voter, the turnout exact
    assert Ballot.objects.filter(box=pb).count() == Participation.objects.filter(box=pb).count() == 2
    assert BallotBox.objects.get(pk=pb.pk).turnout_now == 2


def _caster(api_client, world, pb, settings):
    """On PostgreSQL with prepared statements on: cast(), a ballot of a new verified voter in `pb`."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    settings.CIVIC_DB_PREPARE = True
    url = reverse("api:ballot-vote", args=[pb.pk])

    def cast() -> None:
        person = UserFactory()
        verify(person, world["c1a"])
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
        assert api_client.post(url, {"choices": ["1"]}, format="json").status_code == 201

    return cast


def test_every_statement_of_a_ballot_is_prepared_once_per_connection_on_postgresql(api_client, world, pb, settings):
    """With prepared statements on (PostgreSQL, connections kept), a ballot's statements are parsed and
    planned by the first ballot of a connection only: later ballots prepare nothing anew and execute each
    of the same statements once more (planning the token's join cost PostgreSQL more than running it)."""
    cast = _caster(api_client, world, pb, settings)

    def prepared() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements WHERE NOT from_sql"
            )
            return dict(cursor.fetchall())

    cast()
    cast()
    before = prepared()
    cast()
    after = prepared()
    assert set(after) == set(before)  # nothing prepared anew
    ran = {statement for statement in after if after[statement] == before[statement] + 1}
    for table in ("authtoken_token", "deliberation_ballotbox", "deliberation_participation"):
        assert any(table in statement for statement in ran), table
    for table in (
        "civic_residencyverification",
        'deliberation_ballot"',
        "deliberation_turnoutshare",
        "civic_pagechange",
    ):
        assert any(table in statement for statement in ran), table
    assert Ballot.objects.filter(box=pb).count() == 3 and BallotBox.objects.get(pk=pb.pk).turnout_now == 3


def test_a_ballots_writes_that_need_no_answer_share_one_round_trip_on_postgresql(api_client, world, pb, settings):
    """With prepared statements on, the ballot, its turnout share and the pages' change rows are sent
    together (psycopg's pipeline mode) and checked at once: one round trip where there were three."""
    cast = _caster(api_client, world, pb, settings)
    cast()
    with tempfile.TemporaryFile("w+") as trace:
        connection.connection.pgconn.trace(trace.fileno())
        try:
            cast()
        finally:
            connection.connection.pgconn.untrace()
        trace.seek(0)
        sent = [line.split("\t")[3].split(" ")[0] for line in trace if line.split("\t")[1:2] == ["F"]]
    trips = " ".join(sent).split("Sync")  # what was sent before each wait for the server
    assert max(trip.count("Execute") for trip in trips) == 3, trips
    assert all(trip.split() for trip in trips[:-1]), trips  # and no round trip that sent nothing but a sync
    assert Ballot.objects.filter(box=pb).count() == 2 and BallotBox.objects.get(pk=pb.pk).turnout_now == 2

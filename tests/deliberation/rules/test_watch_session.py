"""deliberation.watch_session: anyone watches a public session; a closed one only its chair, the council's
members and the organisers and officials of the area (and superusers)."""

import pytest

from deliberation.models import Session
from tests.deliberation.session_setup import make_council, make_session
from tests.factories import UserFactory
from tests.world import ROLES, fresh, verify

pytestmark = pytest.mark.django_db

CLOSED_ALLOWED = {"organiser_here", "official_here", "official_city", "admin", "council_member", "chair"}


def _people(world, council, session):
    """Every role of the world, plus a council member and a chair who holds no role in the area."""
    chair = UserFactory(display_name="主持人")
    verify(chair, world["c1b"])
    Session.objects.filter(pk=session.pk).update(chair=chair)
    return {**{role: world[role] for role in ROLES}, "council_member": council.people[0], "chair": chair}


@pytest.mark.parametrize("role", [*ROLES, "council_member", "chair"])
def test_watch_a_closed_session(world, role):
    council = make_council(world)
    session = make_session(world, council, public=False)
    person = _people(world, council, session)[role]
    session = Session.objects.select_related("council__area").get(pk=session.pk)
    assert fresh(person).has_perm("deliberation.watch_session", session) is (role in CLOSED_ALLOWED)


@pytest.mark.parametrize("role", [*ROLES, "council_member", "chair"])
def test_watch_a_public_session(world, role):
    council = make_council(world)
    session = make_session(world, council, public=True)
    person = _people(world, council, session)[role]
    session = Session.objects.select_related("council__area").get(pk=session.pk)
    assert fresh(person).has_perm("deliberation.watch_session", session) is True

"""deliberation.publish_minutes: the session's chair, or the organisers and officials of the council's area
(and superusers); not the council's members, not officials elsewhere."""

import pytest

from deliberation.models import Session
from tests.deliberation.session_setup import make_council, make_session
from tests.factories import UserFactory
from tests.world import ROLES, fresh, verify

pytestmark = pytest.mark.django_db

ALLOWED = {"organiser_here", "official_here", "official_city", "admin", "chair"}


@pytest.mark.parametrize("role", [*ROLES, "council_member", "chair"])
def test_publish_minutes(world, role):
    council = make_council(world)
    session = make_session(world, council)
    chair = UserFactory(display_name="主持人")  # a chair who holds no role in the area
    verify(chair, world["c1b"])
    Session.objects.filter(pk=session.pk).update(chair=chair)
    person = {**{r: world[r] for r in ROLES}, "council_member": council.people[0], "chair": chair}[role]
    session = Session.objects.select_related("council__area").get(pk=session.pk)
    assert fresh(person).has_perm("deliberation.publish_minutes", session) is (role in ALLOWED)

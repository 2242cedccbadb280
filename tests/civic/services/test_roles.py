import pytest

from civic import services
from civic.errors import Conflict, InvalidInput, NotAllowed, NotFound
from civic.models import AreaRole, AuditEntry, Notification
from civic.selectors import timeline_for_area
from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_an_official_of_an_enclosing_area_assigns_a_role(world):
    role = services.area_role_grant(
        actor=fresh(world["official_here"]), user=world["resident"], area=world["C1"], role="organiser"
    )
    assert fresh(world["resident"]).has_perm(
        "civic.decide_verification", type("V", (), {"cell": world["c1b"], "user_id": 0})()
    )
    assert AuditEntry.objects.filter(action="role.granted", object_id=str(role.pk)).exists()
    assert Notification.objects.filter(recipient=world["resident"], kind="role.changed").exists()
    assert "resident 成为一社区的社区组织者" in [e.text for e in timeline_for_area(world["C1"])]


@pytest.mark.parametrize("actor", ["official_elsewhere", "organiser_here", "resident", "moderator_here"])
def test_others_cannot_assign_roles(world, actor):
    with pytest.raises(NotAllowed):
        services.area_role_grant(actor=fresh(world[actor]), user=world["resident"], area=world["C1"], role="organiser")
    assert not AreaRole.objects.filter(user=world["resident"]).exists()


def test_a_role_is_held_once_and_must_be_known(world):
    with pytest.raises(Conflict):
        services.area_role_grant(
            actor=fresh(world["official_city"]), user=world["organiser_here"], area=world["S1"], role="organiser"
        )
    with pytest.raises(InvalidInput):
        services.area_role_grant(
            actor=fresh(world["official_city"]), user=world["resident"], area=world["S1"], role="mayor"
        )


def test_revoking_needs_a_reason_and_takes_the_power_away(world):
    role = AreaRole.objects.get(user=world["organiser_here"], role="organiser")
    with pytest.raises(InvalidInput):
        services.area_role_revoke(actor=fresh(world["official_here"]), area_role=role, reason="")
    with pytest.raises(NotAllowed):
        services.area_role_revoke(actor=fresh(world["official_elsewhere"]), area_role=role, reason="调岗")
    services.area_role_revoke(actor=fresh(world["official_here"]), area_role=role, reason="调岗")
    assert not fresh(world["organiser_here"]).has_perm("civic.view_verification_queue")
    entry = AuditEntry.objects.get(action="role.revoked")
    assert entry.after == {"reason": "调岗"} and entry.before["role"] == "organiser"


def test_a_role_taken_back_twice_is_not_found_the_second_time(world):
    role = AreaRole.objects.get(user=world["organiser_here"], role="organiser")
    services.area_role_revoke(actor=fresh(world["official_here"]), area_role=role, reason="调岗")
    with pytest.raises(NotFound):
        services.area_role_revoke(actor=fresh(world["official_here"]), area_role=role, reason="调岗")

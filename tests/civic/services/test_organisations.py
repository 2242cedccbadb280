import pytest

from civic import services
from civic.errors import Conflict, NotAllowed, NotFound
from civic.models import Membership, Notification, Organisation, OrganisationRequest
from civic.selectors import organisations_represented, timeline_for_organisation
from tests.factories import valid_credit_code
from tests.world import fresh

pytestmark = pytest.mark.django_db


def _register(world, person="resident"):
    return services.organisation_register(
        actor=world[person],
        name="一社区老年协会",
        kind="social",
        credit_code=valid_credit_code(77, "52"),
        areas=[world["C1"]],
    )


def test_register_then_confirm_by_an_official_of_the_area(world):
    org = _register(world)
    assert Membership.objects.get(organisation=org).user == world["resident"]
    with pytest.raises(NotAllowed):
        services.organisation_acting_for(user=world["resident"], organisation=org)
    with pytest.raises(NotAllowed):
        services.organisation_confirm(actor=fresh(world["official_elsewhere"]), organisation=org)
    services.organisation_confirm(actor=fresh(world["official_here"]), organisation=org)
    org.refresh_from_db()
    assert org.confirmed_by == world["official_here"]
    assert services.organisation_acting_for(user=world["resident"], organisation=org) == org
    assert list(organisations_represented(world["resident"])) == [org]
    assert Notification.objects.filter(recipient=world["resident"], kind="organisation.confirmed").exists()
    texts = [e.text for e in timeline_for_organisation(org)]
    assert "一社区老年协会 已由 official_here 确认" in texts and "一社区老年协会 在平台登记" in texts
    with pytest.raises(Conflict):
        services.organisation_confirm(actor=fresh(world["official_here"]), organisation=org)


def test_only_representatives_act_for_an_organisation(world):
    org = world.organisation
    org.confirmed_at = org.created_at
    org.save()
    assert services.organisation_acting_for(user=world["representative"], organisation=org) == org
    with pytest.raises(NotAllowed) as raised:
        services.organisation_acting_for(user=world["member"], organisation=org)
    assert raised.value.code == "not_representative"
    assert services.organisation_acting_for(user=world["member"], organisation=None) is None


def test_join_request_accepted_by_a_representative(world):
    org = world.organisation
    join = services.organisation_request_join(user=world["resident"], organisation=org, message="想参加")
    with pytest.raises(Conflict):
        services.organisation_request_join(user=world["resident"], organisation=org)
    with pytest.raises(NotAllowed):
        services.organisation_request_decide(actor=world["member"], request=join, accept=True)
    services.organisation_request_decide(actor=world["representative"], request=join, accept=True)
    assert Membership.objects.get(organisation=org, user=world["resident"]).role == "member"
    with pytest.raises(Conflict):
        services.organisation_request_decide(actor=world["representative"], request=join, accept=False)


def test_invitation_answered_only_by_the_invitee(world):
    org = world.organisation
    with pytest.raises(NotFound):
        services.organisation_invite(actor=world["representative"], organisation=org, email="nobody@example.org")
    with pytest.raises(NotAllowed):
        services.organisation_invite(actor=world["member"], organisation=org, email=world["resident"].email)
    invitation = services.organisation_invite(
        actor=world["representative"], organisation=org, email=world["resident"].email.upper(), role="representative"
    )
    with pytest.raises(NotAllowed):
        services.organisation_request_decide(actor=world["representative"], request=invitation, accept=True)
    services.organisation_request_decide(actor=world["resident"], request=invitation, accept=False)
    assert OrganisationRequest.objects.get(pk=invitation.pk).status == "declined"
    assert not Membership.objects.filter(organisation=org, user=world["resident"]).exists()


def test_the_last_representative_cannot_leave(world):
    org = world.organisation
    rep = Membership.objects.get(organisation=org, user=world["representative"])
    with pytest.raises(Conflict) as raised:
        services.membership_remove(actor=world["representative"], membership=rep)
    assert raised.value.code == "last_representative"
    member = Membership.objects.get(organisation=org, user=world["member"])
    with pytest.raises(NotAllowed):
        services.membership_remove(actor=world["resident"], membership=member)
    services.membership_remove(actor=world["member"], membership=member)  # leaving is always allowed
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_representatives_edit_their_organisation(world):
    org = world.organisation
    with pytest.raises(NotAllowed):
        services.organisation_update(
            actor=world["member"], organisation=org, name="新名", description="", areas=[world["C1"]]
        )
    services.organisation_update(
        actor=world["representative"],
        organisation=org,
        name="一社区综合服务中心",
        description="新的简介",
        areas=[world["C1"], world["C2"]],
    )
    org = Organisation.objects.get(pk=org.pk)
    assert org.name == "一社区综合服务中心" and org.areas.count() == 2

"""Pages hand a POST to a form, the form's cleaned data to the service, and show a refusal where it belongs."""

import pytest

from civic.models import AreaRole, OrganisationRequest, ResidencyVerification

pytestmark = pytest.mark.django_db


def test_granting_a_role_to_an_unknown_address_is_shown_next_to_the_address(client, world):
    client.force_login(world["official_here"])
    response = client.post(
        f"/areas/{world['C1'].code}/roles/", {"grant": "1", "email": "nobody@example.cn", "role": "organiser"}
    )
    assert response.status_code == 200
    assert "平台上没有使用该邮箱注册的用户。" in response.content.decode()
    assert not AreaRole.objects.filter(area=world["C1"]).exists()


def test_an_over_long_join_message_is_refused_not_dropped(client, world):
    org = world.organisation
    client.force_login(world["resident"])
    referer = f"http://testserver/organisations/{org.pk}/"
    response = client.post(f"/organisations/{org.pk}/join/", {"message": "请" * 501}, HTTP_REFERER=referer)
    assert response.status_code == 302 and response["Location"] == referer
    assert not OrganisationRequest.objects.exists()
    response = client.post(f"/organisations/{org.pk}/join/", {"message": "我住在 3 栋"}, HTTP_REFERER=referer)
    assert OrganisationRequest.objects.get().message == "我住在 3 栋"


def test_closing_an_account_needs_the_box_ticked_with_yes(client, user):
    client.force_login(user)
    response = client.post("/me/close/", {"confirm": "no"}, follow=True)
    user.refresh_from_db()
    assert user.is_active and "请勾选确认" in response.content.decode()


def test_withdrawing_someone_elses_verification_is_refused(client, world):
    verification = ResidencyVerification.objects.get(user=world["resident"])
    client.force_login(world["resident_elsewhere"])
    response = client.post(f"/verification/{verification.pk}/withdraw/")
    assert response.status_code == 403
    verification.refresh_from_db()
    assert verification.status == "approved"

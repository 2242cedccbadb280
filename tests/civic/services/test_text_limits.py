"""Texts the civic services store: over-long text is refused (never cut), control characters too."""

import pytest

from civic import services
from civic.errors import InvalidInput
from civic.models import Organisation, OrganisationRequest, Report, ResidencyVerification, User
from tests.factories import valid_credit_code
from tests.world import fresh, pending_request

pytestmark = pytest.mark.django_db


def _profile(**changes):
    return {"display_name": "王秀英", "phone": "", "preferred_language": "zh-hans", "bio": "", **changes}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("bio", "字" * 1001, "too_long"),
        ("display_name", "名" * 61, "too_long"),
        ("display_name", "王\x00秀英", "text_invalid"),
        ("bio", "住在\x1b[31m 3 栋", "text_invalid"),
    ],
)
def test_profile_refuses_long_or_broken_text(world, field, value, code):
    person = world["resident"]
    with pytest.raises(InvalidInput) as raised:
        services.profile_update(user=person, **_profile(**{field: value}))
    assert (raised.value.code, raised.value.field) == (code, field)
    stored = User.objects.get(pk=person.pk)
    assert stored.display_name == "resident" and stored.bio == ""


def test_profile_keeps_text_at_its_maximum(world):
    person = world["resident"]
    services.profile_update(user=person, **_profile(bio="字" * 1000, display_name="  王   秀英  "))
    stored = User.objects.get(pk=person.pk)
    assert stored.bio == "字" * 1000 and stored.display_name == "王 秀英"


def test_a_long_rejection_reason_is_refused_not_cut(world):
    verification = pending_request(world)
    with pytest.raises(InvalidInput) as raised:
        services.verification_reject(verification=verification, actor=fresh(world["official_here"]), reason="因" * 501)
    assert raised.value.code == "too_long" and raised.value.field == "reason"
    assert ResidencyVerification.objects.get(pk=verification.pk).status == "pending"


def test_an_address_with_control_characters_is_refused(world):
    with pytest.raises(InvalidInput) as raised:
        services.verification_request(user=world["unverified"], cell=world["c1a"], address="一社区\x07 3 栋 501")
    assert raised.value.code == "text_invalid" and raised.value.field == "address"
    assert not ResidencyVerification.objects.filter(user=world["unverified"]).exists()


def test_organisation_description_and_name_have_maxima(world):
    common = {"actor": world["resident"], "kind": "social", "areas": [world["C1"]]}
    with pytest.raises(InvalidInput) as raised:
        services.organisation_register(
            name="长" * 121, credit_code=valid_credit_code(501, "52"), description="", **common
        )
    assert (raised.value.code, raised.value.field) == ("too_long", "name")
    with pytest.raises(InvalidInput) as raised:
        services.organisation_register(
            name="云河服务社", credit_code=valid_credit_code(502, "52"), description="述" * 5001, **common
        )
    assert (raised.value.code, raised.value.field) == ("too_long", "description")
    assert not Organisation.objects.filter(name__startswith="云河").exists()


def test_join_message_and_report_text_are_refused_when_too_long(world):
    org = world.organisation
    with pytest.raises(InvalidInput) as raised:
        services.organisation_request_join(user=world["resident"], organisation=org, message="请" * 501)
    assert raised.value.code == "too_long"
    assert not OrganisationRequest.objects.exists()
    with pytest.raises(InvalidInput) as raised:
        services.content_report(reporter=world["resident"], obj=org, reason="other", text="错" * 1001)
    assert (raised.value.code, raised.value.field) == ("too_long", "text")
    assert not Report.objects.exists()

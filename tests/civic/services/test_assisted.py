"""Assisted participation (代办): registering a resident in person, claim codes, and the acting check."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic import services
from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AssistedResident, AuditEntry, ClaimCode, ResidencyVerification, User
from civic.selectors import assisted_acts_of, is_eligible
from tests.civic.assisted import register
from tests.world import fresh


def test_a_resident_without_e_mail_is_registered_verified_and_eligible(world):
    person = register(world)
    assert person.email is None
    assert person.login_phone == "+8613800138000"
    assert not person.has_usable_password()
    registration = AssistedResident.objects.get(user=person)
    assert (registration.id_last4, registration.cell, registration.registered_by) == (
        "123X",
        world["c1a"],
        world["organiser_here"],
    )
    verification = ResidencyVerification.objects.get(user=person)
    assert verification.status == "approved" and verification.decided_by == world["organiser_here"]
    assert is_eligible(person, world["S1"])
    assert set(AuditEntry.objects.filter(area=world["c1a"]).values_list("action", flat=True)) == {
        "assisted.registered",
        "verification.approved",
    }


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"consent": False}, "consent_missing"),
        ({"id_last4": "12"}, "id_last4_invalid"),
        ({"id_last4": "12A4"}, "id_last4_invalid"),
        ({"phone": "12345"}, "phone_invalid"),
        ({"display_name": "  "}, "display_name_missing"),
        ({"address": "1"}, "address_missing"),
    ],
)
def test_bad_input_writes_nothing(world, changes, code):
    values = {
        "actor": fresh(world["organiser_here"]),
        "display_name": "李大爷",
        "cell": world["c1a"],
        "address": "柳岸小区 1 栋",
        "id_last4": "4567",
        "phone": "",
        "consent": True,
        **changes,
    }
    before = User.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.assisted_register(**values)
    assert error.value.code == code
    assert User.objects.count() == before
    assert not AssistedResident.objects.exists()


def test_only_staff_of_the_cell_register(world):
    for role in ("resident", "organiser_elsewhere", "moderator_here", "admin"):
        with pytest.raises(NotAllowed):
            register(world, by=role)
    register(world, by="official_city")


def test_one_registration_per_person_and_cell(world):
    register(world)
    with pytest.raises(Conflict) as error:
        register(world, phone="")
    assert error.value.code == "already_registered"
    register(world, id_last4="9876", phone="")  # a namesake: other ID characters
    with pytest.raises(Conflict) as error:
        register(world, name="张三", phone="+86 138-0013-8000")  # the number signs in for someone else
    assert error.value.code == "phone_taken"


def test_claim_code_is_hashed_single_use_and_expires(world):
    person = register(world)
    code = services.claim_code_issue(actor=fresh(world["organiser_here"]), resident=person)
    assert len(code) == 14 and code.count("-") == 2
    assert not ClaimCode.objects.filter(code_hash__icontains=code.replace("-", "")).exists()
    claimed = services.account_claim(code=code.lower(), password="chang-an-jie-2026", email="WANG@example.org")
    assert claimed.check_password("chang-an-jie-2026") and claimed.email == "wang@example.org"
    assert AssistedResident.objects.get(user=person).claimed_at is not None
    with pytest.raises(InvalidInput) as error:
        services.account_claim(code=code, password="another-pass-2026")
    assert error.value.code == "claim_code_invalid"
    with pytest.raises(Conflict) as error:
        services.claim_code_issue(actor=fresh(world["organiser_here"]), resident=person)
    assert error.value.code == "already_claimed"


def test_an_expired_or_replaced_code_does_not_work(world):
    person = register(world)
    first = services.claim_code_issue(actor=fresh(world["organiser_here"]), resident=person)
    second = services.claim_code_issue(actor=fresh(world["official_here"]), resident=person)
    with pytest.raises(InvalidInput):
        services.account_claim(code=first, password="chang-an-jie-2026")
    ClaimCode.objects.filter(user=person, used_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvalidInput):
        services.account_claim(code=second, password="chang-an-jie-2026")
    assert not User.objects.get(pk=person.pk).has_usable_password()


def test_claiming_needs_a_way_to_sign_in_and_a_good_password(world):
    person = register(world, phone="")
    code = services.claim_code_issue(actor=fresh(world["organiser_here"]), resident=person)
    with pytest.raises(InvalidInput) as error:
        services.account_claim(code=code, password="chang-an-jie-2026")
    assert error.value.code == "login_missing"
    with pytest.raises(InvalidInput) as error:
        services.account_claim(code=code, password="123", phone="13900139000")
    assert error.value.code == "password_invalid"
    with pytest.raises(Conflict):
        services.account_claim(code=code, password="chang-an-jie-2026", email=world["resident"].email)
    claimed = services.account_claim(code=code, password="chang-an-jie-2026", phone="13900139000")
    assert claimed.login_phone == "+8613900139000"


def test_only_staff_of_the_area_act_for_a_resident_and_never_for_others(world):
    person = register(world)
    assert services.assisted_channel(resident=person, assisted_by=None) == "online"
    assert services.assisted_channel(resident=person, assisted_by=fresh(world["organiser_here"])) == "assisted"
    for role in ("organiser_elsewhere", "official_elsewhere", "resident", "admin"):
        with pytest.raises(NotAllowed):
            services.assisted_channel(resident=person, assisted_by=fresh(world[role]))
    with pytest.raises(NotAllowed):  # an ordinary resident was not registered in person
        services.assisted_channel(resident=world["resident"], assisted_by=fresh(world["organiser_here"]))


def test_history_lists_what_was_done_in_the_persons_name(world):
    person = register(world)
    services.claim_code_issue(actor=fresh(world["organiser_here"]), resident=person)
    assert [e.action for e in assisted_acts_of(person)] == ["assisted.claim_code_issued", "assisted.registered"]
    assert list(assisted_acts_of(world["resident"])) == []


def test_closing_the_account_removes_the_mobile_number_and_the_id_characters(world):
    person = register(world)
    services.user_deactivate(user=person, actor=fresh(world["admin"]))
    person = User.objects.get(pk=person.pk)
    assert person.login_phone is None and AssistedResident.objects.get(user=person).id_last4 == ""

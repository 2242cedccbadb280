import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from civic import services
from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AuditEntry, Notification, ResidencyVerification
from civic.selectors import eligible_people, is_eligible
from tests.world import fresh

pytestmark = pytest.mark.django_db


def _png(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_request_notifies_the_deciders_of_enclosing_areas(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        v = services.verification_request(user=world["unverified"], cell=world["c1a"], address="一社区 3 栋 501")
    assert v.status == "pending" and v.address == "一社区 3 栋 501"
    told = set(
        Notification.objects.filter(kind="verification.requested").values_list("recipient__display_name", flat=True)
    )
    assert told == {"organiser_here", "official_here", "official_city"}
    assert AuditEntry.objects.filter(action="verification.requested", object_id=str(v.pk)).exists()


def test_approval_makes_the_person_eligible_here_and_above_only(world, django_capture_on_commit_callbacks):
    person = world["unverified"]
    v = services.verification_request(user=person, cell=world["c1a"], address="一社区 3 栋 501")
    with django_capture_on_commit_callbacks(execute=True):
        services.verification_approve(verification=v, actor=fresh(world["organiser_here"]))
    person = fresh(person)
    for area in ("c1a", "C1", "S1", "D1", "city"):
        assert is_eligible(person, world[area]), area
    for area in ("c1b", "C2", "c2a", "D2"):
        assert not is_eligible(fresh(person), world[area]), area
    assert person in eligible_people(world["C1"]) and person not in eligible_people(world["C2"])
    v.refresh_from_db()
    assert v.decided_by == world["organiser_here"]
    assert v.expires_at > timezone.now() + timedelta(days=700)
    assert any("一网格" in m.subject for m in mail.outbox)
    entry = AuditEntry.objects.get(action="verification.approved")
    assert entry.before == {"status": "pending"} and entry.after["status"] == "approved"


def test_eligibility_costs_one_query_whatever_the_number_of_checks(world, django_assert_num_queries):
    person = fresh(world["resident"])
    with django_assert_num_queries(1):
        results = [is_eligible(person, world[a]) for a in ("c1a", "C1", "S1", "D1", "city", "C2", "D2")]
    assert results == [True] * 5 + [False] * 2


def test_expiry_ends_eligibility_without_any_job(world):
    ResidencyVerification.objects.filter(user=world["resident"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert not is_eligible(fresh(world["resident"]), world["C1"])
    # and the person may then ask again: the stale approval is marked expired first
    v = services.verification_request(user=world["resident"], cell=world["c1b"], address="一社区 9 栋 101")
    assert v.status == "pending"
    assert ResidencyVerification.objects.filter(user=world["resident"], status="expired").count() == 1


def test_inactive_people_are_never_eligible(world):
    person = fresh(world["resident"])
    person.is_active = False
    assert not is_eligible(person, world["C1"])


def test_one_active_verification_per_person(world):
    with pytest.raises(Conflict) as raised:
        services.verification_request(user=world["resident"], cell=world["c1b"], address="一社区 9 栋 101")
    assert raised.value.code == "verification_active"
    assert ResidencyVerification.objects.filter(user=world["resident"]).count() == 1


def test_moving_means_withdrawing_then_asking_again(world):
    current = ResidencyVerification.objects.get(user=world["resident"])
    services.verification_withdraw(verification=current, user=world["resident"])
    assert not is_eligible(fresh(world["resident"]), world["C1"])
    v = services.verification_request(user=world["resident"], cell=world["c2a"], address="二社区 1 栋 101")
    assert v.status == "pending"


@pytest.mark.parametrize(
    ("actor", "code"),
    [
        ("organiser_elsewhere", "not_allowed"),
        ("official_elsewhere", "not_allowed"),
        ("resident", "not_allowed"),
        ("moderator_here", "not_allowed"),
        ("unverified", "own_verification"),
    ],
)
def test_only_deciders_of_the_area_may_approve(world, actor, code):
    v = services.verification_request(user=world["unverified"], cell=world["c1a"], address="一社区 3 栋 501")
    audit_before = AuditEntry.objects.count()
    with pytest.raises(NotAllowed) as raised:
        services.verification_approve(verification=v, actor=fresh(world[actor]))
    assert raised.value.code == code
    v.refresh_from_db()
    assert v.status == "pending" and AuditEntry.objects.count() == audit_before


def test_an_organiser_cannot_approve_their_own_request(world):
    organiser = world["organiser_here"]
    v = services.verification_request(user=organiser, cell=world["c1a"], address="一社区 1 栋 101")
    with pytest.raises(NotAllowed) as raised:
        services.verification_approve(verification=v, actor=fresh(organiser))
    assert raised.value.code == "own_verification"


def test_reject_needs_a_reason_and_tells_it(world, django_capture_on_commit_callbacks):
    v = services.verification_request(user=world["unverified"], cell=world["c1a"], address="一社区 3 栋 501")
    with pytest.raises(InvalidInput):
        services.verification_reject(verification=v, actor=fresh(world["official_here"]), reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.verification_reject(verification=v, actor=fresh(world["official_here"]), reason="地址不在本网格")
    v.refresh_from_db()
    assert v.status == "rejected" and v.reason == "地址不在本网格"
    assert Notification.objects.get(recipient=world["unverified"], kind="verification.decided").body == "地址不在本网格"
    with pytest.raises(Conflict):
        services.verification_approve(verification=v, actor=fresh(world["official_here"]))


def test_revoke_ends_eligibility(world):
    v = ResidencyVerification.objects.get(user=world["resident"])
    with pytest.raises(NotAllowed):
        services.verification_revoke(verification=v, actor=fresh(world["organiser_elsewhere"]), reason="已搬走")
    services.verification_revoke(verification=v, actor=fresh(world["organiser_here"]), reason="已搬走")
    assert not is_eligible(fresh(world["resident"]), world["C1"])
    with pytest.raises(Conflict):
        services.verification_revoke(verification=v, actor=fresh(world["organiser_here"]), reason="再次")


@pytest.mark.parametrize(
    ("cell", "address", "code"), [("C1", "一社区 3 栋 501", "cell_required"), ("c1a", "  ", "address_missing")]
)
def test_bad_requests_write_nothing(world, cell, address, code):
    with pytest.raises(InvalidInput) as raised:
        services.verification_request(user=world["unverified"], cell=world[cell], address=address)
    assert raised.value.code == code
    assert not ResidencyVerification.objects.filter(user=world["unverified"]).exists()


def test_proof_is_kept_privately(world, private_root, settings):
    tmp_path = private_root
    proof = SimpleUploadedFile("租房合同.png", _png(), content_type="image/png")
    v = services.verification_request(
        user=world["unverified"], cell=world["c1a"], address="一社区 3 栋 501", proof=proof
    )
    assert v.proof.name.startswith("proofs/")
    assert (tmp_path / v.proof.name).exists()
    assert str(settings.MEDIA_ROOT) not in str(tmp_path / v.proof.name)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("proof.png", b"MZ\x90\x00 this is an exe", "upload_type"),
        ("proof.jpg", b"<script>alert(1)</script>", "upload_type"),
        ("proof.png", b"\x89PNG\r\n\x1a\n" + b"broken", "upload_damaged"),
    ],
)
def test_disguised_or_damaged_uploads_are_refused(world, name, content, code):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    with pytest.raises(InvalidInput) as raised:
        services.verification_request(
            user=world["unverified"], cell=world["c1a"], address="一社区 3 栋 501", proof=upload
        )
    assert raised.value.code == code and raised.value.field == "proof"
    assert not ResidencyVerification.objects.filter(user=world["unverified"]).exists()


def test_oversized_uploads_are_refused(world, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2048, content_type="application/pdf")
    with pytest.raises(InvalidInput) as raised:
        services.verification_request(
            user=world["unverified"], cell=world["c1a"], address="一社区 3 栋 501", proof=upload
        )
    assert raised.value.code == "upload_too_large"

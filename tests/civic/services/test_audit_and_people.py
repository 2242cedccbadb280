import pytest
from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.utils import DatabaseError

from civic import services
from civic.errors import Conflict, NotAllowed
from civic.models import AuditEntry, User
from civic.selectors import audit_entries, is_eligible
from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_the_orm_cannot_change_or_remove_audit_entries(user):
    entry = services.audit_record(actor=user, action="test.action", after={"x": 1})
    entry.action = "changed"
    with pytest.raises(ProtectedError):
        entry.save()
    with pytest.raises(ProtectedError):
        entry.delete()
    with pytest.raises(ProtectedError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(ProtectedError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_the_database_refuses_to_change_audit_entries(user):
    entry = services.audit_record(actor=user, action="test.action")
    for sql in ("UPDATE civic_auditentry SET action = 'x' WHERE id = %s", "DELETE FROM civic_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_officials_see_the_audit_of_their_areas_only(world):
    services.audit_record(actor=world["resident"], action="x.here", area=world["C1"])
    services.audit_record(actor=world["resident"], action="x.there", area=world["C2"])
    assert [e.action for e in audit_entries(fresh(world["official_here"]))] == ["x.here"]
    assert {e.action for e in audit_entries(fresh(world["official_city"]))} == {"x.here", "x.there"}
    assert list(audit_entries(fresh(world["resident"]))) == []
    assert [e.action for e in audit_entries(fresh(world["admin"]), action="x.th")] == ["x.there"]


def test_people_are_never_deleted(user):
    with pytest.raises(ProtectedError):
        user.delete()
    assert User.objects.filter(pk=user.pk).exists()


def test_closing_an_account_anonymises_in_place(world):
    person = world["resident"]
    services.profile_update(user=person, display_name="王秀英", phone="13800000000", bio="住在 3 栋")
    services.user_deactivate(user=person, actor=person)
    person = User.objects.get(pk=person.pk)
    assert not person.is_active and person.anonymised_at
    assert person.email == f"closed-{person.pk}@invalid" and person.phone == "" and person.bio == ""
    assert person.display_name == "已注销用户"
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not is_eligible(person, world["C1"])
    assert AuditEntry.objects.filter(action="user.deactivated", object_id=str(person.pk)).exists()
    with pytest.raises(Conflict):
        services.user_deactivate(user=person, actor=world["admin"])


def test_nobody_closes_someone_elses_account(world):
    with pytest.raises(NotAllowed):
        services.user_deactivate(user=world["resident"], actor=world["official_city"])


@pytest.mark.parametrize(("field", "value"), [("display_name", "  "), ("phone", "abc"), ("preferred_language", "fr")])
def test_bad_profiles_are_refused(user, field, value):
    data = {"display_name": "名字", "phone": "", "preferred_language": "zh-hans", "bio": "", field: value}
    with pytest.raises(services.InvalidInput) as raised:
        services.profile_update(user=user, **data)
    assert raised.value.field == field
    assert User.objects.get(pk=user.pk).display_name == user.display_name

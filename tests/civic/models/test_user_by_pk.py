"""`User.objects.get(pk=…)`, the lookup of every signed-in request, is one plain query made once per process:
it must load exactly what the ORM's lookup loads, and leave every other lookup to the ORM."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic.models import User

pytestmark = pytest.mark.django_db


def _fields(user) -> dict:
    return {name: value for name, value in vars(user).items() if name != "_state"}


@pytest.mark.parametrize("as_text", [False, True])
def test_loads_what_the_orm_loads(as_text):
    user = User.objects.create_user("by-pk@example.com", "pw-by-pk-123", display_name="老张", bio="住在三楼")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(hours=3), is_staff=True)
    pk = str(user.pk) if as_text else user.pk
    with CaptureQueriesContext(connection) as queries:
        found = User.objects.get(pk=pk)
    assert len(queries) == 1
    expected = QuerySet(User).get(pk=user.pk)  # the ORM's own lookup
    assert _fields(found) == _fields(expected)
    assert {name: type(value) for name, value in _fields(found).items()} == {
        name: type(value) for name, value in _fields(expected).items()
    }
    assert found.last_login.tzinfo is not None and found.is_staff is True
    assert found._state.adding is False and found._state.db == expected._state.db
    assert found.check_password("pw-by-pk-123")
    assert found.get_session_auth_hash() == expected.get_session_auth_hash()


def test_missing_is_does_not_exist():
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=987654)
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=str(2**40))  # beyond the plain query's range: the ORM's way, the same answer


def test_other_lookups_are_the_orms():
    user = User.objects.create_user("other-lookup@example.com", "pw")
    assert User.objects.get(email="other-lookup@example.com") == user
    assert User.objects.get(pk=user.pk, is_active=True) == user
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk, is_active=False)
    with pytest.raises(ValueError):
        User.objects.get(pk="not-a-number")

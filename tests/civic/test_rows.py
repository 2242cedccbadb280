"""civic.rows: prepared statements and statements sent together, as Django's own cursor would run them."""

import pytest
from django.db import IntegrityError, connection, transaction

from civic import pagecache, rows
from civic.models import PageChange

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prepare", [True, False])
def test_writes_sent_together_land_and_an_error_among_them_is_djangos(settings, prepare):
    settings.CIVIC_DB_PREPARE = prepare
    table = PageChange._meta.db_table
    with rows.pipelined(), rows.prepared_cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (scope) VALUES (%s)", ["rows:a"])
        cursor.execute(f"INSERT INTO {table} (scope) VALUES (%s), (%s)", ["rows:a", "rows:b"])
    assert pagecache.versions(["rows:a", "rows:b"])[0][0] == 2
    taken = PageChange.objects.filter(scope="rows:a").values_list("id", flat=True).first()
    with pytest.raises(IntegrityError), transaction.atomic(), rows.pipelined(), rows.prepared_cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (scope) VALUES (%s)", ["rows:c"])
        cursor.execute(f"INSERT INTO {table} (id, scope) VALUES (%s, %s)", [taken, "rows:d"])  # taken
    # nothing of the failed block is left, and the connection goes on
    assert not PageChange.objects.filter(scope__in=["rows:c", "rows:d"]).exists()
    assert PageChange.objects.filter(scope="rows:a").count() == 2 and connection.is_usable()

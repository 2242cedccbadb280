import copy
import os
import uuid

import pytest
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import PASSWORD, UserFactory, make_area_tree

# CI machines have two cores and run browsers beside the suite: property tests must not fail for being slow.
hypothesis_settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("ci")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def tree(db):
    return make_area_tree()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(scope="session", autouse=True)
def _own_cache_namespace():
    """Each test run gets its own cache key prefix (the server subprocess inherits it), so rate-limit
    counters that a shared Redis keeps from an earlier run cannot leak into this one."""
    from django.conf import settings

    prefix = f"test-{uuid.uuid4().hex[:10]}"
    os.environ["DJANGO_CACHE_PREFIX"] = prefix
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = prefix
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(scope="session", autouse=True)
def _flush_may_empty_append_only_tables():
    """SQLite has no TRUNCATE: Django empties a test database (TransactionTestCase, the browser tests'
    file database) with DELETE, which the append-only triggers refuse. While Django's flush runs, and on
    the flushing connection only, the temp table civic.appendonly.FLUSH_BYPASS_TABLE lets it through.
    This hook exists in the test suite alone; PostgreSQL's flush uses TRUNCATE and needs none."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from civic.appendonly import FLUSH_BYPASS_TABLE

    DatabaseOperations = DatabaseWrapper.ops_class

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {FLUSH_BYPASS_TABLE} (flushing INTEGER)")
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS temp.{FLUSH_BYPASS_TABLE}")

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached figures start empty in every test, and so does each process's copy of the
    calendar corrections: it is keyed by the calendar's version in the cache, which an emptied cache starts
    again from 1, so a copy from an earlier test would otherwise pass for the current one."""
    from django.core.cache import caches

    from civic.workdays import _corrections

    backend = caches["default"]  # the backend itself: `cache` is a proxy whose type names no backend
    if "LocMem" in type(backend).__name__:  # a shared Redis is kept apart by the run's prefix instead
        backend.clear()
    _corrections.cache_clear()
    yield


def pytest_collection_modifyitems(config, items):
    # Browser tests last: their Playwright event loop must not precede the async tests.
    items.sort(key=lambda item: "browser" in item.keywords)


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


@pytest.fixture
def private_root(settings, tmp_path):
    """Private uploads go to a temporary folder for this test."""
    from django.utils.functional import empty

    from civic.storage import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    private_storage._wrapped = empty
    yield tmp_path
    private_storage._wrapped = empty


@pytest.fixture
def pworld(world):
    """The world of tests/world.py with proposal rules: 3 co-signatures in 30 days, 15 working days to answer."""
    from proposals.models import AreaPolicy, Category

    AreaPolicy.objects.create(area=world["S1"], endorsement_threshold=3, collection_days=30, response_working_days=15)
    world.category = Category.objects.create(name="照明品质提升")
    return world


@pytest.fixture
def make_proposal(pworld):
    from proposals import services

    def make(author="resident", area="C1", publish=True, **kwargs):
        kwargs.setdefault("title", "楼道灯长期不亮")
        kwargs.setdefault("body", "3 栋楼道灯坏了两个月，晚上很不安全。")
        proposal = services.proposal_create(
            author=pworld[author], category=pworld.category, area=pworld[area], **kwargs
        )
        return services.proposal_publish(actor=pworld[author], proposal=proposal) if publish else proposal

    return make

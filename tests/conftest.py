import copy
import os
import uuid

import pytest
from django.test import override_settings

from tests.factories import PASSWORD, UserFactory, make_area_tree


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached figures start empty in every test."""
    from django.core.cache import cache

    if "LocMem" in type(cache).__name__:  # a shared Redis is kept apart by the run's prefix instead
        cache.clear()
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

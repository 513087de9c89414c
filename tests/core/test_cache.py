"""The database cache every process shares without Redis: django-ratelimit's counters count
up atomically there and keep their window's expiry."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from core.limits import limit_consume

pytestmark = pytest.mark.django_db

TABLE = "test_shared_cache"


@pytest.fixture
def shared(settings):
    """A SharedDatabaseCache alias "shared" over a table made by createcachetable, and the
    portal's limits counting in it."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "core.cache.SharedDatabaseCache", "LOCATION": TABLE},
    }
    settings.RATELIMIT_USE_CACHE = "shared"
    call_command("createcachetable", verbosity=0)  # every database cache in CACHES
    return caches["shared"]


def expiry(key: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {TABLE} WHERE cache_key = %s", [key])  # noqa: S608
        return cursor.fetchone()[0]


def test_incr_counts_and_keeps_the_expiry(shared):
    shared.add("counter", 1, timeout=3600)
    key = shared.make_and_validate_key("counter")
    before = expiry(key)
    assert [shared.incr("counter") for _ in range(5)] == [2, 3, 4, 5, 6]
    assert shared.get("counter") == 6
    assert expiry(key) == before  # Django's own incr would reset it to the default timeout
    with pytest.raises(ValueError):
        shared.incr("missing")


def test_limits_count_in_the_shared_table(shared):
    uses = [limit_consume(group="test", key="member-1", limit=3, period="h") for _ in range(5)]
    assert [use.allowed for use in uses] == [True, True, True, False, False]
    assert limit_consume(group="test", key="member-2", limit=3, period="h").allowed
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
        assert cursor.fetchone()[0] == 2

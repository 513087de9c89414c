"""The database cache every process shares without Redis: django-ratelimit's counters count
up atomically there and keep their window's expiry; the page cache's file-based backend reads
an unchanged file from memory and sees every write at once."""

import time

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


def file_cache(location):
    from core.cache import FileCacheReadInMemory

    return FileCacheReadInMemory(str(location), {})


def test_the_page_file_cache_reads_an_unchanged_file_from_memory(tmp_path, monkeypatch):
    from django.core.cache.backends.filebased import FileBasedCache

    cache = file_cache(tmp_path)
    cache.set("generation", "1", timeout=None)
    assert cache.get("generation") == "1"

    def must_not_read(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(FileBasedCache, "get", must_not_read)
    assert cache.get("generation") == "1"


def test_the_page_file_cache_sees_another_process_write_at_once(tmp_path):
    reader, writer = file_cache(tmp_path), file_cache(tmp_path)
    reader.set("generation", "1", timeout=None)
    assert reader.get("generation") == "1"
    for value in ("2", "3", "4"):
        writer.set("generation", value, timeout=None)
        assert reader.get("generation") == value
    writer.delete("generation")
    assert reader.get("generation", "gone") == "gone"


def test_the_page_file_cache_forgets_an_entry_when_it_expires(tmp_path, monkeypatch):
    cache = file_cache(tmp_path)
    cache.set("page", b"<html>", timeout=60)
    assert cache.get("page") == b"<html>"
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert cache.get("page") is None

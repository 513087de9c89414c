"""Test settings: fast hashing, in-memory mail, tasks run inline, no HTTPS redirect."""

from portal.settings.dev import *  # noqa: F403
from portal.settings.dev import INSTALLED_APPS, Q_CLUSTER

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "whitenoise.runserver_nostatic"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "memory"},
}
# Tests see every change to a page at once; tests/home/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
# django-q2 runs each task in the calling process, so tests see what a task did.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# Links in e-mails start with the test client's own host.
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
NOTES_ENCRYPTION_KEYS = ["dGVzdC1ub3Rlcy1rZXktb25seS1mb3ItdGhlLXRlc3Q="]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# No collectstatic in tests: whitenoise serves straight from the app and project folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

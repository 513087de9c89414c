"""Local development: DEBUG on, plain http on 127.0.0.1, a fixed key, demo content allowed."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import INSTALLED_APPS, env, env_list

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-key-never-used-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
DEMO_CONTENT_ALLOWED = True
# A fixed, public key so `make run` works out of the box; never use it for real notes.
NOTES_ENCRYPTION_KEYS = env_list(
    "NOTES_ENCRYPTION_KEYS", "ZGV2ZWxvcG1lbnQtbm90ZXMta2V5LW5vdC1zZWNyZXQ="
)

# Serve static files through whitenoise under runserver too, as in production.
INSTALLED_APPS = ["whitenoise.runserver_nostatic", *INSTALLED_APPS]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

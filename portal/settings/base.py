"""The secure production configuration: every secret and host comes from the environment.

dev.py and test.py relax it; production.py only asserts what production needs. Every
variable read here is listed in .env.example and in the settings table of README.md.
"""

import hashlib
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.settings.environment import env, env_addresses, env_bool, env_count, env_list

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo accounts and content may only be loaded where a setting allows it (dev and test).
DEMO_CONTENT_ALLOWED = False

INSTALLED_APPS = [
    "home",
    "resources",
    "cohorts",
    "members",
    "surveys",
    # The project package: its management commands (backup, restore, bootstrap_site) and the
    # record of the standard pages bootstrap_site created.
    "portal",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with Users screens that erase an account as its owner's deletion does.
    "members.apps.UsersAdminConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "allauth",
    "allauth.account",
    # Single sign-on with the association's identity provider (members/sso/); its pages
    # answer only when SSO_ISSUER is set.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    # No django.contrib.admin: the Wagtail admin is the only admin (README, Security).
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: a public page from the page cache is answered here, with the security headers
    # the middleware below added when it was stored, and costs no other middleware and no
    # database query (core/page_cache.py).
    "core.page_cache.AnonymousPageCacheMiddleware",
    # Then, for every other request, X-Forwarded-For is kept only from the trusted proxy
    # (core/clients.py) before anything reads it.
    "core.clients.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.page_cache.SiteFromMemoryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "members.security.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so it sees every failed login the views above report.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL, defaulting to a SQLite file in the project.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# --- Database password (ops) ---
# A password given on its own, outside DATABASE_URL, needs no URL encoding: "@", "/", ":"
# and "%" work as they are (compose passes POSTGRES_PASSWORD this way).
if env("DATABASE_PASSWORD"):
    DATABASES["default"]["PASSWORD"] = env("DATABASE_PASSWORD")
# --- end database password ---
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside a writer; IMMEDIATE transactions take the write lock up
    # front and the busy timeout makes a second writer wait instead of failing with
    # "database is locked". https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes
    # Connections are kept between requests like PostgreSQL's: opening one (and setting
    # its pragmas) was a fifth of a logged-in page's time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account before any password is checked.
    "axes.backends.AxesBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Accounts (django-allauth): the e-mail address is the login, and it must be confirmed.
LOGIN_URL = "account_login"
# Login-restricted pages send visitors to the members' login, not Wagtail's admin one.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "member_profile"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupDetailsForm"
# Sign-up hashes a password whether or not the address has an account, so its time tells
# nothing (members/forms/signup.py).
ACCOUNT_FORMS = {"signup": "members.forms.signup.MemberSignupForm"}
# Sign-up answers go through members.services (members/adapters.py).
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Per-address limits are the second signal beside the per-account lockout (axes): high
# enough that colleagues behind one address are not shut out by one person's typos.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "30/5m/ip",
    "signup": "10/h/ip",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# Single sign-on: portal/settings/sso.py.
from portal.settings.sso import *  # noqa: E402, F403

# Brute force (django-axes): five failed logins lock that account for fifteen minutes,
# whatever address they come from; other accounts behind the same address are unaffected.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "members.security.login_identifier"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

SILENCED_SYSTEM_CHECKS = [
    # axes asks for an IP-keyed lockout; that would lock out everyone behind one address
    # (a library's network, a conference's wi-fi). The per-address signal is allauth's
    # login_failed rate limit above instead.
    "axes.W006",
]

# Confidential notes and the sign-on's stored tokens are encrypted under keys of their own,
# never derived from SECRET_KEY: comma-separated Fernet keys, newest first (core/crypto.py).
NOTES_ENCRYPTION_KEYS = env_list("NOTES_ENCRYPTION_KEYS")

# A member's session ends after this many idle minutes; a request renews it, at most once
# a minute (members.security.IdleSessionMiddleware).
SESSION_IDLE_MINUTES = int(env("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The program's own time zone: every cohort date opens and closes in it.
TIME_ZONE = env("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
# portal/static is found as the portal app's own static folder, like every app's.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed file names never change, so whitenoise serves those for ten years; this is the
# lifetime of the few files referenced without a hash.
WHITENOISE_MAX_AGE = 3600

# Wagtail's page editor posts many fields for long StreamFields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", "Mentoring Program")
# --- Public address (ops) ---
# Scheme, host and port of the public site: every link in an e-mail starts with it (never
# the Wagtail Site record), and bootstrap_site gives the default site its host and port.
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
# --- end public address ---
# Search stems English words ("mentor" finds "mentors"): on PostgreSQL through its "english"
# text search configuration; on SQLite through the porter tokenizer of the full-text table
# (home/migrations/0007_search_stemming.py), as the SQLite backend has no setting for it.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Admin avatars are Wagtail's default picture or one the user uploads, never gravatar.com's:
# the admin's Content-Security-Policy allows images from the portal only, and no admin page
# tells a third party who is looking at it.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# One login door: the admin's login address sends everyone to the members' login (allauth,
# portal/admin_overrides.py), so its lockout (axes), rate limits and confirmed-address rule
# hold for administrators too. Wagtail's own password reset, and changing one's password or
# e-mail address on the admin's account page, are off: the members' account pages do both,
# with their rate limits, confirmation and notification e-mails.
# https://docs.wagtail.org/en/stable/reference/settings.html#wagtail-password-management-enabled
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# E-mail: SMTP when EMAIL_HOST is set, otherwise printed to the console (development only:
# production.py refuses to start without EMAIL_HOST).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Mentoring Program <mentoring@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Cache: Redis when REDIS_URL is set (shared by every web and worker process), otherwise
# in-process. The task broker is always the ORM broker on the portal's own database: a
# worker takes a task with a conditional UPDATE of its lock, so several workers on several
# machines never take the same one, and a task is queued in the same transaction as the
# rows it concerns.
REDIS_URL = env("REDIS_URL")
# "default" holds what every process must share: the rate limits' counters (allauth, the
# portal's own), and Wagtail's site paths. Redis when set; otherwise a table in the portal's
# database (core/cache.py; `manage.py createcachetable` makes it), never a per-process
# cache, which gave each gunicorn worker counters of its own. "memory" holds what a process
# may keep to itself until content changes (core/page_cache.py's parts of pages, the task
# cluster's status): Redis when set, else this process's memory, as reading it costs no query.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    CACHES["memory"] = CACHES["default"]
else:
    CACHES = {
        # The table core.cache.CACHE_TABLE, which a migration makes.
        "default": {"BACKEND": "core.cache.SharedDatabaseCache", "LOCATION": "portal_cache"},
        "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
# Public pages rendered for visitors who are not logged in (core/page_cache.py). Every
# process must see the same entries, so that publishing a page reaches them all at once:
# Redis when set, otherwise a directory on this machine that all its processes share, one
# per database (two sites on one machine never see each other's pages).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300"))
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
else:
    _database = DATABASES["default"]
    _site_id = f"{_database['HOST']}:{_database['PORT']}/{_database['NAME']}"
    CACHES["pages"] = {
        # Django's file-based cache; what a process reads is kept in its memory until the
        # file changes (core/cache.py).
        "BACKEND": "core.cache.FileCacheReadInMemory",
        "LOCATION": str(
            Path(tempfile.gettempdir())
            / f"portal-pages-{hashlib.sha256(_site_id.encode()).hexdigest()[:16]}"
        ),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

Q_CLUSTER = {
    "name": "portal",
    "workers": int(env("Q_WORKERS", "2")),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    # A missed schedule is not replayed in a burst after an outage; the periodic
    # dispatch task sends whatever is due instead.
    "catch_up": False,
    "save_limit": 500,
    # Kept per task function: the worker's heartbeat, every minute, never pushes the
    # other tasks' results out (portal/health.py reads the last heartbeat).
    "save_limit_per": "func",
    "label": "Tasks",
    "orm": "default",
    # The cluster's status, written every half second: kept out of the database.
    "cache": "memory",
}
# Dated reminders (deadlines, check-ins, surveys) go out from this hour of the day, in
# TIME_ZONE; the dispatcher that sends them runs every five minutes (setup_schedules).
REMINDERS_SEND_HOUR = int(env("REMINDERS_SEND_HOUR", "8"))
# /healthz reports unhealthy when a task has waited longer than this many seconds.
HEALTH_QUEUE_MAX_AGE = int(env("HEALTH_QUEUE_MAX_AGE", "600"))
# Whole years a closed cohort's personal data is kept before the daily task erases it,
# keeping only anonymous figures (cohorts/reports/selectors/retention.py). At least one.
RETENTION_YEARS = env_count("RETENTION_YEARS", "3", "years")
# Whole days a message sent through the contact form is kept before the same daily task
# erases it (home/services.py). At least one.
CONTACT_MESSAGE_RETENTION_DAYS = env_count("CONTACT_MESSAGE_RETENTION_DAYS", "365", "days")
# A pair under way with no contact logged for this many weeks shows under "Needs attention"
# (cohorts/reports/selectors/attention.py).
NO_CONTACT_WEEKS = int(env("NO_CONTACT_WEEKS", "6"))

# ---- Client addresses and rate limits (README: Security → Limits) -------------------------
# The proxy in front (FORWARDED_ALLOW_IPS, the same variable gunicorn reads) names the real
# client in X-Forwarded-For; TRUSTED_PROXY_COUNT is how many proxies of the site's own append
# to it (1 behind the bundled Caddy; 0 when clients reach the portal directly). Every limit
# that counts by address takes it from core/clients.py.
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "core.clients.client_ip"
# django-ratelimit counts in the shared "default" cache. It is used as a library, not an
# installed app: its system check knows neither core.cache.SharedDatabaseCache nor Django's
# own RedisCache, both of which count atomically.
RATELIMIT_IP_META_KEY = "core.clients.client_ip"
RATELIMIT_USE_CACHE = "default"
# Messages one client address may send through the contact form in an hour.
CONTACT_MESSAGES_PER_HOUR = int(env("CONTACT_MESSAGES_PER_HOUR", "5"))
# Contact messages e-mailed to the chair one by one in an hour, from everyone together; the
# rest wait, stored, for the hourly digest (home/tasks.py).
CONTACT_EMAILS_PER_HOUR = int(env("CONTACT_EMAILS_PER_HOUR", "20"))
# Characters a contact message (a multi-line answer of the contact form) may hold.
CONTACT_MESSAGE_MAX_LENGTH = int(env("CONTACT_MESSAGE_MAX_LENGTH", "5000"))
# Calls for help, and requests for a change of partner, one member may send in a day.
HELP_REQUESTS_PER_DAY = int(env("HELP_REQUESTS_PER_DAY", "3"))
CHANGE_REQUESTS_PER_DAY = int(env("CHANGE_REQUESTS_PER_DAY", "3"))

# Security: HTTPS only, secure cookies, HSTS. dev.py relaxes these for http://127.0.0.1.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer checks health over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/web)?$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from the
# portal itself, never inline script; no page may be framed. Style attributes stay allowed
# (style-src-attr) for the responsive wrapper of embedded videos. The admin's policy is in
# portal/middleware.py. https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Error reports show no local variables and no POST values: a frame may hold a note's text.
DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.reporting.PrivateExceptionReporterFilter"

# --- Backups (ops) ---
# The daily backup (setup_schedules) and `manage.py backup` without --output write here,
# and the newest BACKUP_KEEP archives are kept (0: no daily backup). With age public keys
# in BACKUP_AGE_RECIPIENTS every archive is encrypted to them (portal/backup/).
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "backups")))
_backup_keep = (env("BACKUP_KEEP", "7") or "").strip()
if not _backup_keep.isdigit():
    raise ImproperlyConfigured(
        f"BACKUP_KEEP must be a whole number of archives, 0 or more (it is {_backup_keep!r})."
    )
BACKUP_KEEP = int(_backup_keep)
BACKUP_AGE_RECIPIENTS = env_list("BACKUP_AGE_RECIPIENTS")
# --- end backups ---

# --- Logs and error reports (ops) ---
# One line per event on standard error, times in UTC: plain text, or with LOG_FORMAT=json
# one JSON object per line for a log collector (portal/log_format.py).
LOG_FORMAT = (env("LOG_FORMAT", "plain") or "plain").strip().lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json (it is {LOG_FORMAT!r}).")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "portal.log_format.UtcFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "portal.log_format.JsonFormatter"},
    },
    # Addresses in log lines ("Not Found: /...") lose the tokens of e-mailed links.
    "filters": {"secrets": {"()": "portal.log_redaction.SecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Who receives Django's error e-mails (a server error, with the report of
# DEFAULT_EXCEPTION_REPORTER_FILTER): "Name <address>, address, ...".
ADMINS = env_addresses("ADMINS")

# Errors go to Sentry when SENTRY_DSN is set, with no personal data and no note text in any
# event (portal/error_reporting.py).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from portal.error_reporting import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", "production"))
# --- end logs and error reports ---


def require(name: str, value: object) -> None:
    """Fail at start-up, not on the first request, when a required setting is missing."""
    if not value:
        raise ImproperlyConfigured(f"Set {name} in the environment (see .env.example).")

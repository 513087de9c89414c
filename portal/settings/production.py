"""Production: base.py is already the secure configuration; this only insists on its inputs."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import (
    ALLOWED_HOSTS,
    EMAIL_HOST,
    NOTES_ENCRYPTION_KEYS,
    SECRET_KEY,
    SILENCED_SYSTEM_CHECKS,
    require,
)

require("SECRET_KEY", SECRET_KEY)
require("ALLOWED_HOSTS", ALLOWED_HOSTS)
require("NOTES_ENCRYPTION_KEYS", NOTES_ENCRYPTION_KEYS)
# Without an SMTP server base.py writes whole e-mails to the console, password-reset and
# confirmation links included, where anyone reading the logs could use them; and no member,
# superusers included, could confirm an address to log in. Production needs a real one.
require("EMAIL_HOST", EMAIL_HOST)

# HSTS preloading is a one-way commitment for the whole domain (hstspreload.org), so it
# stays an explicit opt-in through SECURE_HSTS_PRELOAD; `check --deploy` need not nag.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

"""Production: base.py is already the secure configuration; this only insists on its inputs."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, require

require("SECRET_KEY", SECRET_KEY)
require("ALLOWED_HOSTS", ALLOWED_HOSTS)

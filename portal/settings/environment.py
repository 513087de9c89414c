"""Reading the settings from the environment: a variable, or a file that NAME_FILE names."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str | None = None) -> str | None:
    """Return an environment variable, treating an empty value as unset. NAME_FILE may name
    a file holding the value instead (compose's secrets under /run/secrets)."""
    value = os.environ.get(name, "")
    if os.environ.get(f"{name}_FILE"):
        value = _env_file(name, value)
    return value if value != "" else default


# --- Secrets from files (ops) ---
def _env_file(name: str, value: str) -> str:
    """The content of the file NAME_FILE names, without its final line break (as the
    postgres image reads POSTGRES_PASSWORD_FILE, so both can share one file)."""
    if value != "":
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    path = os.environ[f"{name}_FILE"]
    try:
        content = Path(path).read_text()
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name}_FILE names {path}, which cannot be read ({error.strerror})."
        ) from None
    return content.removesuffix("\n").removesuffix("\r")


# --- end secrets from files ---


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_count(name: str, default: str, unit: str) -> int:
    """A whole number of `unit` (years, days), 1 or more; anything else stops the portal."""
    value = (env(name, default) or "").strip()
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of {unit}, 1 or more (it is {value!r})."
        )
    return int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_addresses(name: str) -> list[tuple[str, str]]:
    """E-mail addresses, comma-separated, each bare or as "Name <address>", as (name, address)
    pairs; a bare address is its own name."""
    from email.utils import getaddresses

    pairs = getaddresses([env(name, "") or ""])
    return [(real or address, address) for real, address in pairs if "@" in address]

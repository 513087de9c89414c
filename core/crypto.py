"""Encryption at rest under NOTES_ENCRYPTION_KEYS: MultiFernet, keys of their own.

NOTES_ENCRYPTION_KEYS is a comma-separated list of Fernet keys, newest first: values are
written under the first and read under any. Confidential notes (cohorts/pairs/crypto.py)
and the sign-on's stored tokens (members/sso/tokens.py) are encrypted this way, and
``rotate_note_keys`` re-encrypts both under the newest key. A missing or malformed key
raises NotesKeyError; a value no key opens raises ``cryptography.fernet.InvalidToken``,
which each caller turns into its own loud error.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

KEYS_MISSING = (
    "NOTES_ENCRYPTION_KEYS is not set: confidential notes and sign-on tokens cannot be read "
    "or written. Generate a key with `python manage.py rotate_note_keys --generate` and set "
    "it in the environment."
)
KEY_MALFORMED = "NOTES_ENCRYPTION_KEYS holds a value that is not a Fernet key (key {position})."


class NotesKeyError(RuntimeError):
    """The keys are missing or wrong: a loud error, never ciphertext shown as text."""


def _keys() -> tuple[str, ...]:
    return tuple(settings.NOTES_ENCRYPTION_KEYS)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise NotesKeyError(KEYS_MISSING)
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError) as error:
            raise NotesKeyError(KEY_MALFORMED.format(position=position)) from error
    return MultiFernet(fernets)


@sensitive_variables()
def value_encrypt(data: bytes) -> bytes:
    """``data`` encrypted under the newest key."""
    return _fernet(_keys()).encrypt(data)


@sensitive_variables()
def value_decrypt(ciphertext: bytes) -> bytes:
    """The plain value; InvalidToken when no key opens it."""
    return _fernet(_keys()).decrypt(bytes(ciphertext))


def value_rotate(ciphertext: bytes) -> bytes:
    """The same value, encrypted under the newest key; InvalidToken when no key opens it."""
    return _fernet(_keys()).rotate(bytes(ciphertext))


def key_generate() -> str:
    return Fernet.generate_key().decode("ascii")

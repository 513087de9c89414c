"""Encryption of confidential notes with MultiFernet under keys of their own.

NOTES_ENCRYPTION_KEYS is a comma-separated list of Fernet keys, newest first: notes are
written under the first and read under any. A missing or malformed key, or a note that no
key opens, raises NotesKeyError: the portal never shows ciphertext as text.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

KEYS_MISSING = (
    "NOTES_ENCRYPTION_KEYS is not set: confidential notes cannot be read or written. Generate "
    "a key with `python manage.py rotate_note_keys --generate` and set it in the environment."
)
KEY_MALFORMED = "NOTES_ENCRYPTION_KEYS holds a value that is not a Fernet key (key {position})."
NOTE_UNREADABLE = (
    "Confidential note {pk} cannot be decrypted with any key in NOTES_ENCRYPTION_KEYS: "
    "a key is missing or wrong."
)


class NotesKeyError(RuntimeError):
    """The note keys are missing or wrong: a loud error, never ciphertext shown as text."""


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
def note_encrypt(text: str) -> bytes:
    return _fernet(_keys()).encrypt(text.encode("utf-8"))


@sensitive_variables()
def note_decrypt(ciphertext: bytes, *, pk: int | None = None) -> str:
    try:
        return _fernet(_keys()).decrypt(bytes(ciphertext)).decode("utf-8")
    except InvalidToken as error:
        raise NotesKeyError(NOTE_UNREADABLE.format(pk=pk)) from error


def note_rotate(ciphertext: bytes, *, pk: int | None = None) -> bytes:
    """The same text, encrypted under the newest key."""
    try:
        return _fernet(_keys()).rotate(bytes(ciphertext))
    except InvalidToken as error:
        raise NotesKeyError(NOTE_UNREADABLE.format(pk=pk)) from error


def note_key_generate() -> str:
    return Fernet.generate_key().decode("ascii")

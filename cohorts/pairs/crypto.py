"""Encryption of confidential notes under NOTES_ENCRYPTION_KEYS (core/crypto.py).

A note that no key opens raises NotesKeyError: the portal never shows ciphertext as text.
"""

from cryptography.fernet import InvalidToken
from django.views.decorators.debug import sensitive_variables

from core.crypto import (
    KEY_MALFORMED,
    KEYS_MISSING,
    NotesKeyError,
    key_generate,
    value_decrypt,
    value_encrypt,
    value_rotate,
)

__all__ = ["KEYS_MISSING", "KEY_MALFORMED", "NOTE_UNREADABLE", "NotesKeyError"]
__all__ += ["note_decrypt", "note_encrypt", "note_key_generate", "note_rotate"]

NOTE_UNREADABLE = (
    "Confidential note {pk} cannot be decrypted with any key in NOTES_ENCRYPTION_KEYS: "
    "a key is missing or wrong."
)


@sensitive_variables()
def note_encrypt(text: str) -> bytes:
    return value_encrypt(text.encode("utf-8"))


@sensitive_variables()
def note_decrypt(ciphertext: bytes, *, pk: int | None = None) -> str:
    try:
        return value_decrypt(ciphertext).decode("utf-8")
    except InvalidToken as error:
        raise NotesKeyError(NOTE_UNREADABLE.format(pk=pk)) from error


def note_rotate(ciphertext: bytes, *, pk: int | None = None) -> bytes:
    """The same text, encrypted under the newest key."""
    try:
        return value_rotate(ciphertext)
    except InvalidToken as error:
        raise NotesKeyError(NOTE_UNREADABLE.format(pk=pk)) from error


def note_key_generate() -> str:
    return key_generate()

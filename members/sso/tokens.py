"""The sign-on's tokens at rest: encrypted under NOTES_ENCRYPTION_KEYS (core/crypto.py).

allauth keeps each member's access and refresh tokens in ``SocialToken`` (for the daily
membership refresh, members/sso/tasks.py). The columns hold ``fernet:`` and a Fernet token,
never the token itself, so the database and its backups give nobody a way in to the
association's sign-on. allauth writes the rows in several places (a first login, each later
login, the refresh), and offers no hook for it, so ``SocialToken``'s ``pre_save`` signal
seals the values (members/signals.py); only the refresh task opens them.
https://docs.djangoproject.com/en/5.2/ref/signals/#pre-save
"""

from cryptography.fernet import InvalidToken
from django.views.decorators.debug import sensitive_variables

from core.crypto import NotesKeyError, value_decrypt, value_encrypt, value_rotate

SEALED = "fernet:"
SEALED_VALUE_UNREADABLE = (
    "A stored sign-on token cannot be decrypted with any key in NOTES_ENCRYPTION_KEYS: a key "
    "is missing or wrong."
)


def token_is_sealed(value: str) -> bool:
    return value.startswith(SEALED)


@sensitive_variables()
def token_seal(value: str) -> str:
    """The value as stored: encrypted under the newest key; an empty or already sealed
    value is left as it is, so sealing twice changes nothing."""
    if not value or token_is_sealed(value):
        return value
    return SEALED + value_encrypt(value.encode("utf-8")).decode("ascii")


@sensitive_variables()
def token_open(value: str) -> str:
    """The token itself; NotesKeyError when no key opens it. A value stored before tokens
    were encrypted is returned as it is."""
    if not token_is_sealed(value):
        return value
    try:
        return value_decrypt(value.removeprefix(SEALED).encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise NotesKeyError(SEALED_VALUE_UNREADABLE) from error


def token_reseal(value: str) -> str:
    """The value sealed under the newest key (sealed for the first time if it was not)."""
    if not token_is_sealed(value):
        return token_seal(value)
    try:
        return SEALED + value_rotate(value.removeprefix(SEALED).encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise NotesKeyError(SEALED_VALUE_UNREADABLE) from error

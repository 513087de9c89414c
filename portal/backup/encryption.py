"""Backups encrypted to public keys, in the age format (https://age-encryption.org, through
the ``pyrage`` package), so that a stolen backup reveals nothing: not the database, not the
media, not even which tables it holds.

The server holds only the public keys (BACKUP_AGE_RECIPIENTS, ``age1…``); the private key
(``AGE-SECRET-KEY-1…``) stays elsewhere and is brought to a restore (``--identity FILE``).
An encrypted archive is ``portal-backup-<UTC time>.tar.gz.age``: the ordinary archive,
encrypted whole. The ``age`` command-line tool opens it too:
``age -d -i key.txt ARCHIVE.tar.gz.age > ARCHIVE.tar.gz``.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from portal.backup.archive import BackupError

AGE_HEADER = b"age-encryption.org/v1\n"
ENCRYPTED_SUFFIX = ".age"
IDENTITY_LINE_PREFIX = "AGE-SECRET-KEY-1"

BAD_RECIPIENT = "BACKUP_AGE_RECIPIENTS holds {value!r}, which is not an age public key (age1…)."
NEEDS_IDENTITY = (
    "{path} is encrypted: give the private key that matches BACKUP_AGE_RECIPIENTS with "
    "--identity FILE. Nothing was changed."
)
NO_IDENTITY = "{path} holds no age private key (a line AGE-SECRET-KEY-1…). Nothing was changed."
UNREADABLE_IDENTITY = "The key file {path} cannot be read ({error}). Nothing was changed."
WRONG_IDENTITY = (
    "{path} cannot be decrypted with the key in {identity}: it was encrypted to another key, "
    "or it is damaged. Nothing was changed."
)
ENCRYPT_FAILED = "The backup could not be encrypted ({error}); no archive was left behind."


def age_recipients(values: list[str]) -> list:
    """The age public keys of `values`; a value that is not one stops the backup."""
    from pyrage import RecipientError, x25519

    recipients = []
    for value in values:
        try:
            recipients.append(x25519.Recipient.from_str(value.strip()))
        except (RecipientError, ValueError) as error:
            raise BackupError(BAD_RECIPIENT.format(value=value)) from error
    return recipients


def archive_encrypted(path: Path) -> bool:
    """Whether the file at `path` is in the age format (read from its first line)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(len(AGE_HEADER)) == AGE_HEADER
    except OSError:
        return False


def archive_encrypt(*, plain: Path, target: Path, recipients: list) -> None:
    """Encrypt `plain` to `recipients` into `target`, written under a temporary name next to
    it and renamed when complete; readable by its owner only."""
    import pyrage

    descriptor, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(descriptor)
    try:
        pyrage.encrypt_file(str(plain), partial, recipients)
        os.chmod(partial, 0o600)
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    except (pyrage.EncryptError, OSError) as error:
        Path(partial).unlink(missing_ok=True)
        raise BackupError(ENCRYPT_FAILED.format(error=error)) from error
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def age_identities_read(path: Path) -> list:
    """The age private keys in the key file at `path` (as ``age-keygen`` writes it:
    comments and one ``AGE-SECRET-KEY-1…`` line per key)."""
    from pyrage import IdentityError, x25519

    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(UNREADABLE_IDENTITY.format(path=path, error=error)) from error
    identities = []
    for line in lines:
        if line.strip().startswith(IDENTITY_LINE_PREFIX):
            try:
                identities.append(x25519.Identity.from_str(line.strip()))
            except (IdentityError, ValueError):
                continue
    if not identities:
        raise BackupError(NO_IDENTITY.format(path=path))
    return identities


@contextmanager
def archive_decrypted(*, archive: Path, identity: Path | None) -> Iterator[Path]:
    """The archive to read: `archive` itself, or when it is encrypted, a decrypted copy in
    a private temporary folder (removed afterwards) made with the key file `identity`."""
    if not archive_encrypted(archive):
        yield archive
        return
    if identity is None:
        raise BackupError(NEEDS_IDENTITY.format(path=archive))
    import pyrage

    identities = age_identities_read(identity)
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as folder:
        plain = Path(folder) / archive.name.removesuffix(ENCRYPTED_SUFFIX)
        try:
            pyrage.decrypt_file(str(archive), str(plain), identities)
        except (pyrage.DecryptError, OSError) as error:
            raise BackupError(WRONG_IDENTITY.format(path=archive, identity=identity)) from error
        yield plain

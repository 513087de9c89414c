from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup of the database (a consistent snapshot, taken while the site runs) "
        "and the media files to one .tar.gz archive. It holds no keys: keep SECRET_KEY and "
        "NOTES_ENCRYPTION_KEYS apart from it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="The archive to write, or a folder for it; by default "
            "portal-backup-<UTC time>.tar.gz in BACKUP_DIR (.tar.gz.age, encrypted, when "
            "BACKUP_AGE_RECIPIENTS is set).",
        )

    def handle(self, *args, output=None, **options):
        try:
            summary = backup_create(destination=output, recipients=settings.BACKUP_AGE_RECIPIENTS)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {summary.rows} rows in {summary.tables} tables and "
                f"{summary.media_files} media file{pluralize(summary.media_files)} to "
                f"{summary.path}"
            )
        )
        self.stdout.write(
            "The archive holds no keys. Keep NOTES_ENCRYPTION_KEYS and SECRET_KEY apart from "
            "it: without the notes keys, restored confidential notes cannot be read."
        )
        if settings.BACKUP_AGE_RECIPIENTS:
            self.stdout.write(
                "It is encrypted to BACKUP_AGE_RECIPIENTS: restoring it needs a matching "
                "private key (restore ARCHIVE --identity KEYFILE)."
            )

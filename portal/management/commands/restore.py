import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from portal.backup import VENDOR_NAMES, BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the media files with a backup written by `manage.py "
        "backup`. Stop the web and worker processes first. When the database or MEDIA_ROOT "
        "already hold something, it asks first (or needs --yes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", type=Path, help="A .tar.gz (or .tar.gz.age) written by manage.py backup."
        )
        parser.add_argument(
            "--identity",
            "-i",
            type=Path,
            help="The age private key file (AGE-SECRET-KEY-1…) that opens an encrypted archive.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace what the database and MEDIA_ROOT hold without asking.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Never ask: refuse instead, unless --yes is given.",
        )

    def handle(self, *args, archive, identity=None, yes=False, interactive=True, **options):
        if yes:
            confirm = _replace_without_asking
        elif interactive and sys.stdin.isatty():
            confirm = self._ask
        else:
            confirm = None
        try:
            summary = backup_restore(archive=archive, confirm=confirm, identity=identity)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.rows} rows in {summary.tables} tables and "
                f"{summary.media_files} media file{pluralize(summary.media_files)} from "
                f"{summary.path} (a {VENDOR_NAMES[summary.vendor]} backup taken "
                f"{summary.created_at})."
            )
        )
        if summary.pending_migrations:
            self.stdout.write(
                f"The backup predates {summary.pending_migrations} migrations of this "
                "release: run `python manage.py migrate` before starting the site."
            )

    def _ask(self, existing: str) -> bool:
        self.stdout.write(f"Restoring replaces what the portal holds now: {existing}.")
        return input("Type 'yes' to replace it with the backup: ").strip().lower() == "yes"


def _replace_without_asking(existing: str) -> bool:
    return True

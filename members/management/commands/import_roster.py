"""`manage.py import_roster FILE`: preview a roster CSV, then apply it once confirmed."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.services.roster import (
    FILE_TOO_LARGE,
    MAX_FILE_BYTES,
    RosterImportError,
    roster_csv_decode,
    roster_import_apply,
    roster_import_preview,
)

ADDITIVE_NOTE = "Entries not in the file are kept: the roster is additive."
NOTHING_WRITTEN = "Nothing was written."
NOT_INTERACTIVE = "Input is not interactive; run again with --yes to apply. Nothing was written."
NOTHING_TO_IMPORT = "Nothing to import: every valid row already matches the roster."


class Command(BaseCommand):
    help = (
        "Import the membership roster from a CSV file. Shows what would be added, updated "
        "and rejected, then asks before writing anything."
    )
    # Tests (and callers) may pass stdin=; Django's createsuperuser does the same.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The roster CSV file.")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--yes", action="store_true", help="Apply without asking.")
        mode.add_argument("--dry-run", action="store_true", help="Only preview; write nothing.")

    def handle(self, *args, file, yes=False, dry_run=False, **options):
        preview = self.preview(Path(file))
        self.show(preview, verbosity=options["verbosity"])
        if dry_run:
            self.stdout.write(f"Dry run. {NOTHING_WRITTEN}")
            return
        if not preview.has_changes:
            self.stdout.write(NOTHING_TO_IMPORT)
            return
        if not yes and not self.confirmed(options.get("stdin", sys.stdin)):
            return
        result = roster_import_apply(preview=preview)
        self.stdout.write(self.style.SUCCESS(result.summary))

    def preview(self, path: Path):
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise RosterImportError(FILE_TOO_LARGE.format(limit_mb=MAX_FILE_BYTES // 1024**2))
            return roster_import_preview(text=roster_csv_decode(data=path.read_bytes()))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except RosterImportError as error:
            raise CommandError(str(error)) from error

    def show(self, preview, *, verbosity: int) -> None:
        self.stdout.write(
            f"{len(preview.to_add)} to add, {len(preview.to_update)} to update, "
            f"{preview.unchanged} unchanged, {len(preview.rejected)} rejected."
        )
        if preview.ignored_columns:
            self.stdout.write(f"Ignored columns: {', '.join(preview.ignored_columns)}")
        for row in preview.rejected:
            self.stdout.write(self.style.WARNING(f"Line {row.line}: {row.reason}"))
        if verbosity >= 2:
            for row in preview.to_add:
                self.stdout.write(f"Line {row.line}: add {row.member_number} {row.email}")
            for update in preview.to_update:
                changes = "; ".join(f"{c.label} {c.old} -> {c.new}" for c in update.changes)
                self.stdout.write(
                    f"Line {update.row.line}: update {update.row.member_number}: {changes}"
                )
        self.stdout.write(ADDITIVE_NOTE)

    def confirmed(self, stdin) -> bool:
        if not stdin.isatty():
            self.stdout.write(NOT_INTERACTIVE)
            return False
        self.stdout.write("Apply these changes? [y/N] ", ending="")
        self.stdout.flush()
        if stdin.readline().strip().lower() in ("y", "yes"):
            return True
        self.stdout.write(NOTHING_WRITTEN)
        return False

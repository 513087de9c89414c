from django.core.management.base import BaseCommand, CommandError

from cohorts.pairs.crypto import NotesKeyError, note_key_generate
from cohorts.pairs.services.notes import notes_rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every confidential note under the newest key of NOTES_ENCRYPTION_KEYS "
        "(the first). Put a new key first, keep the old ones after it, run this, then the "
        "old keys may go. --generate prints a new key instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate", action="store_true", help="Print a new key and change nothing."
        )

    def handle(self, *args, generate=False, **options):
        if generate:
            self.stdout.write(note_key_generate())
            return
        try:
            count = notes_rotate_keys()
        except NotesKeyError as error:
            raise CommandError(f"{error} Nothing was re-encrypted.") from error
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} notes under the newest key."))

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cohorts.pairs.crypto import NotesKeyError, note_key_generate
from cohorts.pairs.services.notes import notes_rotate_keys
from members.services.sso import sso_tokens_rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every confidential note and every stored sign-on token under the newest "
        "key of NOTES_ENCRYPTION_KEYS (the first). Put a new key first, keep the old ones "
        "after it, run this, then the old keys may go. --generate prints a new key instead."
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
            with transaction.atomic():
                notes, tokens = notes_rotate_keys(), sso_tokens_rotate_keys()
        except NotesKeyError as error:
            raise CommandError(f"{error} Nothing was re-encrypted.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {notes} notes and {tokens} sign-on tokens under the newest key."
            )
        )

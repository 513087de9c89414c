"""Confidential notes: the program's most sensitive data.

A note is a plain Django model on purpose: never a Page, snippet or revisioned object (those
copy text into revisions, the search index and the reference index), registered in no
admin, with no search fields. Its text is stored only as ciphertext, encrypted with
MultiFernet under NOTES_ENCRYPTION_KEYS (core.crypto), never derived from
SECRET_KEY. Who may read a note is decided in one place: cohorts.pairs.selectors.pairs.
"""

from django.conf import settings
from django.db import models

NOTE_MAX_LENGTH = 5000


class ConfidentialNote(models.Model):
    """A participant's note on one of their pairs; private to its author unless shared."""

    # Wagtail's reference index must never read this model.
    wagtail_reference_index_ignore = True

    pair = models.ForeignKey("cohorts.Pair", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    ciphertext = models.BinaryField(editable=False)
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "confidential note"
        ordering = ["-created_at", "-pk"]
        default_permissions = ()

    def __str__(self):
        # Never the text: this string may reach a log or an error report.
        return f"Note {self.pk}"

    def __repr__(self):
        return f"<ConfidentialNote {self.pk}>"

"""What the portal keeps about its own set-up."""

from django.db import models


class StructureRecord(models.Model):
    """One page of the portal's own structure (portal/content/structure.json, by the slug it
    has there) that ``bootstrap_site`` created, or found already there.

    A key with a record is never created again: a standard page that an editor renamed,
    moved or deleted stays that way, and only pages added by a later release of the portal
    are added to a site that already runs it."""

    key = models.SlugField(max_length=255, unique=True)
    # The page as created; empty once it is deleted.
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "standard page created by the portal"
        verbose_name_plural = "standard pages created by the portal"
        ordering = ["key"]

    def __str__(self):
        return self.key

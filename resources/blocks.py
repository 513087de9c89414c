"""Blocks for resource pages: the shared page blocks plus documents and outside links."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from home.blocks import BaseStreamBlock


class DocumentBlock(blocks.StructBlock):
    """A downloadable document from Wagtail's document library."""

    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, max_length=160, help_text="Defaults to its title.")
    description = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        description = "A document readers can download (PDF, Word, spreadsheet)."


class ExternalLinkBlock(blocks.StructBlock):
    """A link to a page on another site, with a line saying why it is useful."""

    title = blocks.CharBlock(max_length=160)
    url = blocks.URLBlock()
    description = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "link-external"
        template = "blocks/external_link_block.html"
        description = "A link to another website."
        preview_value = {
            "title": "Mentoring guide",
            "url": "https://example.org/guide",
            "description": "Practical advice for the first meeting.",
        }


class ResourceStreamBlock(BaseStreamBlock):
    document = DocumentBlock()
    external_link = ExternalLinkBlock()

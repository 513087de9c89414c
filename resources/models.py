from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.page_cache import ViewRestrictionsFromMemory
from home.blocks import BaseStreamBlock
from home.models import INTRO_HELP
from resources.blocks import ResourceStreamBlock

RESOURCE_DOCUMENT_REQUIRED = "Choose the document this resource offers."
RESOURCE_LINK_REQUIRED = "Enter the address this resource links to."
IMAGE_ALT_REQUIRED = "Describe the image for people who cannot see it."
NEWS_PER_PAGE = 10


class ResourceTopic(models.Model):
    """A subject readers filter resources by (e.g. "first meetings", "career planning")."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = "resource topic"

    def __str__(self):
        return self.name

    def clean(self):
        self.slug = self.slug or slugify(self.name)


class ResourceKind(models.TextChoices):
    GUIDE = "guide", "Guide"
    TEMPLATE = "template", "Template"
    DOCUMENT = "document", "Document"
    LINK = "link", "External link"


class PageImage(models.Model):
    """An optional picture at the top of the page, in lists and when the page is shared;
    its description (the alt text) is required with it."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown at the top of the page, in lists and when the page is shared.",
    )
    image_alt = models.CharField(
        "image description",
        max_length=250,
        blank=True,
        help_text="What the image shows, for people who cannot see it (its alt text).",
    )

    image_panel = MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading="Image")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": IMAGE_ALT_REQUIRED})


class ResourceIndexPage(ViewRestrictionsFromMemory, Page):
    """Lists the resources for mentors and mentees, filterable by topic; public, one per site."""

    intro = models.TextField(blank=True, max_length=600, help_text=INTRO_HELP)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count = 1

    class Meta:
        verbose_name = "resource index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        resources = (
            ResourcePage.objects.child_of(self)
            .live()
            .public()
            .select_related("image")
            .prefetch_related("topics", "image__renditions")
            .order_by("title")
        )
        topics = ResourceTopic.objects.filter(resource_pages__in=resources).distinct()
        selected = topics.filter(slug=request.GET.get("topic", "")).first()
        if selected:
            resources = resources.filter(topics=selected)
        context.update(resources=resources, topics=topics, selected_topic=selected)
        return context


class ResourcePage(ViewRestrictionsFromMemory, Page, PageImage):
    """One resource (guide, template, document or outside link) under the resource index."""

    intro = models.TextField(blank=True, max_length=600, help_text=INTRO_HELP)
    kind = models.CharField(
        max_length=20, choices=ResourceKind.choices, default=ResourceKind.GUIDE
    )
    topics = ParentalManyToManyField(ResourceTopic, blank=True, related_name="resource_pages")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a document or template: the file to download.",
    )
    external_url = models.URLField(blank=True, help_text="For an external link: its address.")
    body = StreamField(ResourceStreamBlock(), blank=True, use_json_field=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("document"),
                FieldPanel("external_url"),
            ],
            heading="Resource",
        ),
        PageImage.image_panel,
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "resource page"

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.kind == ResourceKind.DOCUMENT and not self.document_id:
            raise ValidationError({"document": RESOURCE_DOCUMENT_REQUIRED})
        if self.kind == ResourceKind.LINK and not self.external_url:
            raise ValidationError({"external_url": RESOURCE_LINK_REQUIRED})


class NewsIndexPage(ViewRestrictionsFromMemory, Page):
    """Announcements, newest first, ten to a page; public, one per site."""

    intro = models.TextField(blank=True, max_length=600, help_text=INTRO_HELP)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["resources.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = "news index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = (
            NewsPage.objects.child_of(self)
            .live()
            .public()
            .select_related("image")
            .prefetch_related("image__renditions")
            .order_by("-date", "-pk")
        )
        context["news_page"] = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("page"))
        return context


class NewsPage(ViewRestrictionsFromMemory, Page, PageImage):
    """One announcement (e.g. "applications are open") under the news index; public."""

    date = models.DateField("publication date", default=timezone.localdate)
    intro = models.TextField(blank=True, max_length=600, help_text=INTRO_HELP)
    body = StreamField(BaseStreamBlock(), blank=True, use_json_field=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        PageImage.image_panel,
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["resources.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "news page"

    def __str__(self):
        return self.title

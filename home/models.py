from django.apps import apps
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, FormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core.clients import client_ip
from core.page_cache import ViewRestrictionsFromMemory
from home.blocks import BaseStreamBlock
from home.errors import ContactLimitReached
from home.forms import TRAP_FIELD, ContactFormBuilder

INTRO_HELP = "One or two sentences shown under the title and in search results."
# Where the contact page redirects a sent message: a path under the page itself.
THANK_YOU_SLUG = "thank-you"


class HomePage(ViewRestrictionsFromMemory, Page):
    """The program overview at the root of the site; public. One per site."""

    intro = models.TextField(blank=True, max_length=600, help_text=INTRO_HELP)
    body = StreamField(BaseStreamBlock(), blank=True, use_json_field=True)
    news_heading = models.CharField(
        max_length=120,
        default="Latest news",
        help_text="Heading above the latest news items; leave empty to hide them.",
        blank=True,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("news_heading"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "home.ContactPage",
        "resources.ResourceIndexPage",
        "resources.NewsIndexPage",
        "cohorts.CohortIndexPage",
        "cohorts.PairDashboardPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        """Every section of the site is a child of the home page: find it in memory."""
        from core.page_cache import route_through_memory

        return route_through_memory(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.news_heading:
            # News pages come from the resources app, which builds on this one: the app
            # registry names the model, as subpage_types do.
            news_page = apps.get_model("resources", "NewsPage")
            context["latest_news"] = (
                news_page.objects.live()
                .public()
                .select_related("image")
                .prefetch_related("image__renditions")
                .order_by("-date")[:3]
            )
        return context


class StandardPage(ViewRestrictionsFromMemory, Page):
    """A plain content page (guidelines, what to expect, FAQ) under the home page; public."""

    intro = models.TextField(blank=True, max_length=600, help_text=INTRO_HELP)
    body = StreamField(BaseStreamBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = "standard page"


class ContactFormField(AbstractFormField):
    """A question on the contact form, edited with Wagtail's form builder."""

    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactMessagesPanel(FormSubmissionsPanel):
    """The number of messages the contact page received, linking to them, shown only to
    those who may read them (``contact_messages_readable``)."""

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        def is_shown(self):
            from home.selectors import contact_messages_readable

            return contact_messages_readable(user=self.request.user) and super().is_shown()


class ContactPage(ViewRestrictionsFromMemory, AbstractEmailForm):
    """The "contact the chair" form under the home page; public.

    Each message is stored as a form submission and e-mailed to the addresses in
    "to address", or to the chair's e-mail in the site settings when that is empty. The
    chair, the coordinators and superusers read the messages in the admin's Forms; editors
    edit the page but never see them (home/wagtail_hooks.py).
    """

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Shown after a message is sent.",
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        ContactMessagesPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="E-mail to the chair",
            help_text="Leave 'to address' empty to send to the chair in the site settings.",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    form_builder = ContactFormBuilder

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "contact page"

    @property
    def thank_you_url(self) -> str:
        return f"{self.url}{THANK_YOU_SLUG}/"

    def route(self, request, path_components):
        """The form at the page's address; what a sent message is redirected to at
        ``thank-you/`` under it."""
        if path_components == [THANK_YOU_SLUG] and self.live:
            return RouteResult(self, kwargs={"thank_you": True})
        return super().route(request, path_components)

    def serve(self, request, *args, thank_you=False, **kwargs):
        """Wagtail's FormMixin.serve in steps, answering a sent message with a redirect to
        the thank-you page (POST, redirect, GET: reloading it sends nothing again)."""
        if thank_you:
            return self.render_landing_page(request)
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        if form.is_valid():
            return self.form_valid(request, form)
        return self.render_form(request, form)

    def form_valid(self, request, form) -> HttpResponse:
        """Process a valid message and redirect; a robot's (the hidden field filled in) is
        thanked alike and forgotten. Past the client's hourly limit the form comes back with
        the message kept and the reason (429)."""
        if not form.filled_by_a_robot():
            try:
                self.process_form_submission(form, client=client_ip(request))
            except ContactLimitReached as error:
                form.add_error(None, str(error))
                return self.render_form(request, form, status=429)
        return redirect(self.thank_you_url)

    def render_form(self, request, form, status: int = 200) -> TemplateResponse:
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def process_form_submission(self, form, *, client: str = ""):
        """Store the message; it reaches the chair once the transaction commits, or in the
        hourly digest (home/services.py)."""
        from home.services import contact_submission_receive

        data = {name: value for name, value in form.cleaned_data.items() if name != TRAP_FIELD}
        return contact_submission_receive(page=self, cleaned_data=data, client=client)


class ContactDigestItem(models.Model):
    """A contact message past the hourly ceiling of e-mails to the chair: stored like every
    message, it waits here for the hourly digest, which deletes this row once sent."""

    submission = models.OneToOneField(
        FormSubmission, on_delete=models.CASCADE, related_name="+", verbose_name="message"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contact message waiting for the digest"
        verbose_name_plural = "contact messages waiting for the digest"

    def __str__(self):
        return f"Message {self.submission_id}"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Names and contacts shown on every page; editors change them under Settings."""

    program_name = models.CharField(max_length=120, default="Mentoring Program")
    association_name = models.CharField(max_length=160, blank=True)
    tagline = models.CharField(
        max_length=200, blank=True, help_text="A short line shown under the program name."
    )
    chair_name = models.CharField(max_length=120, blank=True)
    chair_title = models.CharField(
        max_length=160, blank=True, default="Chair, Mentoring Subcommittee"
    )
    chair_email = models.EmailField(
        blank=True,
        help_text="Receives the contact form's messages unless the page says otherwise.",
    )
    membership_renewal_url = models.URLField(
        blank=True, help_text="Where members renew their membership of the association."
    )
    footer_text = models.TextField(blank=True, max_length=1000)

    panels = [
        MultiFieldPanel(
            [FieldPanel("program_name"), FieldPanel("association_name"), FieldPanel("tagline")],
            heading="Program",
        ),
        MultiFieldPanel(
            [FieldPanel("chair_name"), FieldPanel("chair_title"), FieldPanel("chair_email")],
            heading="Chair",
        ),
        FieldPanel("membership_renewal_url"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = "site settings"

    def __str__(self):
        return self.program_name

    @classmethod
    def for_request(cls, request):
        """The settings every page shows, from memory until they or other content change."""
        from core.page_cache import content_cached

        site = Site.find_for_request(request)
        attribute = cls.get_cache_attr_name()
        if site is not None and not hasattr(request, attribute):
            settings = content_cached(f"site-settings:{site.pk}", lambda: cls.for_site(site))
            settings._request = request
            setattr(request, attribute, settings)
        return super().for_request(request)

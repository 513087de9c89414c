"""Where each page type may live in the tree, and that each one renders."""

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from cohorts.models import CohortIndexPage, PairDashboardPage
from home.models import ContactPage, HomePage, StandardPage
from resources.models import NewsIndexPage, NewsPage, ResourceIndexPage, ResourcePage
from tests.factories import (
    ContactFormFieldFactory,
    ContactPageFactory,
    HomePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    StandardPageFactory,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_and_holds_the_sections(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                StandardPage,
                ContactPage,
                ResourceIndexPage,
                NewsIndexPage,
                CohortIndexPage,
                PairDashboardPage,
            },
        )

    def test_standard_pages_nest_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_contact_page_is_a_leaf_under_home(self):
        self.assertAllowedParentPageTypes(ContactPage, {HomePage})
        self.assertAllowedSubpageTypes(ContactPage, set())

    def test_resources_and_news_live_under_their_index(self):
        self.assertAllowedParentPageTypes(ResourceIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ResourceIndexPage, {ResourcePage})
        self.assertAllowedParentPageTypes(ResourcePage, {ResourceIndexPage})
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertAllowedSubpageTypes(ResourcePage, set())

    def test_singletons_cannot_be_created_twice(self):
        home = HomePageFactory(parent=Page.get_first_root_node(), slug="home-two")
        ContactPageFactory(parent=home)
        ResourceIndexPageFactory(parent=home)
        NewsIndexPageFactory(parent=home)
        for singleton in (ContactPage, ResourceIndexPage, NewsIndexPage):
            self.assertFalse(singleton.can_create_at(home), singleton)
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
        self.assertTrue(StandardPage.can_create_at(home))


class EveryPageTypeRendersTests(WagtailPageTestCase):
    def setUp(self):
        root = Page.get_first_root_node()
        self.home = HomePageFactory(parent=root, slug="renders-home")
        Site.objects.filter(is_default_site=True).update(root_page=self.home)
        resources = ResourceIndexPageFactory(parent=self.home)
        news = NewsIndexPageFactory(parent=self.home)
        contact = ContactPageFactory(parent=self.home)
        ContactFormFieldFactory(page=contact, label="Your name")
        self.pages = [
            self.home,
            StandardPageFactory(parent=self.home),
            contact,
            resources,
            ResourcePageFactory(parent=resources),
            news,
            NewsPageFactory(parent=news),
        ]

    def test_each_page_type_renders(self):
        for page in self.pages:
            self.assertPageIsRenderable(page)

    def test_each_page_type_previews_in_the_admin(self):
        for page in self.pages:
            post_data = nested_form_data(
                {
                    "title": page.title,
                    "slug": page.slug,
                    "intro": rich_text("<p>Preview</p>"),
                    "thank_you_text": rich_text("<p>Thanks</p>"),
                    "news_heading": "Latest news",
                    "kind": "guide",
                    "date": "2026-01-01",
                    "body": streamfield([]),
                    "form_fields": inline_formset([]),
                }
            )
            self.assertPageIsPreviewable(page, post_data=post_data)

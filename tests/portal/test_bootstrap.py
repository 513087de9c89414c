"""`manage.py bootstrap_site`: the portal's own structure on a freshly migrated database, with
no account and no personal data; idempotent, and never undoing an editor's work."""

import importlib
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from cohorts.models import ApplicationPage, CohortIndexPage, CohortPage, PairDashboardPage
from cohorts.program.models.pages import cycle_dates, next_cycle_year
from cohorts.program.services.cohorts import cohort_relative_words
from cohorts.reminders.models import ReminderTemplate
from cohorts.reminders.wording import DEFAULT_WORDING
from core.formatting import day_display
from home.models import ContactPage, HomePage, SiteSettings, StandardPage
from members.models import AreaOfInterest, MemberProfile
from portal.demo_content import demo_content_load
from portal.models import StructureRecord
from portal.site_structure import WAGTAIL_WELCOME_TITLE
from resources.models import NewsIndexPage, ResourceIndexPage

pytestmark = pytest.mark.django_db

structure_record_migration = importlib.import_module("portal.migrations.0002_structure_record")
LATER_PAGES = ["How to apply", "Privacy notice", "Accessibility statement"]

SEED_SENTENCES = [
    "The ALCTS Mentoring Program facilitates and encourages professional development",
    "Open to ALCTS members only",
    "Participants commit to one year in the program",
    "a minimum commitment of two hours is expected",
    "Confidentiality is critical",
]


def bootstrap() -> str:
    out = StringIO()
    call_command("bootstrap_site", stdout=out)
    return out.getvalue()


def state() -> dict:
    """Everything the command could create or change, to compare two runs."""
    return {
        "pages": sorted(
            Page.objects.values_list("pk", "path", "slug", "title", "live", "latest_revision_id")
        ),
        "revisions": Revision.objects.count(),
        "sites": sorted(Site.objects.values_list("hostname", "port", "root_page_id")),
        "settings": sorted(SiteSettings.objects.values_list("pk", "program_name", "chair_email")),
        "areas": sorted(AreaOfInterest.objects.values_list("pk", "name")),
        "wording": sorted(ReminderTemplate.objects.values_list("pk", "subject", "updated_at")),
        "users": get_user_model().objects.count(),
        "records": sorted(StructureRecord.objects.values_list("key", "page_id")),
    }


def site_of_the_first_release() -> None:
    """The site as the first release of bootstrap_site built it, upgraded to this one: no
    how to apply, privacy notice or accessibility statement, and the records the migration
    writes for a site that has a home page."""
    bootstrap()
    StandardPage.objects.filter(slug__in=["how-to-apply", "privacy", "accessibility"]).delete()
    StructureRecord.objects.all().delete()
    structure_record_migration.records_of_an_existing_site(apps, None)


def footer_links(client) -> str:
    return client.get("/").content.decode().split('aria-label="Footer"')[1]


def test_a_new_database_gets_the_overview_the_cohorts_and_no_account(client, settings):
    settings.SITE_URL = "https://mentoring.example.org"
    assert WAGTAIL_WELCOME_TITLE in client.get("/").content.decode()

    out = bootstrap()

    assert "created page ALCTS Mentoring Program: Overview" in out
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert WAGTAIL_WELCOME_TITLE not in html
    for sentence in SEED_SENTENCES:
        assert sentence in html, sentence
    index = CohortIndexPage.objects.get()
    assert index.live and client.get(index.url).status_code == 200
    for model in (ResourceIndexPage, NewsIndexPage, ContactPage, PairDashboardPage):
        assert model.objects.live().count() == 1, model
    assert StandardPage.objects.live().count() == 4
    assert get_user_model().objects.count() == 0
    assert not EmailAddress.objects.exists() and not MemberProfile.objects.exists()


def test_how_to_apply_privacy_and_accessibility_come_with_the_first_start(client, settings):
    """The pages a visitor of an association's site looks for, linked from every page's
    footer; their dates and the retention period come from the portal itself."""
    settings.RETENTION_YEARS = 4
    settings.CONTACT_MESSAGE_RETENTION_DAYS = 90
    bootstrap()
    cohort = CohortPage.objects.get()
    cohort.save_revision().publish()  # an editor publishes next year's cohort

    pages = StandardPage.objects.filter(show_in_footer=True).order_by("path")
    assert [(page.title, page.live) for page in pages] == [
        ("How to apply", True),
        ("Privacy notice", True),
        ("Accessibility statement", True),
    ]
    footer = client.get("/").content.decode().split('aria-label="Footer"')[1]
    for page in pages:
        assert f'<a href="{page.url}">{page.title}</a>' in footer
    html = {page.slug: client.get(page.url).content.decode() for page in pages}
    assert "{" not in "".join(html.values())
    assert f"close {day_display(cohort.application_deadline)}" in html["how-to-apply"]
    assert f'href="{cohort.get_parent().url}"' in html["how-to-apply"]
    privacy = html["privacy"]
    assert "4 years after a cohort closes, the portal erases" in privacy
    assert "contact form is erased 90 days after it was sent" in privacy
    assert "until an administrator deletes it" not in privacy
    for words in ("never its body", "encrypted", "anonymous", "JSON", "Former participant"):
        assert words in privacy, words
    assert "(WCAG) 2.2 at level AA" in html["accessibility"]
    assert 'href="/contact/"' in html["accessibility"]


def test_a_page_taken_out_of_the_footer_leaves_it(client):
    bootstrap()
    privacy = StandardPage.objects.get(slug="privacy")
    privacy.show_in_footer = False
    privacy.save_revision().publish()

    footer = client.get("/").content.decode().split('aria-label="Footer"')[1]
    assert "Privacy notice" not in footer and "Accessibility statement" in footer


def test_next_years_cohort_is_a_draft_on_the_seed_cycle(client):
    bootstrap()

    cohort = CohortPage.objects.get()
    dates = cycle_dates(next_cycle_year())
    assert not cohort.live and cohort.has_unpublished_changes
    assert cohort.formal_start == dates["formal_start"]
    assert cohort.slug == f"{dates['formal_start'].year}-{dates['formal_end'].year}"
    assert cohort.get_latest_revision() is not None
    apply = ApplicationPage.objects.child_of(cohort).get()
    assert not apply.live
    assert client.get(f"/cohorts/{cohort.slug}/").status_code == 404
    # Its words stay true of the copies made of it year after year.
    assert cohort_relative_words(cohort=cohort) == []


def test_settings_areas_wording_and_the_site_address_without_personal_data(settings):
    settings.SITE_URL = "https://mentoring.example.org"

    bootstrap()

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("mentoring.example.org", 443)
    assert isinstance(site.root_page.specific, HomePage)
    site_settings = SiteSettings.for_site(site)
    assert site_settings.program_name == "ALCTS Mentoring Program"
    assert site_settings.chair_name == "" and site_settings.chair_email == ""
    assert AreaOfInterest.objects.count() == 8
    assert set(ReminderTemplate.objects.values_list("kind", flat=True)) == {
        str(kind) for kind in DEFAULT_WORDING
    }


def test_a_second_run_changes_nothing():
    bootstrap()
    before = state()

    out = bootstrap()

    assert out.strip() == "The site's structure is already in place; nothing changed."
    assert state() == before


def test_a_second_run_keeps_what_editors_changed_and_deleted(settings):
    bootstrap()
    home = HomePage.objects.get()
    home.intro = "Rewritten by an editor."
    home.save_revision().publish()
    NewsIndexPage.objects.get().delete()
    CohortPage.objects.get().delete()
    AreaOfInterest.objects.exclude(name="Preservation").delete()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "portal.example.net", 8443
    site.save()
    site_settings = SiteSettings.for_site(site)
    site_settings.chair_name = "A new chair"
    site_settings.save()
    settings.SITE_URL = "https://elsewhere.example.org"
    before = state()

    assert "nothing changed" in bootstrap()

    assert state() == before
    assert HomePage.objects.get().intro == "Rewritten by an editor."
    assert not NewsIndexPage.objects.exists() and not CohortPage.objects.exists()
    assert list(AreaOfInterest.objects.values_list("name", flat=True)) == ["Preservation"]
    assert SiteSettings.for_site(site).chair_name == "A new chair"


def test_a_reminder_kind_without_wording_gets_the_built_in_one():
    bootstrap()
    ReminderTemplate.objects.filter(kind="checkin").delete()

    assert bootstrap().strip().startswith("created reminder wording checkin")

    assert ReminderTemplate.objects.get(kind="checkin").subject == DEFAULT_WORDING["checkin"][0]


def test_the_demo_builds_the_same_structure_and_publishes_the_bootstrap_draft(client):
    bootstrap()
    structure = sorted(Page.objects.filter(depth__lte=3).values_list("path", "slug"))

    demo_content_load()

    assert sorted(Page.objects.filter(depth__lte=3).values_list("path", "slug")) == structure
    assert get_user_model().objects.filter(email="admin@example.org").exists()
    cohorts = CohortPage.objects.live()
    assert cohorts.count() == 2
    for cohort in cohorts:
        assert ApplicationPage.objects.child_of(cohort).live().exists()
        assert client.get(cohort.url).status_code == 200
    assert SiteSettings.objects.get().chair_name == "Regina Gong"


def test_a_site_from_before_the_footer_pages_gets_them_once_published(client):
    site_of_the_first_release()
    assert not any(title in footer_links(client) for title in LATER_PAGES)

    out = bootstrap()

    assert [line for line in out.splitlines() if line.startswith("created")] == [
        f"created page {title}" for title in LATER_PAGES
    ]
    pages = StandardPage.objects.filter(show_in_footer=True).order_by("path")
    assert [(page.title, page.live, page.has_unpublished_changes) for page in pages] == [
        (title, True, False) for title in LATER_PAGES
    ]
    for page in pages:
        assert f'<a href="{page.url}">{page.title}</a>' in footer_links(client)
        assert client.get(page.url).status_code == 200
    assert 'href="/contact/"' in client.get("/accessibility/").content.decode()
    before = state()

    assert bootstrap().strip() == "The site's structure is already in place; nothing changed."

    assert state() == before
    assert StandardPage.objects.filter(show_in_footer=True).count() == 3


def test_an_upgrade_leaves_the_pages_editors_edited_renamed_or_deleted_before_it():
    bootstrap()
    about = StandardPage.objects.get(slug="about")
    about.title, about.slug, about.intro = "Who we are", "who-we-are", "Rewritten."
    about.save_revision().publish()
    NewsIndexPage.objects.get().delete()
    privacy = StandardPage.objects.get(slug="privacy")
    privacy.intro = "The association's own notice."
    privacy.save_revision().publish()
    StandardPage.objects.filter(slug__in=["how-to-apply", "accessibility"]).delete()
    StructureRecord.objects.all().delete()
    structure_record_migration.records_of_an_existing_site(apps, None)
    about_revision = StandardPage.objects.get(slug="who-we-are").latest_revision_id

    out = bootstrap()

    assert "created page How to apply" in out and "created page Accessibility statement" in out
    assert "About" not in out and "News" not in out and "Privacy" not in out
    assert not NewsIndexPage.objects.exists()
    assert not StandardPage.objects.filter(slug="about").exists()
    about = StandardPage.objects.get(slug="who-we-are")
    assert (about.title, about.latest_revision_id) == ("Who we are", about_revision)
    assert StandardPage.objects.get(slug="privacy").intro == "The association's own notice."
    assert StandardPage.objects.filter(title="Privacy notice").count() == 1


def test_a_standard_page_deleted_or_moved_after_it_was_created_is_not_created_again():
    bootstrap()
    StandardPage.objects.get(slug="privacy").delete()
    accessibility = StandardPage.objects.get(slug="accessibility")
    accessibility.move(StandardPage.objects.get(slug="about"), pos="last-child")
    before = state()

    assert "nothing changed" in bootstrap()

    assert state() == before
    assert not StandardPage.objects.filter(title="Privacy notice").exists()
    assert StandardPage.objects.filter(title="Accessibility statement").count() == 1


def test_a_new_page_that_links_to_a_page_the_site_no_longer_has_leaves_the_link_out(client):
    site_of_the_first_release()
    ContactPage.objects.get().delete()

    bootstrap()

    accessibility = StandardPage.objects.get(slug="accessibility")
    assert [block.block_type for block in accessibility.body].count("call_to_action") == 0
    assert "hard to use for you" in client.get(accessibility.url).content.decode()

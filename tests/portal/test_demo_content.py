"""The demo content command: the seed documents as a site, idempotent, refused in production."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, Site

from cohorts.choices import ApplicationStatus, Role, Stage
from cohorts.models import Application, ApplicationPage, CohortIndexPage, CohortPage
from cohorts.program.selectors import cohort_stage
from cohorts.program.services.cohorts import cohort_relative_words
from home.models import ContactPage, HomePage, SiteSettings
from portal.demo_content import DEMO_CONTENT_REFUSED, _resolve_dates
from resources.models import NewsPage, ResourcePage, ResourceTopic

pytestmark = pytest.mark.django_db

SEED_SENTENCES = [
    "The ALCTS Mentoring Program facilitates and encourages professional development",
    "Develop strong leadership in areas of librarianship covered by ALCTS",
    "Open to ALCTS members only",
    "Participants commit to one year in the program",
    "a minimum commitment of two hours is expected",
    "Mentors and mentees have the option to meet up at the ALA Midwinter or Annual conferences",
    "Career planning, job assistance, shaping careers, and succession planning",
    "Exposure to new ideas and interests",
    "Chair of the Mentoring Subcommittee acts as coordinator of the program",
    "Confidentiality is critical",
]


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "documents": get_document_model().objects.count(),
        "topics": ResourceTopic.objects.count(),
        "users": get_user_model().objects.count(),
        "sites": Site.objects.count(),
        "settings": SiteSettings.objects.count(),
        "submissions": FormSubmission.objects.count(),
        "applications": Application.objects.count(),
    }


def test_overview_page_is_the_site_root_and_carries_every_seed_section(client, demo_site):
    assert isinstance(demo_site.root_page.specific, HomePage)
    html = client.get("/").content.decode()
    for heading in ("Mentoring Program Goals", "Mentoring Program Guidelines", "What To Expect"):
        assert f">{heading}</h2>" in html
    for sentence in SEED_SENTENCES:
        assert sentence in html, sentence


def test_announcement_is_a_news_page_with_the_first_cohort_dates(client, demo_site):
    news = NewsPage.objects.get(slug="alcts-launching-new-mentoring-program")
    assert str(news.date) == "2017-01-21"
    html = client.get(news.url).content.decode()
    assert "The application deadline Mar. 17, 2017" in html
    assert 'datetime="2017-05-12"' in html
    assert 'datetime="2018-04-30"' in html


def test_resources_contact_page_and_settings_are_in_place(demo_site):
    assert ResourcePage.objects.live().count() == 4
    template = ResourcePage.objects.get(slug="mentoring-agreement-template")
    assert template.document is not None and template.document.file.read().startswith(b"ALCTS")
    contact = ContactPage.objects.get()
    assert [f.field_type for f in contact.form_fields.all()] == [
        "singleline",
        "email",
        "dropdown",
        "multiline",
    ]
    assert SiteSettings.for_site(demo_site).chair_name == "Regina Gong"
    assert get_user_model().objects.get(email="admin@example.org").is_superuser


def test_second_run_changes_nothing(demo_site):
    before = counts()
    out = call_and_capture()
    assert "nothing changed" in out
    assert counts() == before


def test_a_second_run_keeps_what_an_editor_changed(demo_site):
    home = HomePage.objects.get()
    home.intro = "Rewritten by an editor."
    home.save_revision().publish()
    settings = SiteSettings.for_site(demo_site)
    settings.chair_name = "A new chair"
    settings.save()

    call_and_capture()

    assert HomePage.objects.get().intro == "Rewritten by an editor."
    assert SiteSettings.for_site(demo_site).chair_name == "A new chair"


def test_missing_pieces_are_recreated(demo_site):
    NewsPage.objects.get().delete()
    out = call_and_capture()
    assert "created page ALCTS Launching New Mentoring Program" in out
    assert NewsPage.objects.live().count() == 1


def test_builds_the_tree_even_when_the_database_has_no_root_page():
    Site.objects.all().delete()
    Page.objects.all().delete()
    call_and_capture()
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage


def test_refused_where_demo_content_is_not_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("load_demo_content")
    assert str(error.value) == DEMO_CONTENT_REFUSED
    assert counts() == before


def test_force_loads_where_demo_content_is_not_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    call_and_capture("--force")
    assert HomePage.objects.count() == 1


def test_production_settings_do_not_allow_demo_content():
    from portal.settings import base

    assert base.DEMO_CONTENT_ALLOWED is False


def call_and_capture(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


DEMO_ACCOUNTS = {
    "admin@example.org": ("superuser", None),
    "editor@example.org": ("Editors", None),
    "chair@example.org": ("Chair", "verified"),
    "coordinator@example.org": ("Coordinators", "verified"),
    "mentor@example.org": (None, "verified"),
    "mentee@example.org": (None, "verified"),
    "both@example.org": (None, "verified"),
    "member@example.org": (None, "verified"),
    "pending@example.org": (None, "pending"),
}


@pytest.mark.parametrize(("email", "expected"), DEMO_ACCOUNTS.items())
def test_every_demo_account_logs_in_with_the_documented_password(
    client, demo_site, email, expected
):
    from django.urls import reverse

    role, membership = expected
    response = client.post(
        reverse("account_login"), {"login": email, "password": "mentoring-demo"}
    )
    assert response.status_code == 302, email
    assert client.get(reverse("member_profile")).status_code == 200
    user = get_user_model().objects.get(email=email)
    if role == "superuser":
        assert user.is_superuser
    elif role:
        assert user.groups.filter(name=role).exists()
    if membership:
        assert user.profile.membership_status == membership
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"`{email}`" in readme


def test_demo_roster_is_imported_through_the_coordinators_import(demo_site):
    from members.models import MemberRoster

    assert MemberRoster.objects.count() == 64
    assert MemberRoster.objects.filter(email="mentor@example.org").exists()
    assert not MemberRoster.objects.filter(email__startswith="=").exists()
    pending = get_user_model().objects.get(email="pending@example.org")
    assert pending.profile.membership_status == "pending"


# ---- Cohorts ----


def demo_cohorts() -> dict[Stage, CohortPage]:
    return {cohort_stage(cohort=c).stage: c for c in CohortPage.objects.live()}


def test_two_cohorts_one_under_way_and_one_taking_applications(client, demo_site):
    index = CohortIndexPage.objects.get()
    assert index.live and index.show_in_menus
    assert index.get_parent().specific == demo_site.root_page.specific
    cohorts = demo_cohorts()
    assert set(cohorts) == {Stage.IN_PROGRESS, Stage.APPLICATIONS_OPEN}
    today = datetime.date.today()
    under_way = cohorts[Stage.IN_PROGRESS]
    assert 140 <= (today - under_way.formal_start).days <= 160  # about five months ago
    open_cohort = cohorts[Stage.APPLICATIONS_OPEN]
    assert open_cohort.applications_open < today < open_cohort.application_deadline
    for cohort in cohorts.values():
        cohort.full_clean()
        assert cohort.title == f"{cohort.formal_start.year}–{cohort.formal_end.year} cohort"
        assert ApplicationPage.objects.child_of(cohort).live().count() == 1
        assert client.get(cohort.url).status_code == 200
        assert client.get(f"{cohort.url}calendar/").status_code == 200
        # Copied next year, its words stay true: none names the year from today.
        assert cohort_relative_words(cohort=cohort) == []
    html = client.get(open_cohort.url).content.decode()
    assert f'href="{open_cohort.url}apply/"' in html
    assert 'href="/cohorts/"' in client.get("/").content.decode()


def test_demo_members_applied_to_both_cohorts(demo_site):
    cohorts = demo_cohorts()
    expected_roles = {
        "mentor@example.org": Role.MENTOR,
        "mentee@example.org": Role.MENTEE,
        "both@example.org": Role.BOTH,
        "member@example.org": Role.MENTEE,
    }
    for stage, status in (
        (Stage.APPLICATIONS_OPEN, ApplicationStatus.SUBMITTED),
        (Stage.IN_PROGRESS, ApplicationStatus.ACCEPTED),
    ):
        applications = Application.objects.filter(cohort=cohorts[stage])
        roles = {a.applicant.email: a.role for a in applications.select_related("applicant")}
        assert roles == expected_roles
        for application in applications:
            assert application.status == status
            assert application.commitment
            assert application.submitted_at <= timezone.now()
            assert application.areas.exists()
            assert application.time_zone == application.applicant.profile.time_zone
            assert (application.mentee_capacity is not None) == application.is_mentor
            application.full_clean()


def test_a_second_run_keeps_the_cohorts_and_applications(demo_site):
    before = counts()
    Application.objects.filter(applicant__email="member@example.org").delete()
    ApplicationPage.objects.filter(slug="apply").first().delete()
    out = call_and_capture()
    assert "created page Apply" in out
    assert out.count("created application member@example.org") == 2
    assert counts() == before


def test_dates_from_today_are_counted_from_the_load_day():
    spec = {"title": "x", "dates_from_today": {"formal_start": -150, "formal_end": 3}}
    resolved = _resolve_dates(spec, datetime.date(2027, 1, 10))
    assert resolved == {
        "title": "x",
        "formal_start": datetime.date(2026, 8, 13),
        "formal_end": datetime.date(2027, 1, 13),
    }

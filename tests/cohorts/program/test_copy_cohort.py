"""Copy last year's cohort: next year's draft with every date a year later, its pages
copied along, refused where the address is taken or the user may not add cohorts."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from cohorts.choices import Role
from cohorts.models import Application, ApplicationPage, CohortPage
from cohorts.program.models.pages import cycle_dates
from cohorts.program.services.cohorts import (
    COHORT_DATE_FIELDS,
    COPY_NOT_ALLOWED,
    COPY_SLUG_EXISTS,
    CohortCopyError,
    RelativeWords,
    cohort_copy_plan,
    cohort_copy_to_next_year,
    shift_one_year,
    text_years_moved,
)
from cohorts.program.views.copy_cohort import COPY_CHECK_WORDS
from tests.cohorts.factories import add_application_page, add_cohort
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def cohort(index):
    cohort = add_cohort(index, year=2027, orientation_details="Zoom link", intro="Year one.")
    add_application_page(cohort, intro="Apply now.", thank_you_text="Thanks for applying.")
    return cohort


def test_next_years_cohort_is_a_draft_with_every_date_a_year_later(cohort, admin):
    copy = cohort_copy_to_next_year(cohort=cohort, user=admin)

    assert isinstance(copy, CohortPage)
    assert (copy.title, copy.slug) == ("2028–2029 cohort", "2028-2029")
    assert copy.get_parent().pk == cohort.get_parent().pk
    assert not copy.live
    for name, day in cycle_dates(2028).items():
        assert getattr(copy, name) == day, name
    assert (copy.intro, copy.orientation_details) == ("Year one.", "Zoom link")
    # The editor opens the latest revision: it has the new title and dates too.
    draft = copy.get_latest_revision_as_object()
    assert (draft.title, draft.formal_start) == ("2028–2029 cohort", datetime.date(2028, 6, 1))
    # The cohort copied from is untouched.
    cohort.refresh_from_db()
    assert (cohort.slug, cohort.formal_start, cohort.live) == (
        "2027-2028",
        datetime.date(2027, 6, 1),
        True,
    )


def test_the_application_page_comes_along_as_a_draft_but_applications_do_not(cohort, admin):
    Application.objects.create(cohort=cohort, applicant=member(), role=Role.MENTEE)

    copy = cohort_copy_to_next_year(cohort=cohort, user=admin)

    (child,) = copy.get_children().specific()
    assert isinstance(child, ApplicationPage)
    assert (child.intro, child.thank_you_text) == ("Apply now.", "Thanks for applying.")
    assert not child.live
    assert not Application.objects.filter(cohort=copy).exists()
    assert cohort.get_children().count() == 1


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28)),
        (datetime.date(2027, 2, 28), datetime.date(2028, 2, 28)),
        (datetime.date(2027, 3, 1), datetime.date(2028, 3, 1)),
        (datetime.date(2027, 12, 31), datetime.date(2028, 12, 31)),
    ],
)
def test_shift_one_year(day, expected):
    assert shift_one_year(day) == expected


def test_february_29_becomes_february_28(index, admin):
    cohort = add_cohort(index, year=2028, applications_open=datetime.date(2028, 2, 29))
    copy = cohort_copy_to_next_year(cohort=cohort, user=admin)
    assert copy.applications_open == datetime.date(2029, 2, 28)
    copy.full_clean()


def test_every_timeline_date_is_moved(cohort, admin):
    copy = cohort_copy_to_next_year(cohort=cohort, user=admin)
    for name in COHORT_DATE_FIELDS:
        assert getattr(copy, name) == shift_one_year(getattr(cohort, name)), name
    assert len(COHORT_DATE_FIELDS) == 10


def test_a_taken_address_is_refused_and_nothing_is_written(cohort, index, admin):
    add_cohort(index, year=2028, title="Next year, made by hand")
    before = Page.objects.count()
    with pytest.raises(CohortCopyError) as error:
        cohort_copy_to_next_year(cohort=cohort, user=admin)
    assert str(error.value) == COPY_SLUG_EXISTS.format(
        slug="2028-2029", title="Next year, made by hand"
    )
    assert Page.objects.count() == before


def test_only_users_who_may_add_cohorts_may_copy(cohort, index):
    before = Page.objects.count()
    with pytest.raises(PermissionDenied) as error:
        cohort_copy_to_next_year(cohort=cohort, user=member())
    assert str(error.value) == COPY_NOT_ALLOWED
    assert Page.objects.count() == before

    editors = Group.objects.create(name="Cohort editors")
    GroupPagePermission.objects.create(
        group=editors, page=index, permission=Permission.objects.get(codename="add_page")
    )
    editor = UserFactory()
    editor.groups.add(editors)
    assert cohort_copy_to_next_year(cohort=cohort, user=editor).slug == "2028-2029"


# ---- The admin action ----


def test_the_header_and_listing_offer_the_action_on_cohort_pages_only(client, cohort, admin):
    client.force_login(admin)
    url = reverse("cohorts_copy_to_next_year", args=[cohort.pk])
    assert url in client.get(reverse("wagtailadmin_pages:edit", args=[cohort.pk])).content.decode()
    listing = client.get(reverse("wagtailadmin_explore", args=[cohort.get_parent().pk]))
    assert url in listing.content.decode()
    apply = cohort.get_children().get()
    edit_apply = client.get(reverse("wagtailadmin_pages:edit", args=[apply.pk])).content.decode()
    assert "copy-to-next-year" not in edit_apply


def test_confirming_shows_what_will_be_created_then_creates_it(client, cohort, admin):
    client.force_login(admin)
    url = reverse("cohorts_copy_to_next_year", args=[cohort.pk])
    html = client.get(url).content.decode()
    assert "2028–2029 cohort" in html
    assert "Mon, Mar 15, 2027" in html and "Wed, Mar 15, 2028" in html
    assert "<li>Apply</li>" in html
    assert not CohortPage.objects.filter(slug="2028-2029").exists()

    response = client.post(url, follow=True)
    copy = CohortPage.objects.get(slug="2028-2029")
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert "2028–2029 cohort was created as a draft" in response.content.decode()


def test_the_confirm_page_says_when_the_address_is_taken(client, cohort, index, admin):
    add_cohort(index, year=2028)
    client.force_login(admin)
    url = reverse("cohorts_copy_to_next_year", args=[cohort.pk])
    html = client.get(url).content.decode()
    assert "already exists" in html
    assert "Create 2028–2029 cohort" not in html
    response = client.post(url)
    assert response.status_code == 200
    assert CohortPage.objects.filter(slug="2028-2029").count() == 1


def test_users_who_may_not_add_cohorts_are_refused(client, cohort):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    url = reverse("cohorts_copy_to_next_year", args=[cohort.pk])
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    for response in (client.get(url), client.post(url)):
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert not CohortPage.objects.filter(slug="2028-2029").exists()


# ---- The words of the copy: years moved, words relative to now pointed out ----


def test_the_years_in_the_copied_texts_move_with_the_dates(index, admin):
    cohort = add_cohort(
        index,
        year=2027,
        intro="The 2027–2028 program year: apply by March 15, 2027. Founded in 2015.",
        orientation_details="Zoom, May 2028 for 2027-28",
    )
    add_application_page(
        cohort,
        intro="Apply for 2027–2028 (cohort 2027/2028).",
        thank_you_text="See you at the 2027 orientation.",
    )

    copy = cohort_copy_to_next_year(cohort=cohort, user=admin)

    # 2015 is no year of the cohort's timeline, so it stays.
    assert copy.intro == "The 2028–2029 program year: apply by March 15, 2028. Founded in 2015."
    assert copy.orientation_details == "Zoom, May 2029 for 2028-29"
    child = copy.get_children().specific().get()
    assert child.intro == "Apply for 2028–2029 (cohort 2028/2029)."
    assert child.thank_you_text == "See you at the 2028 orientation."
    # The editor opens the latest revision: it reads the same.
    assert copy.get_latest_revision_as_object().intro.startswith("The 2028–2029 program year")
    assert child.get_latest_revision_as_object().intro == child.intro
    cohort.refresh_from_db()
    assert cohort.intro.startswith("The 2027–2028 program year")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spring 2027, then 2028.", "Spring 2028, then 2029."),
        ("2027-2028, 2027/2028, 2027–28, 2099–00", "2028-2029, 2028/2029, 2028–29, 2099–00"),
        ("2028-99 and 2027-280", "2029-00 and 2028-280"),
        ("Since 2015; room 2027B; 20270 members", "Since 2015; room 2027B; 20270 members"),
        (
            "Join at https://zoom.us/j/2027?pwd=2028 (May 2028)",
            "Join at https://zoom.us/j/2027?pwd=2028 (May 2029)",
        ),
    ],
)
def test_only_the_cohort_s_years_standing_alone_move(text, expected):
    assert text_years_moved(text, years={2027, 2028}) == expected


def test_words_that_name_the_year_from_now_are_pointed_out(client, index, admin):
    cohort = add_cohort(
        index, year=2027, intro="The next program year: when to apply and when to start."
    )
    add_application_page(cohort, thank_you_text="See you this year at the orientation.")
    plan = cohort_copy_plan(cohort=cohort)
    assert plan.relative_words == [
        RelativeWords(page="2027–2028 cohort", field="Intro", words="next program year"),
        RelativeWords(page="Apply", field="Thank you text", words="this year"),
    ]

    client.force_login(admin)
    url = reverse("cohorts_copy_to_next_year", args=[cohort.pk])
    html = client.get(url).content.decode()
    assert "<strong>next program year</strong>" in html and "<strong>this year</strong>" in html
    html = client.post(url, follow=True).content.decode()
    assert "next program year" in html and "this year" in html
    assert COPY_CHECK_WORDS.split("{")[0] in html


def test_a_cohort_whose_texts_name_no_year_from_now_has_nothing_pointed_out(cohort):
    assert cohort_copy_plan(cohort=cohort).relative_words == []


# ---- Publishing the copy: the cohort and the pages copied under it together ----


def publish_in_the_admin(client, page):
    """Publish ``page`` from its edit screen, as an editor does."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = client.get(edit).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    data |= {"action-publish": "publish"}
    for name in ("comments",):
        data |= nested_form_data({name: inline_formset([])})
    return client.post(edit, data, follow=True)


def test_publishing_the_copy_publishes_its_application_page_with_it(client, cohort, admin):
    copy = cohort_copy_to_next_year(cohort=cohort, user=admin)
    client.force_login(admin)

    response = publish_in_the_admin(client, copy)

    assert response.status_code == 200
    copy.refresh_from_db()
    child = copy.get_children().get()
    assert copy.live and child.live, response.content.decode()[:500]
    assert "Published with it: Apply." in response.content.decode()
    assert client.get(child.url).status_code in (200, 302)


def test_publishing_a_cohort_again_leaves_a_draft_page_under_it_alone(client, index, admin):
    cohort = add_cohort(index, year=2030)
    draft = add_application_page(cohort, publish=False)
    client.force_login(admin)

    publish_in_the_admin(client, cohort)

    draft.refresh_from_db()
    assert not draft.live

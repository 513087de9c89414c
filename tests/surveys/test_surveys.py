"""Evaluation surveys: where survey pages live and which dates they take, who may answer and
when, one answer each, answers that lead back to nobody (in the database, the admin's
listing and its export), copying a survey into another cohort, and hostile answers."""

import csv
import dataclasses
import datetime
import io
import uuid
import zoneinfo

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cohorts.choices import ApplicationStatus, PairStatus, Role
from cohorts.models import CohortIndexPage, CohortPage
from cohorts.services.cohorts import cohort_copy_to_next_year
from cohorts.services.matching import pair_by_hand, pairs_publish
from home.models import HomePage
from members.roles import EDITORS
from members.services.accounts import member_data_export
from surveys import services
from surveys.choices import RespondentRole, SurveyAudience, SurveyKind, SurveyWindow
from surveys.forms import ROLE_FIELD
from surveys.models import (
    CHOICES_REQUIRED,
    CLOSES_BEFORE_OPENS,
    SurveyFormField,
    SurveyPage,
    SurveyParticipation,
    SurveyResponse,
)
from surveys.selectors import (
    survey_answered,
    survey_audience,
    survey_dates,
    survey_for,
    survey_respondent_ids,
    survey_state,
)
from surveys.services import (
    ALREADY_ANSWERED,
    COPY_NOT_ALLOWED,
    survey_answer,
    survey_copy_to_cohort,
)
from tests.cohorts.factories import ApplicationFactory, published_pair
from tests.cohorts.test_application_admin import make_cohort
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
# The 2026 cohort's mid-way survey runs November 1 to 30, 2026 (cycle_dates).
IN_WINDOW = datetime.datetime(2026, 11, 10, 14, 37, tzinfo=CHICAGO)
QUESTIONS = [
    ("How useful was the program so far?", "rating", ""),
    ("Would you recommend it?", "radio", "Yes\nNo"),
    ("How did you meet?", "checkboxes", "Video call\nTelephone\nIn person"),
    ("Which conference?", "dropdown", "Midwinter\nAnnual"),
    ("One word for it", "singleline", ""),
    ("Anything else?", "multiline", ""),
]
ANSWERS = {
    "how_useful_was_the_program_so_far": "4",
    "would_you_recommend_it": "Yes",
    "how_did_you_meet": ["Video call", "In person"],
    "which_conference": "Annual",
    "one_word_for_it": "Useful",
    "anything_else": "More meetings next year.",
}


# ---- Fixtures and helpers ----


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(IN_WINDOW, tick=False)
    return time_machine


@pytest.fixture
def cohort(home, clock) -> CohortPage:
    return make_cohort(home, 2026)


@pytest.fixture
def pair(cohort):
    return published_pair(cohort, mentor=member("mentor@example.org"), mentee=member())


@pytest.fixture
def survey(cohort) -> SurveyPage:
    return add_survey(cohort)


@pytest.fixture
def admin(db):
    return UserFactory(is_superuser=True, is_staff=True)


def add_survey(cohort, *, kind=SurveyKind.MIDWAY, audience=SurveyAudience.BOTH, **fields):
    questions = [
        SurveyFormField(label=label, field_type=kind_, choices=choices, required=index < 2)
        for index, (label, kind_, choices) in enumerate(QUESTIONS)
    ]
    defaults = {
        "title": f"{SurveyKind(kind).label} {cohort.title}",
        "slug": kind,
        "intro": "Ten minutes, five questions.",
        "thank_you_text": "Thank you for helping the subcommittee.",
    }
    page = SurveyPage(
        kind=kind, audience=audience, form_fields=questions, **{**defaults, **fields}
    )
    return cohort.add_child(instance=page)


def both_member(cohort):
    """A member accepted as both, mentor in one published pair and mentee in another."""
    both = member()
    accepted = {"cohort": cohort, "status": ApplicationStatus.ACCEPTED}
    application = ApplicationFactory(applicant=both, role=Role.BOTH, mentee_capacity=1, **accepted)
    mentee = ApplicationFactory(applicant=member(), role=Role.MENTEE, **accepted)
    mentor = ApplicationFactory(
        applicant=member(), role=Role.MENTOR, mentee_capacity=1, **accepted
    )
    pair_by_hand(cohort=cohort, mentor_id=application.pk, mentee_id=mentee.pk, user=None)
    pair_by_hand(cohort=cohort, mentor_id=mentor.pk, mentee_id=application.pk, user=None)
    pairs_publish(cohort=cohort, user=None)
    return both


def answer(client, user, page, data=None, **extra):
    client.force_login(user)
    return client.post(page.url, {**ANSWERS, **(data or {})}, **extra)


def html(response) -> str:
    return response.content.decode()


# ---- Where survey pages live ----


class SurveyPageTreeTests(WagtailPageTestCase):
    def test_surveys_sit_under_a_cohort_and_hold_nothing(self):
        self.assertAllowedParentPageTypes(SurveyPage, {CohortPage})
        self.assertAllowedSubpageTypes(SurveyPage, set())
        self.assertCanCreateAt(CohortPage, SurveyPage)
        self.assertCanNotCreateAt(HomePage, SurveyPage)
        self.assertCanNotCreateAt(CohortIndexPage, SurveyPage)
        self.assertCanNotCreateAt(SurveyPage, SurveyPage)

    def test_a_survey_renders_for_a_participant_and_previews_for_an_editor(self):
        home = Page.objects.get(depth=2)
        cohort = make_cohort(home, timezone.localdate().year)
        today = timezone.localdate()
        page = add_survey(cohort, opens=today, closes=today)
        pair = published_pair(cohort)
        self.assertPageIsRenderable(page, user=pair.mentee.applicant)
        self.assertPageIsRenderable(page, accept_redirect=True)  # anonymous: to log in
        self.assertPageIsPreviewable(page)


# ---- Dates and kinds ----


def test_empty_dates_take_the_cohorts_dates_for_the_kind(cohort):
    midway = add_survey(cohort)
    final = add_survey(cohort, kind=SurveyKind.FINAL)
    assert (midway.opens, midway.closes) == (
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 30),
    )
    assert (final.opens, final.closes) == (datetime.date(2027, 4, 1), datetime.date(2027, 5, 15))


def test_given_dates_are_kept_and_must_be_in_order(cohort):
    page = add_survey(cohort, opens=datetime.date(2026, 11, 5))
    assert (page.opens, page.closes) == (datetime.date(2026, 11, 5), datetime.date(2026, 11, 30))
    page.closes = datetime.date(2026, 11, 4)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert error.value.message_dict["closes"] == [
        CLOSES_BEFORE_OPENS.format(opens=datetime.date(2026, 11, 5))
    ]


def test_one_survey_of_each_kind_per_cohort(cohort, home):
    add_survey(cohort)
    before = SurveyPage.objects.count()
    with pytest.raises(ValidationError) as error:
        add_survey(cohort, title="Another mid-way survey", slug="midway-2")
    assert "already has a mid-way survey" in error.value.message_dict["kind"][0]
    assert SurveyPage.objects.count() == before
    add_survey(cohort, kind=SurveyKind.FINAL)
    add_survey(make_cohort(home, 2027))  # another cohort has its own


def test_a_multiple_choice_question_needs_its_answers(survey):
    question = SurveyFormField(page=survey, label="Pick one", field_type="radio", choices=" ")
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert error.value.message_dict["choices"] == [CHOICES_REQUIRED]


def admin_form(title, slug, kind, **fields):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "kind": kind,
            "audience": "both",
            "opens": "",
            "closes": "",
            "intro": "",
            "thank_you_text": "",
            "form_fields": inline_formset(
                [
                    {
                        "label": "How useful was it?",
                        "help_text": "",
                        "required": "on",
                        "field_type": "rating",
                        "choices": "",
                    }
                ]
            ),
            "comments": inline_formset([]),
            **fields,
        }
    )


def test_editors_create_a_survey_in_the_admin_with_the_cohorts_dates(client, cohort):
    client.force_login(member(groups=[EDITORS]))
    url = reverse("wagtailadmin_pages:add", args=("surveys", "surveypage", cohort.pk))
    response = client.post(url, admin_form("Mid-way survey", "midway", "midway"))
    assert response.status_code == 302
    page = SurveyPage.objects.get(slug="midway")
    assert (page.opens, page.closes) == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert [(f.label, f.field_type) for f in page.form_fields.all()] == [
        ("How useful was it?", "rating")
    ]
    assert page.get_latest_revision_as_object().opens == datetime.date(2026, 11, 1)

    # A second mid-way survey is refused on the form, next to the kind; nothing is created.
    response = client.post(url, admin_form("Again", "again", "midway"))
    assert response.status_code == 200
    assert "already has a mid-way survey" in html(response)
    assert not SurveyPage.objects.filter(slug="again").exists()
    # Dates out of order are refused too.
    response = client.post(url, admin_form("Final", "final", "final", closes="2027-03-01"))
    assert "must not close before it opens (April 1, 2027)" in html(response)
    assert not SurveyPage.objects.filter(slug="final").exists()


# ---- Answering ----


def test_a_participant_answers_once(client, survey, pair):
    mentee = pair.mentee.applicant
    client.force_login(mentee)
    page = html(client.get(survey.url))
    assert "Ten minutes, five questions." in page
    assert "<legend>How useful was the program so far?" in page
    assert 'class="survey-rating"' in page
    assert "Open until November 30, 2026." in page

    response = answer(client, mentee, survey)
    assert response.status_code == 302 and response.url == survey.url
    participation = SurveyParticipation.objects.get()
    assert (participation.user, participation.role) == (mentee, RespondentRole.MENTEE)
    assert participation.answered_on == datetime.date(2026, 11, 10)
    stored = SurveyResponse.objects.get()
    assert stored.role == RespondentRole.MENTEE
    assert stored.form_data == {**ANSWERS, "how_useful_was_the_program_so_far": 4}

    thanks = client.get(survey.url)
    assert {"private", "no-store"} <= set(thanks["Cache-Control"].replace(" ", "").split(","))
    text = html(thanks)
    assert "You answered this survey on November 10, 2026, as a mentee." in text
    assert "Thank you for helping the subcommittee." in text
    assert "survey-form" not in text

    # A second answer (a second tab, a double click) records nothing.
    again = answer(client, mentee, survey, {"one_word_for_it": "Second"})
    assert again.status_code == 200
    assert "You answered this survey on November 10, 2026" in html(again)
    assert (SurveyParticipation.objects.count(), SurveyResponse.objects.count()) == (1, 1)


def test_the_database_stops_a_second_answer_that_got_past_the_check(survey, pair, monkeypatch):
    mentor = pair.mentor.applicant
    survey_answer(page=survey, user=mentor, role=RespondentRole.MENTOR, answers={"a": 1})
    # Two requests read the state before either wrote: the second still sees no answer.
    stale = dataclasses.replace(survey_state(page=survey, user=mentor), participation=None)
    monkeypatch.setattr(services, "survey_state", lambda **kwargs: stale)
    with pytest.raises(ValidationError) as error:
        survey_answer(page=survey, user=mentor, role=RespondentRole.MENTOR, answers={"a": 2})
    assert error.value.messages == [ALREADY_ANSWERED]
    assert SurveyResponse.objects.get().form_data == {"a": 1}
    assert SurveyParticipation.objects.count() == 1


def test_the_person_and_the_answers_are_written_together_or_not_at_all(survey, pair, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(SurveyResponse.objects, "create", fail)
    with pytest.raises(RuntimeError):
        survey_answer(page=survey, user=pair.mentee.applicant, role="mentee", answers={"a": 1})
    assert not SurveyParticipation.objects.exists()


def test_missing_answers_are_shown_next_to_their_questions_and_nothing_is_written(
    client, survey, pair
):
    response = answer(client, pair.mentee.applicant, survey, {"would_you_recommend_it": ""})
    assert response.status_code == 200
    text = html(response)
    assert 'id="id_would_you_recommend_it_error"' in text
    assert 'aria-describedby="id_would_you_recommend_it_error"' in text
    assert (
        'href="#id_would_you_recommend_it">Would you recommend it?: Answer this question.' in text
    )
    assert not SurveyParticipation.objects.exists() and not SurveyResponse.objects.exists()


def test_a_member_who_is_mentor_and_mentee_chooses_the_role_they_answer_as(client, cohort):
    both = both_member(cohort)
    survey = add_survey(cohort)
    client.force_login(both)
    form = html(client.get(survey.url))
    assert "You take part as a mentor and as a mentee" in form
    assert f'name="{ROLE_FIELD}"' in form
    assert '<option value="" selected>Choose an answer</option>' in form

    refused = answer(client, both, survey, {ROLE_FIELD: "coordinator"})
    assert refused.status_code == 200 and not SurveyResponse.objects.exists()

    assert answer(client, both, survey, {ROLE_FIELD: "mentor"}).status_code == 302
    assert SurveyResponse.objects.get().role == RespondentRole.MENTOR
    assert SurveyParticipation.objects.get().role == RespondentRole.MENTOR


def test_in_a_survey_for_mentors_a_both_member_answers_as_mentor_without_choosing(client, cohort):
    both = both_member(cohort)
    survey = add_survey(cohort, audience=SurveyAudience.MENTORS)
    client.force_login(both)
    assert f'name="{ROLE_FIELD}"' not in html(client.get(survey.url))
    assert answer(client, both, survey).status_code == 302
    assert SurveyResponse.objects.get().role == RespondentRole.MENTOR


# ---- The window ----


@pytest.mark.parametrize(
    ("moment", "title", "sentence"),
    [
        (
            datetime.datetime(2026, 10, 31, 23, 59, tzinfo=CHICAGO),
            "This survey is not open yet",
            "It opens on November 1, 2026 and stays open until November 30, 2026.",
        ),
        (
            datetime.datetime(2026, 12, 1, 0, 1, tzinfo=CHICAGO),
            "This survey is closed",
            "The last day to answer was November 30, 2026.",
        ),
    ],
    ids=["before", "after"],
)
def test_outside_its_window_a_survey_shows_no_form_and_refuses_answers(
    client, survey, pair, clock, moment, title, sentence
):
    clock.move_to(moment, tick=False)
    mentee = pair.mentee.applicant
    client.force_login(mentee)
    page = html(client.get(survey.url))
    assert title in page and sentence in page
    assert '<form class="form survey-form"' not in page and "<legend>" not in page

    response = answer(client, mentee, survey)
    assert response.status_code == 403
    assert sentence in html(response)
    assert not SurveyParticipation.objects.exists() and not SurveyResponse.objects.exists()
    with pytest.raises(ValidationError) as error:
        survey_answer(page=survey, user=mentee, role="mentee", answers={})
    assert error.value.code in {"not_open", "closed"}


def test_the_closing_day_is_the_last_day_to_answer(client, survey, pair, clock):
    clock.move_to(datetime.datetime(2026, 11, 30, 23, 50, tzinfo=CHICAGO), tick=False)
    assert answer(client, pair.mentor.applicant, survey).status_code == 302


# ---- The audience ----


def test_a_mentee_cannot_answer_a_survey_for_mentors(client, cohort, pair):
    survey = add_survey(cohort, audience=SurveyAudience.MENTORS)
    mentee = pair.mentee.applicant
    client.force_login(mentee)
    page = html(client.get(survey.url))
    assert "This survey is not for you" in page
    assert f"It is for the mentors of the {cohort.title}, and you take part as a mentee." in page
    assert "<legend>" not in page
    assert answer(client, mentee, survey).status_code == 403
    assert not SurveyResponse.objects.exists()
    assert answer(client, pair.mentor.applicant, survey).status_code == 302


def test_a_member_in_no_pair_and_staff_cannot_answer(client, survey, pair, admin):
    for user in (member(), member(groups=[EDITORS]), admin):
        client.force_login(user)
        page = html(client.get(survey.url))
        assert "You are not in a pair of this cohort." in page
        assert answer(client, user, survey).status_code == 403
    assert not SurveyParticipation.objects.exists() and not SurveyResponse.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, survey):
    for response in (client.get(survey.url), client.post(survey.url, ANSWERS)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login") + "?next=")
    assert not SurveyResponse.objects.exists()


def test_who_takes_part_follows_the_pairs_status(cohort, survey):
    draft, ended_early, ended_late = (published_pair(cohort) for _ in range(3))
    draft.status = PairStatus.CONFIRMED
    draft.save()
    ended_early.status = ended_late.status = PairStatus.ENDED
    ended_early.ended_at = datetime.datetime(2027, 1, 15, tzinfo=CHICAGO)
    ended_late.ended_at = datetime.datetime(2027, 4, 30, 18, tzinfo=CHICAGO)
    ended_early.save()
    ended_late.save()
    assert survey_state(page=survey, user=draft.mentee.applicant).roles == ()
    assert survey_state(page=survey, user=ended_early.mentee.applicant).roles == ()
    assert survey_state(page=survey, user=ended_late.mentee.applicant).roles == ("mentee",)


# ---- The selectors the reminders and reports use ----


def test_the_selectors(cohort, pair, client):
    both = both_member(cohort)
    midway = add_survey(cohort)
    mentors_only = add_survey(cohort, kind=SurveyKind.FINAL, audience=SurveyAudience.MENTORS)
    mentors_only.unpublish()

    assert survey_for(cohort=cohort, kind="midway") == midway
    assert survey_for(cohort=cohort, kind="final") is None  # a draft

    mentor, mentee = pair.mentor.applicant, pair.mentee.applicant
    audience = survey_audience(page=midway)
    assert (mentor.pk, "mentor") in audience and (mentee.pk, "mentee") in audience
    assert (both.pk, "mentor") in audience and (both.pk, "mentee") in audience
    assert audience == sorted(audience) and len({user for user, _ in audience}) == 5
    assert all(role == "mentor" for _, role in survey_audience(page=mentors_only))

    assert survey_respondent_ids(page=midway) == set()
    assert survey_answered(page=midway, user=mentee) is None
    answer(client, mentee, midway)
    assert survey_respondent_ids(page=midway) == {mentee.pk}
    participation = survey_answered(page=midway, user=mentee)
    assert (participation.role, participation.answered_on) == ("mentee", timezone.localdate())
    assert survey_state(page=midway, user=mentee).window == SurveyWindow.OPEN


# ---- Anonymity ----


def test_no_field_of_a_response_leads_to_a_person(client, survey, pair):
    answer(client, pair.mentee.applicant, survey)
    answer(client, pair.mentor.applicant, survey)
    user_model = settings.AUTH_USER_MODEL.lower()
    for field in SurveyResponse._meta.get_fields():
        if field.is_relation:
            assert field.related_model._meta.label_lower == "wagtailcore.page", field.name
            assert field.related_model._meta.label_lower != user_model
    names = {field.name for field in SurveyResponse._meta.get_fields()}
    assert names == {"id", "form_data", "page", "submit_time", "role"}

    for response in SurveyResponse.objects.all():
        assert isinstance(response.pk, uuid.UUID)
        # Every response carries the survey's opening day, whenever it was answered.
        local = timezone.localtime(response.submit_time)
        assert (local.date(), local.time()) == (survey.opens, datetime.time(0))
        for user in (pair.mentee.applicant, pair.mentor.applicant):
            for value in (user.email, str(user.pk), user.last_name):
                assert value not in str(response.form_data)


def export(client, survey, format_="csv") -> str:
    url = reverse("wagtailforms:list_submissions", args=[survey.pk])
    response = client.get(url, {"export": format_})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_the_admin_listing_and_export_hold_no_person_and_no_time(client, survey, pair, admin):
    answer(client, pair.mentee.applicant, survey)
    answer(client, pair.mentor.applicant, survey)
    client.force_login(admin)
    listing = html(client.get(reverse("wagtailforms:list_submissions", args=[survey.pk])))
    rows = list(csv.reader(io.StringIO(export(client, survey))))

    assert rows[0] == ["Answered as"] + [label for label, _, _ in QUESTIONS]
    assert sorted(row[0] for row in rows[1:]) == ["Mentee", "Mentor"]
    assert "2026-11-10" not in listing
    for user in (pair.mentee.applicant, pair.mentor.applicant):
        for text in (listing, "\n".join(",".join(row) for row in rows)):
            assert user.email not in text
            assert user.last_name not in text
    assert "14:37" not in listing and "2:37" not in listing
    assert "14:37" not in str(rows) and ":" not in "".join(row[0] for row in rows[1:])


def test_editors_build_surveys_but_do_not_see_the_answers(client, survey, pair, admin):
    answer(client, pair.mentee.applicant, survey)
    client.force_login(member(groups=[EDITORS]))
    assert client.get(reverse("wagtailadmin_pages:edit", args=[survey.pk])).status_code == 200
    forms = html(client.get(reverse("wagtailforms:index")))
    assert survey.title not in forms
    listing = client.get(reverse("wagtailforms:list_submissions", args=[survey.pk]))
    assert listing.status_code in {302, 403}
    client.force_login(admin)
    assert survey.title in html(client.get(reverse("wagtailforms:index")))


def test_the_data_download_lists_the_surveys_answered_but_no_answers(client, survey, pair):
    mentee = pair.mentee.applicant
    answer(client, mentee, survey)
    section = member_data_export(user=mentee)["surveys_answered"]
    assert section == [
        {
            "survey": survey.title,
            "cohort": survey.get_parent().title,
            "answered_as": "mentee",
            "answered_on": "2026-11-10",
            "answers": "Not kept with your name: the answers are anonymous.",
        }
    ]


# ---- Copying into another cohort ----


def test_a_survey_is_copied_with_its_questions_and_the_targets_dates(cohort, survey, admin, home):
    target = make_cohort(home, 2027)
    copy = survey_copy_to_cohort(page=survey, cohort=target, user=admin)

    assert copy.get_parent().specific == target
    assert not copy.live
    assert (copy.kind, copy.audience, copy.slug) == (survey.kind, survey.audience, "midway")
    assert (copy.opens, copy.closes) == (datetime.date(2027, 11, 1), datetime.date(2027, 11, 30))
    assert [(f.label, f.field_type, f.choices) for f in copy.form_fields.all()] == QUESTIONS
    assert copy.get_latest_revision_as_object().opens == datetime.date(2027, 11, 1)
    survey.refresh_from_db()
    assert (survey.opens, survey.form_fields.count()) == (datetime.date(2026, 11, 1), 6)
    assert not SurveyResponse.objects.filter(page=copy).exists()

    before = Page.objects.count()
    with pytest.raises(ValidationError) as error:
        survey_copy_to_cohort(page=survey, cohort=target, user=admin)
    assert "already has a mid-way survey" in error.value.messages[0]
    with pytest.raises(PermissionDenied) as denied:
        survey_copy_to_cohort(page=survey, cohort=make_cohort(home, 2028), user=member())
    assert str(denied.value) == COPY_NOT_ALLOWED
    assert Page.objects.count() == before + 1  # only the 2028 cohort


def test_the_admin_action_asks_for_the_cohort_and_opens_the_copy(client, cohort, survey, admin):
    target = make_cohort(cohort.get_parent(), 2027)
    add_survey(make_cohort(cohort.get_parent(), 2028))  # has a mid-way survey already
    client.force_login(admin)
    url = reverse("surveys_copy_to_cohort", args=[survey.pk])
    assert url in html(client.get(reverse("wagtailadmin_pages:edit", args=[survey.pk])))
    assert url in html(client.get(reverse("wagtailadmin_explore", args=[cohort.pk])))
    assert url not in html(client.get(reverse("wagtailadmin_pages:edit", args=[cohort.pk])))
    # Wagtail's own "Copy" leads to this action.
    wagtail_copy = client.get(reverse("wagtailadmin_pages:copy", args=[survey.pk]))
    assert wagtail_copy.status_code == 302 and wagtail_copy.url == url

    form = html(client.get(url))
    assert f'<option value="{target.pk}"' in form
    assert "2028 cohort" in form and "already have a mid-way survey" in form

    response = client.post(url, {"cohort": target.pk})
    copy = SurveyPage.objects.child_of(target).get()
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[copy.pk])


def test_copying_a_cohort_to_next_year_brings_its_survey_onto_the_new_dates(cohort, survey, admin):
    copy = cohort_copy_to_next_year(cohort=cohort, user=admin)
    survey_copy = SurveyPage.objects.child_of(copy).get()
    assert [f.label for f in survey_copy.form_fields.all()] == [q[0] for q in QUESTIONS]
    assert survey_dates(page=survey_copy) == (
        datetime.date(2027, 11, 1),
        datetime.date(2027, 11, 30),
    )
    # Once an editor publishes it, the empty dates are filled from the new cohort.
    survey_copy.save_revision(user=admin).publish(user=admin)
    survey_copy.refresh_from_db()
    assert survey_copy.opens == datetime.date(2027, 11, 1)


# ---- Hostile answers ----


def test_hostile_free_text_is_stored_as_text_and_always_escaped(
    client, survey, pair, admin, hostile_inputs
):
    mentee = pair.mentee.applicant
    stored = 0
    for text in hostile_inputs:
        data = {"one_word_for_it": text[:255], "anything_else": text}
        response = answer(client, mentee, survey, data)
        assert response.status_code in {200, 302}, text[:40]
        if response.status_code == 302:
            stored += 1
            SurveyParticipation.objects.all().delete()  # so the same person answers again
        body = html(response) if response.status_code == 200 else ""
        assert "<script>alert(1)</script>" not in body
        assert "<img src=x onerror=alert(1)>" not in body
        if "<" in text and response.status_code == 200:
            assert text not in body
    assert stored == SurveyResponse.objects.count() >= 90

    # Invalid input comes back escaped in the form.
    response = answer(
        client, mentee, survey, {"would_you_recommend_it": "", "anything_else": "<b>x"}
    )
    assert "&lt;b&gt;x" in html(response)

    client.force_login(admin)
    for page_number in range(1, stored // 20 + 2):
        listing = client.get(
            reverse("wagtailforms:list_submissions", args=[survey.pk]), {"p": page_number}
        )
        assert listing.status_code == 200
        assert "<script>alert(1)</script>" not in html(listing)
    rows = list(csv.reader(io.StringIO(export(client, survey))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'=") for cell in cells)
    xlsx = client.get(
        reverse("wagtailforms:list_submissions", args=[survey.pk]), {"export": "xlsx"}
    )
    assert xlsx.status_code == 200

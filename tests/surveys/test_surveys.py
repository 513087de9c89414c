"""Evaluation surveys: where survey pages live and which dates they take, who may answer and
when, one answer each, answers that lead back to nobody (in the database) and that no admin
lists in Wagtail's Forms, copying a survey into another cohort, and hostile answers."""

import dataclasses
import datetime
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cohorts.choices import PairStatus
from cohorts.models import CohortIndexPage, CohortPage
from home.models import HomePage
from members.roles import CHAIR, COORDINATORS, EDITORS
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
from surveys.selectors.surveys import (
    survey_answered,
    survey_audience,
    survey_for,
    survey_respondent_ids,
    survey_state,
)
from surveys.services import ALREADY_ANSWERED, survey_answer
from tests.cohorts.factories import make_cohort, make_pair
from tests.factories import member
from tests.helpers import PERMISSION_DENIED, html, messages_of
from tests.surveys.factories import ANSWERS, CHICAGO, add_survey, both_member
from tests.surveys.helpers import answer

pytestmark = pytest.mark.django_db


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
        pair = make_pair(cohort)
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
    draft, ended_early, ended_late = (make_pair(cohort) for _ in range(3))
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


# Wagtail's Forms listed each response whole ("Answered as: Mentee" and its texts) to
# superusers and coordinators, past the results screen's "too few to report". No one sees a
# survey there now: the results screen is the only way to the answers.
LONE_ANSWER = "Only-one-person-wrote-this-7Q"
FORMS_SCREENS = [
    ("wagtailforms:list_submissions", {}),
    ("wagtailforms:list_submissions", {"export": "csv"}),
    ("wagtailforms:list_submissions", {"export": "xlsx"}),
    ("wagtailforms:list_submissions_results", {}),
    ("wagtailforms:delete_submissions", {}),
]


@pytest.mark.parametrize("role", ["superuser", COORDINATORS, CHAIR, EDITORS])
def test_no_one_sees_a_survey_in_the_admins_forms_superusers_included(
    client, survey, pair, admin, role
):
    answer(client, pair.mentee.applicant, survey, {"anything_else": LONE_ANSWER})
    response_id = SurveyResponse.objects.get().pk
    client.force_login(admin if role == "superuser" else member(groups=[role]))

    assert survey.title not in html(client.get(reverse("wagtailforms:index")))
    for name, query in FORMS_SCREENS:
        response = client.get(reverse(name, args=[survey.pk]), query)
        assert response.status_code == 302, (name, query)
        assert response["Location"] == reverse("wagtailadmin_home")
        assert PERMISSION_DENIED in messages_of(response)
    deleting = client.post(
        reverse("wagtailforms:delete_submissions", args=[survey.pk]),
        {"selected-submissions": [str(response_id)]},
    )
    assert deleting.status_code == 302
    assert SurveyResponse.objects.filter(pk=response_id).exists()


def test_editors_build_surveys_but_do_not_see_the_answers(client, survey, pair):
    answer(client, pair.mentee.applicant, survey)
    client.force_login(member(groups=[EDITORS]))
    assert client.get(reverse("wagtailadmin_pages:edit", args=[survey.pk])).status_code == 200
    assert client.get(reverse("cohorts_reports:survey", args=[survey.pk])).status_code == 302


def test_the_data_download_lists_the_surveys_answered_but_no_answers(client, survey, pair):
    mentee = pair.mentee.applicant
    answer(client, mentee, survey)
    section = member_data_export(user=mentee)["Surveys you answered"]
    assert section == [
        {
            "Survey": survey.title,
            "Cohort": survey.get_parent().title,
            "Answered as": "Mentee",
            "Answered on": "November 10, 2026",
            "Answers": "Not kept with your name: the answers are anonymous.",
        }
    ]

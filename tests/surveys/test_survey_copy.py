"""Copying a survey into another cohort, and hostile answers to a survey."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import Page

from cohorts.program.services.cohorts import cohort_copy_to_next_year
from surveys.models import SurveyPage, SurveyParticipation, SurveyResponse
from surveys.selectors.surveys import survey_dates
from surveys.services import COPY_NOT_ALLOWED, survey_copy_to_cohort
from tests.cohorts.factories import make_cohort
from tests.factories import member
from tests.helpers import html
from tests.surveys.factories import QUESTIONS, add_survey
from tests.surveys.helpers import answer, results_csv

pytestmark = pytest.mark.django_db


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

    # The survey results screen, the one place that shows the answers, and its CSV.
    client.force_login(admin)
    results = client.get(reverse("cohorts_reports:survey", args=[survey.pk]))
    assert results.status_code == 200
    assert "<script>alert(1)</script>" not in html(results)
    assert "<img src=x onerror=alert(1)>" not in html(results)
    cells = [cell for row in results_csv(client, survey)[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'=") for cell in cells)

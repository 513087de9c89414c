"""Every kind of bad input on the application page gets a clear message and writes nothing;
hostile text in every field is escaped and never a server error."""

import pytest
from django.utils.html import escape

from cohorts.choices import ApplicationStatus
from cohorts.models import Application
from cohorts.program.services import applications as services
from cohorts.program.services.applications import (
    ALREADY_APPLIED,
    AREA_REQUIRED,
    CAPACITY_OUT_OF_RANGE,
    CAPACITY_REQUIRED,
    COMMITMENT_REQUIRED,
    CONTACT_METHOD_REQUIRED,
    GOALS_REQUIRED,
    OFFER_REQUIRED,
    ROLE_INVALID,
    ROLE_REQUIRED,
)
from tests.cohorts.factories import ApplicationFactory
from tests.cohorts.program.applications.helpers import answers, assert_private
from tests.factories import member
from tests.helpers import html

COMPLETENESS = {
    ROLE_REQUIRED,
    AREA_REQUIRED,
    CONTACT_METHOD_REQUIRED,
    COMMITMENT_REQUIRED,
    CAPACITY_REQUIRED,
    GOALS_REQUIRED,
    OFFER_REQUIRED,
}
TEXT_FIELDS = ["goals", "offer", "availability", "avoid_pairing_with", "identity_preferences"]


# ---- Bad input -----------------------------------------------------------------------------


BAD_INPUTS = [
    (
        {
            "role": None,
            "mentee_capacity": None,
            "goals": None,
            "offer": None,
            "areas": None,
            "contact_methods": None,
            "commitment": None,
        },
        [ROLE_REQUIRED, AREA_REQUIRED, CONTACT_METHOD_REQUIRED, COMMITMENT_REQUIRED],
    ),
    (
        {"mentee_capacity": None, "goals": None, "offer": None},
        [CAPACITY_REQUIRED, GOALS_REQUIRED, OFFER_REQUIRED],
    ),
    ({"mentee_capacity": "0"}, [CAPACITY_OUT_OF_RANGE]),
    ({"mentee_capacity": "4"}, [CAPACITY_OUT_OF_RANGE]),
    ({"mentee_capacity": "two"}, [CAPACITY_OUT_OF_RANGE]),
    ({"goals": "x" * 2001}, ["Use at most 2000 characters (you used 2001)."]),
    ({"offer": "x" * 2001}, ["Use at most 2000 characters (you used 2001)."]),
    ({"availability": "x" * 301}, ["Use at most 300 characters (you used 301)."]),
    ({"avoid_pairing_with": "x" * 1001}, ["Use at most 1000 characters (you used 1001)."]),
    ({"identity_preferences": "x" * 1001}, ["Use at most 1000 characters (you used 1001)."]),
    ({"role": "admin"}, [ROLE_INVALID]),
    ({"contact_methods": ["carrier_pigeon"]}, [services.UNKNOWN_CHOICE]),
    ({"areas": ["999999"]}, [services.UNKNOWN_CHOICE]),
    ({"time_zone": "Mars/Olympus"}, [services.UNKNOWN_CHOICE]),
    ({"years_experience": "71"}, [services.YEARS_OUT_OF_RANGE]),
]
BAD_INPUT_IDS = [
    "nothing",
    "mentor-and-mentee-answers",
    "capacity-0",
    "capacity-4",
    "capacity-text",
    "goals-too-long",
    "offer-too-long",
    "availability-too-long",
    "avoid-too-long",
    "identity-too-long",
    "tampered-role",
    "tampered-contact-method",
    "tampered-area",
    "tampered-time-zone",
    "years-out-of-range",
]


# A draft may be incomplete, so the completeness cases apply to submitting only.
BAD_INPUT_CASES = [
    pytest.param(action, changes, messages, id=f"{action}-{case_id}")
    for action in ("submit", "save_draft")
    for (changes, messages), case_id in zip(BAD_INPUTS, BAD_INPUT_IDS, strict=True)
    if action == "submit" or not set(messages) <= COMPLETENESS
]


@pytest.mark.parametrize(("action", "changes", "messages"), BAD_INPUT_CASES)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    applicant_client, apply_page, areas, changes, messages, action
):
    page = apply_page
    response = applicant_client.post(page.url, answers(areas, action=action, **changes))
    assert response.status_code == 200
    assert_private(response)
    content = html(response)
    assert "Please correct the problem" in content
    for message in messages:
        assert escape(message) in content
    assert not Application.objects.exists()


def test_a_draft_with_nothing_in_it_is_allowed(applicant_client, apply_page):
    page = apply_page
    response = applicant_client.post(page.url, {"action": "save_draft", "application": ""})
    assert response.status_code == 302
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_a_second_application_is_refused_and_the_first_is_kept(
    applicant_client, applicant, apply_page, areas
):
    page = apply_page
    first = ApplicationFactory(cohort=page.cohort, applicant=applicant)
    # A form opened before the first application existed posts no application id.
    for action in ("submit", "save_draft"):
        response = applicant_client.post(page.url, answers(areas, action=action, goals="Second"))
        assert response.status_code == 200
        assert escape(ALREADY_APPLIED) in html(response)
    assert list(Application.objects.all()) == [first]
    first.refresh_from_db()
    assert first.goals == "Learn cataloguing."


def test_losing_a_race_to_create_is_a_form_error_not_a_500(
    applicant_client, applicant, apply_page, areas, monkeypatch
):
    page = apply_page
    ApplicationFactory(cohort=page.cohort, applicant=applicant, goals="The other tab")
    # The parallel request's row appears only after this request looked for one.
    monkeypatch.setattr(services, "_lock_for_change", lambda **kwargs: None)
    response = applicant_client.post(page.url, answers(areas))
    assert response.status_code == 200
    assert escape(ALREADY_APPLIED) in html(response)
    assert Application.objects.get().goals == "The other tab"


def test_an_application_id_of_someone_else_is_ignored(applicant_client, apply_page, areas):
    page = apply_page
    other = ApplicationFactory(cohort=page.cohort, applicant=member("other@example.org"))
    response = applicant_client.post(page.url, answers(areas, application=str(other.pk)))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.goals == "Learn cataloguing."
    assert Application.objects.count() == 2


# ---- Hostile text ----------------------------------------------------------------------------


def test_hostile_text_in_every_field_is_escaped_and_never_a_500(
    applicant_client, applicant, apply_page, areas, hostile_inputs
):
    page = apply_page
    application = ApplicationFactory(cohort=page.cohort, applicant=applicant)
    saved = 0
    for payload in hostile_inputs:
        data = answers(
            areas, application=str(application.pk), **dict.fromkeys(TEXT_FIELDS, payload)
        )
        response = applicant_client.post(page.url, data)
        assert response.status_code in (200, 302), payload
        pages = [response]
        if response.status_code == 302:
            saved += 1
            pages += [applicant_client.get(page.url), applicant_client.get(page.url + "?edit=1")]
        for shown in pages:
            assert shown.status_code in (200, 302), payload
            if any(char in payload for char in "<>\"'"):
                assert payload.strip() not in html(shown), payload
    # Most of the list is storable (the rest holds control characters or is too long).
    assert saved > 50


def test_hostile_withdrawal_reasons_are_escaped(
    applicant_client, applicant, apply_page, hostile_inputs
):
    page = apply_page
    application = ApplicationFactory(cohort=page.cohort, applicant=applicant)
    for payload in hostile_inputs:
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
        response = applicant_client.post(page.url, {"action": "withdraw", "reason": payload})
        assert response.status_code in (200, 302), payload
        shown = applicant_client.get(page.url)
        if any(char in payload for char in "<>\"'"):
            assert payload.strip() not in html(response), payload
            assert payload.strip() not in html(shown), payload

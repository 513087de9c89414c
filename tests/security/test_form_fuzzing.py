"""Fuzzing: hypothesis drives every public and member form with random and hostile input.

Each example POSTs one form's fields, each present or missing, each either a valid value or
junk: random text (control characters and NUL included; lone surrogates cannot be sent),
the hostile strings of tests/data/hostile-inputs.json, 10,000 characters, numbers, dates
and several values for one field. Whatever is sent:

- the answer is never a server error;
- a form re-rendered with errors wrote nothing (its target's state is unchanged);
- when the target's state changed, the row written holds what was sent (Django's forms
  strip surrounding whitespace: that is the documented normalization).

The test transaction is shared by all examples of a test, so each example compares the
state just before and just after its own request.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.forms import Form
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils import timezone
from hypothesis import example, given
from wagtail.contrib.forms.models import FormSubmission

from cohorts.choices import OPTIONAL_REMINDERS, OutboxStatus, ReminderKind
from cohorts.models import (
    Application,
    ChangeRequest,
    CheckInAnswer,
    ConfidentialNote,
    ContactLog,
    OutboxMessage,
    Pair,
    PairAgreement,
    PairDashboardPage,
    PairGoal,
    ReminderOptOut,
    SupportRequest,
)
from cohorts.outbox.services import outbox_add
from cohorts.reminders import links
from members.models import MemberProfile
from surveys.models import SurveyParticipation, SurveyResponse
from tests.cohorts.factories import (
    AreaOfInterestFactory,
    make_cohort,
    make_pair,
    open_application_page,
    pair_under_way,
)
from tests.cohorts.program.applications.helpers import answers
from tests.factories import contact_page, member
from tests.security.fuzzing import FUZZ, form_data, form_errors, sent
from tests.surveys.factories import ANSWERS, IN_WINDOW, add_survey

# Many messages from one client or member: the limits are tested in test_flood.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_lifted")]


def fuzz(client: Client, url: str, valid: dict, state, check, *, writes: bool = True) -> None:
    """POST random and hostile variants of ``valid`` to ``url``; ``state()`` reads the
    form's target, ``check(data)`` asserts that what was written is what was sent.

    First ``valid`` itself must be accepted and written (unless ``writes`` is off, for a form
    that takes one answer only), so that the check of what is written has something to do."""
    client.raise_request_exception = False
    if writes:
        before = state()
        response = client.post(url, valid)
        assert response.status_code < 400 and not form_errors(response), _errors(response)
        assert state() != before, f"the valid input to {url} wrote nothing"
        check(valid)

    @FUZZ
    @given(data=form_data(valid))
    @example(data=valid)
    def run(data):
        before = state()
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
        after = state()
        if form_errors(response):
            assert after == before, (url, data)
        if after != before:
            check(data)

    run()


def _errors(response) -> str:
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, Form) and value.errors:
                return f"{response.status_code}: {value.errors.as_data()}"
    return str(response.status_code)


def counts(*models) -> tuple[int, ...]:
    return tuple(model.objects.count() for model in models)


def latest(model):
    return model.objects.order_by("pk").last()


# The world ---------------------------------------------------------------------------------


@pytest.fixture
def pair(home):
    """A published pair of a cohort under way, with the mentoring dashboard live."""
    return pair_under_way(home)


@pytest.fixture(name="mentor_client")
def fixture_mentor_client(pair) -> Client:
    client = Client()
    client.force_login(pair.mentor.applicant)
    return client


def section_url(pair: Pair, section: str) -> str:
    dashboard = PairDashboardPage.objects.get()
    return dashboard.url + dashboard.reverse_subpage("pair_section", args=[pair.pk, section])


def dashboard_state():
    models = (ContactLog, PairGoal, ConfidentialNote, SupportRequest, ChangeRequest)
    agreement = list(PairAgreement.objects.values_list("frequency", "methods"))
    return (
        counts(*models),
        agreement,
        list(Pair.objects.values_list("status", "mentor_after_end", "mentee_after_end")),
    )


# Public and account forms ------------------------------------------------------------------


def test_contact_the_chair(client, home, django_capture_on_commit_callbacks):
    page = contact_page(home)
    valid = {
        "your_name": "Mei Haddad",
        "your_e_mail_address": "mei@example.edu",
        "your_question_is_about": "Being a mentee",
        "message": "How many hours a month?",
    }

    def check(data):
        stored = latest(FormSubmission).get_data()
        for name in ("your_name", "message"):
            assert stored[name] == sent(data, name).strip()

    with django_capture_on_commit_callbacks(execute=True):
        fuzz(client, page.url, valid, lambda: counts(FormSubmission), check)


def test_signup(client, site):
    valid = {
        "email": "new.member@example.org",
        "password1": "a-long-passphrase-7",
        "password2": "a-long-passphrase-7",
        "first_name": "Nia",
        "last_name": "Okafor",
        "member_number": "",
    }
    User = get_user_model()

    def check(data):
        user = latest(User)
        assert user.email.lower() == sent(data, "email").strip().lower()
        assert user.first_name == sent(data, "first_name").strip()
        assert user.last_name == sent(data, "last_name").strip()

    fuzz(client, reverse("account_signup"), valid, lambda: counts(User), check)


def test_profile_edit(client, site):
    user = member()
    area = AreaOfInterestFactory(name="Cataloguing")
    client.force_login(user)
    valid = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "pronouns": "she/her",
        "institution": "Riverside College Library",
        "position": "Metadata Librarian",
        "library_type": "academic",
        "career_stage": "mid",
        "years_experience": "8",
        "areas": [str(area.pk)],
        "time_zone": "America/Chicago",
        "contact_methods": ["email"],
        "bio": "Cataloger since 2008.",
    }

    def state():
        profile = MemberProfile.objects.filter(user=user).values().get()
        names = get_user_model().objects.filter(pk=user.pk).values("first_name", "last_name")
        return profile, names.get()

    def check(data):
        user.refresh_from_db()
        profile = MemberProfile.objects.get(user=user)
        assert user.first_name == sent(data, "first_name").strip()
        assert profile.institution == sent(data, "institution").strip()
        assert profile.bio == sent(data, "bio").strip()

    fuzz(client, reverse("member_profile_edit"), valid, state, check)


def test_application_form(client, home):
    page = open_application_page(home)
    area = AreaOfInterestFactory(name="Leadership")
    applicant = member("ada.applicant@example.org", career_stage="mid", years_experience=8)
    client.force_login(applicant)
    valid = answers([area])

    def state():
        return list(Application.objects.values_list("status", "role", "goals", "offer"))

    def check(data):
        application = latest(Application)
        if sent(data, "action") in ("submit", "save_draft") and "goals" in data:
            assert application.goals in ("", sent(data, "goals").strip())
        assert application.applicant == applicant

    fuzz(client, page.url, valid, state, check)


# The pair dashboard ------------------------------------------------------------------------

DASHBOARD_FORMS = {
    "contacts": (
        {
            "date": str(timezone.localdate() - datetime.timedelta(days=3)),
            "minutes": "45",
            "method": "virtual",
            "conference": "",
            "summary": "We talked about RDA.",
        },
        ContactLog,
        "summary",
        "summary",
    ),
    "agreement": ({"frequency": "Every other week", "methods": ["virtual"]}, None, "", ""),
    "goals": ({"text": "Learn RDA."}, PairGoal, "text", "text"),
    "notes": ({"text": "Ask about Midwinter.", "shared": "on"}, None, "", ""),
    "support": ({"message": "Could someone call us?"}, SupportRequest, "message", "message"),
    "change": (
        {"message": "Our schedules never meet.", "confirmed": "1"},
        ChangeRequest,
        "reason",
        "message",
    ),
    "end": ({"choice": "continue"}, None, "", ""),
}


@pytest.mark.parametrize("section", DASHBOARD_FORMS)
def test_pair_dashboard_form(
    section, pair, mentor_client, django_capture_on_commit_callbacks, time_machine
):
    valid, model, attribute, field = DASHBOARD_FORMS[section]
    if section == "end":  # the choice opens once the formal mentoring period is over
        time_machine.move_to(pair.cohort.formal_end + datetime.timedelta(days=2))
        mentor_client.force_login(pair.mentor.applicant)  # months later: a new session

    def check(data):
        if section == "agreement":
            agreement = PairAgreement.objects.get(pair=pair)
            assert agreement.frequency == sent(data, "frequency").strip()
        elif model is not None and latest(model) is not None:
            assert getattr(latest(model), attribute) == sent(data, field).strip()

    with django_capture_on_commit_callbacks(execute=True):
        fuzz(mentor_client, section_url(pair, section), valid, dashboard_state, check)


# E-mail pages and surveys ------------------------------------------------------------------


def test_checkin_answer(client, pair):
    mentee = pair.mentee.applicant
    [message_id] = outbox_add(
        kind=ReminderKind.CHECKIN,
        cohort=pair.cohort,
        period="q1",
        recipients=[(mentee.pk, pair.pk)],
    )
    # A check-in link answers once the message has been sent.
    OutboxMessage.objects.filter(pk=message_id).update(status=OutboxStatus.SENT)
    url = links.checkin_path(message_id=message_id, answer="going_well")

    def state():
        return list(CheckInAnswer.objects.values_list("answer", "comment"))

    def check(data):
        answer = latest(CheckInAnswer)
        assert answer.answer == sent(data, "answer")
        assert answer.comment == sent(data, "comment").strip()

    valid = {"answer": "going_well", "comment": "All good."}
    fuzz(client, url, valid, state, check)


def test_reminder_preferences(client, pair):
    user = pair.mentor.applicant
    client.force_login(user)
    kinds = sorted(OPTIONAL_REMINDERS)

    def state():
        return set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))

    def check(data):
        ticked = {kind for kind in kinds if sent(data, kind).lower() not in ("", "false")}
        assert state() == set(kinds) - ticked

    valid = dict.fromkeys(kinds[1:], "on")
    fuzz(client, reverse("reminder_preferences"), valid, state, check)


def test_survey_page(client, home, time_machine):
    time_machine.move_to(IN_WINDOW, tick=False)
    cohort = make_cohort(home, 2026)
    pair = make_pair(cohort, mentor=member("mentor@example.org"), mentee=member())
    survey = add_survey(cohort)
    client.force_login(pair.mentor.applicant)

    def check(data):
        # One answer per person: who answered in one table, the answers (unlinked) in another.
        assert SurveyParticipation.objects.get().user == pair.mentor.applicant
        stored = SurveyResponse.objects.get().get_data()
        for name in ("one_word_for_it", "anything_else"):
            assert stored[name] == sent(data, name).strip()

    state = lambda: counts(SurveyResponse, SurveyParticipation)  # noqa: E731
    fuzz(client, survey.url, ANSWERS, state, check)


# Self-check: the harness catches a server error and a half-written row ----------------------


def crashing_view(request):
    if len(request.POST.get("name", "")) > 3:
        raise RuntimeError("a deliberately broken view")
    return HttpResponse("ok")


def half_writing_view(request):
    """Writes a row, then re-renders the form with errors."""

    class NameForm(Form):
        pass

    form = NameForm(request.POST)
    form.add_error(None, "refused")
    Group.objects.get_or_create(name="half-written")
    template = engines["django"].from_string("{{ form }}")
    return HttpResponse(template.render({"form": form}, request))


urlpatterns = [path("crash/", crashing_view), path("half/", half_writing_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_the_harness_catches_a_server_error(client):
    with pytest.raises(AssertionError):
        fuzz(client, "/crash/", {"name": "Ada Lovelace"}, lambda: 0, lambda data: None)


@override_settings(ROOT_URLCONF=__name__)
def test_the_harness_catches_a_half_written_row(client):
    with pytest.raises(AssertionError):
        fuzz(client, "/half/", {"name": "Ada"}, lambda: counts(Group), lambda data: None)

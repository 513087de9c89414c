"""Data retention: when a cohort's personal data goes, that erasing takes exactly that cohort's
personal data and keeps its figures, that the reports read the same before and after, that
it runs once, that the daily task takes only the cohorts due, the coordinators' screen (counts
only, coordinators only), the schedule and the setting. The contact form's messages:
test_contact_retention.py."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_q.models import Schedule

from cohorts.choices import (
    ApplicationStatus,
    ChangeRequestStatus,
    PairStatus,
    ReminderKind,
    RetentionStatus,
    Role,
)
from cohorts.models import (
    Announcement,
    Application,
    ChangeRequest,
    CheckInAnswer,
    CohortFigures,
    CohortPage,
    ConfidentialNote,
    ContactLog,
    DispatchMark,
    MatchingSettings,
    MatchSuggestion,
    OutboxMessage,
    Pair,
    PairAgreement,
    PairGoal,
    PairingComment,
    PairViewLog,
    SupportRequest,
)
from cohorts.pairs.services.notes import note_add
from cohorts.program.selectors import cohort_closed_on
from cohorts.reports.selectors.reports import cohort_report, reports_compare
from cohorts.reports.selectors.retention import (
    add_years,
    cohorts_due_for_erasure,
    erasure_counts,
    retention_erase_on,
    retention_overview,
)
from cohorts.reports.services import cohort_personal_data_erase
from members.roles import CHAIR, COORDINATORS, EDITORS
from surveys.choices import RespondentRole, SurveyKind
from surveys.models import SurveyParticipation, SurveyResponse
from tests.cohorts.factories import apply, checkin, contact, make_cohort, make_pair
from tests.cohorts.reports.helpers import CHICAGO, SCREEN, run_daily_task, screen
from tests.factories import member
from tests.helpers import aware, settings_with
from tests.surveys.factories import add_survey

pytestmark = pytest.mark.django_db

COMPARE = "cohorts_reports:compare"
COMPARE_CSV = "cohorts_reports:compare_csv"
REPORT = "cohorts_reports:cohort"
# The 2024 cohort's final survey closes on May 15, 2025: with three years kept, its personal
# data goes on May 16, 2028. The 2025 cohort's goes a year later.
ERASE_2024 = datetime.date(2028, 5, 16)
NOTE_TEXT = "Private worry about my mentee's job search"
SUMMARY_TEXT = "Talked through the cataloguing backlog"


# The world --------------------------------------------------------------------------------------


def fill(cohort, *, pairs: int, shared_user=None) -> list[Pair]:
    """Published pairs with a contact each (the first with a summary and a note), a
    check-in, an agreement, a goal, a request for help and a view log line; an approved
    change of partner that ended the last pair early; a withdrawn application; a suggestion,
    a comment and a matching run's unmatched; a final survey answered by the mentors of the
    other pairs; an announcement and a dispatched check-in."""
    made = [
        make_pair(cohort, record_only=True, published_at=aware(cohort.formal_start.year, 5, 1))
    ]
    made += [
        make_pair(cohort, record_only=True, published_at=aware(cohort.formal_start.year, 5, 20))
    ]
    made += [make_pair(cohort, record_only=True) for _ in range(pairs - 2)]
    if shared_user is not None:
        Application.objects.filter(pk=made[0].mentor_id).update(applicant=shared_user)
        made[0].refresh_from_db()
    day = cohort.formal_start + datetime.timedelta(days=30)
    for number, pair in enumerate(made):
        summary = SUMMARY_TEXT if number == 0 else ""
        contact(pair, minutes=60 + number, day=day, method="virtual", summary=summary)
        checkin(cohort, pair, pair.mentee.applicant, "q1", "going_well")
        PairAgreement.objects.create(pair=pair, frequency="Monthly")
        PairGoal.objects.create(pair=pair, text="Finish the project")
        SupportRequest.objects.create(pair=pair, author=pair.mentee.applicant, message="Help")
        PairViewLog.objects.create(pair=pair, what="record")
    note_add(pair=made[0], user=made[0].mentee.applicant, text=NOTE_TEXT)
    ChangeRequest.objects.create(
        pair=made[-1], reason="Moving on.", status=ChangeRequestStatus.APPROVED
    )
    Pair.objects.filter(pk=made[-1].pk).update(
        status=PairStatus.ENDED, ended_at=aware(cohort.formal_start.year, 9, 1)
    )
    apply(cohort, status=ApplicationStatus.WITHDRAWN, withdraw_reason="Too busy")
    mentor = apply(cohort, role=Role.MENTOR, mentee_capacity=1)
    mentee = apply(cohort, avoid_pairing_with="Someone")
    MatchSuggestion.objects.create(cohort=cohort, mentor=mentor, mentee=mentee, score=3)
    PairingComment.objects.create(cohort=cohort, mentor=mentor, mentee=mentee, body="Good fit")
    MatchingSettings.objects.create(
        cohort=cohort, unmatched={"mentees": {str(mentee.pk): ["no compatible mentor"]}}
    )
    survey = add_survey(cohort, kind=SurveyKind.FINAL)
    for pair in made[:-1]:
        SurveyParticipation.objects.create(
            page=survey,
            user=pair.mentor.applicant,
            role=RespondentRole.MENTOR,
            answered_on=cohort.final_survey_opens,
        )
        SurveyResponse.objects.create(
            page=survey,
            role=RespondentRole.MENTOR,
            form_data={"how_useful_was_the_program_so_far": "4"},
            submit_time=aware(cohort.final_survey_opens.year, 4, 1, 0),
        )
    Announcement.objects.create(cohort=cohort, subject="Welcome", body="Hello all.")
    DispatchMark.objects.create(kind=ReminderKind.CHECKIN, cohort=cohort, period="q1")
    return made


@pytest.fixture
def shared_user(site):
    """A member who mentored in 2024 and mentors again in 2025."""
    return member("twice@example.org")


@pytest.fixture
def cohort(home, shared_user) -> CohortPage:
    cohort = make_cohort(home, 2024)
    fill(cohort, pairs=4, shared_user=shared_user)
    return CohortPage.objects.get(pk=cohort.pk)


@pytest.fixture
def other_cohort(home, cohort, shared_user) -> CohortPage:
    other = make_cohort(home, 2025)
    fill(other, pairs=3, shared_user=shared_user)
    return CohortPage.objects.get(pk=other.pk)


@pytest.fixture
def coordinator(site):
    return member("coordinator@example.org", groups=[COORDINATORS])


def personal_data(cohort) -> dict[str, int]:
    """How many rows of each kind of personal data ``cohort`` holds."""
    by_pair = {"pair__cohort": cohort}
    return {
        "applications": Application.objects.filter(cohort=cohort).count(),
        "pairs": Pair.objects.filter(cohort=cohort).count(),
        "contacts": ContactLog.objects.filter(**by_pair).count(),
        "notes": ConfidentialNote.objects.filter(**by_pair).count(),
        "agreements": PairAgreement.objects.filter(**by_pair).count(),
        "goals": PairGoal.objects.filter(**by_pair).count(),
        "support": SupportRequest.objects.filter(**by_pair).count(),
        "changes": ChangeRequest.objects.filter(**by_pair).count(),
        "view_log": PairViewLog.objects.filter(**by_pair).count(),
        "checkins": CheckInAnswer.objects.filter(cohort=cohort).count(),
        "emails": OutboxMessage.objects.filter(cohort=cohort).count(),
        "suggestions": MatchSuggestion.objects.filter(cohort=cohort).count(),
        "comments": PairingComment.objects.filter(cohort=cohort).count(),
        "survey_links": SurveyParticipation.objects.filter(
            page__path__startswith=cohort.path
        ).count(),
    }


def anonymous_data(cohort) -> dict[str, int]:
    """What erasing keeps: anonymous answers, announcements, the dispatcher's marks."""
    return {
        "responses": SurveyResponse.objects.filter(page__path__startswith=cohort.path).count(),
        "announcements": Announcement.objects.filter(cohort=cohort).count(),
        "marks": DispatchMark.objects.filter(cohort=cohort).count(),
    }


def compare_table(client) -> str:
    body = client.get(reverse(COMPARE)).content.decode()
    return re.search(
        r'<table class="listing report-table report-compare">.*?</table>', body, re.S
    )[0]


# When --------------------------------------------------------------------------------------------


def test_a_cohort_closes_with_its_last_survey_and_goes_the_day_after_the_anniversary(
    home, settings
):
    cohort = make_cohort(home, 2024)
    assert cohort.formal_end == datetime.date(2025, 4, 30)
    assert cohort_closed_on(cohort=cohort) == datetime.date(2025, 5, 15)
    assert retention_erase_on(cohort=cohort) == ERASE_2024
    settings.RETENTION_YEARS = 1
    assert retention_erase_on(cohort=cohort) == datetime.date(2026, 5, 16)

    cohort.final_survey_closes = datetime.date(2025, 4, 20)
    assert cohort_closed_on(cohort=cohort) == cohort.formal_end


def test_february_29_becomes_february_28():
    assert add_years(datetime.date(2028, 2, 29), 3) == datetime.date(2031, 2, 28)
    assert add_years(datetime.date(2028, 2, 29), 4) == datetime.date(2032, 2, 29)


# Erasing one cohort ------------------------------------------------------------------------------


def test_erasing_takes_exactly_that_cohorts_personal_data(cohort, other_cohort, shared_user):
    before = personal_data(cohort)
    assert all(before.values()), before
    others_before = personal_data(other_cohort)
    kept_before = anonymous_data(cohort)
    people = get_user_model().objects.count()

    cohort_personal_data_erase(cohort=cohort, today=ERASE_2024)

    assert set(personal_data(cohort).values()) == {0}
    assert personal_data(other_cohort) == others_before
    assert anonymous_data(cohort) == kept_before
    assert MatchingSettings.objects.get(cohort=cohort).unmatched == {}
    assert MatchingSettings.objects.get(cohort=other_cohort).unmatched != {}
    # Accounts, the cohort page and the shared member's later year stay.
    assert get_user_model().objects.count() == people
    assert CohortPage.objects.filter(pk=cohort.pk).exists()
    assert Application.objects.filter(cohort=other_cohort, applicant=shared_user).exists()


def test_the_figures_are_stored_with_what_was_erased(cohort, other_cohort):
    counts = erasure_counts(cohorts=[cohort])[cohort.pk]
    report = cohort_report(cohort=cohort)

    figures = cohort_personal_data_erase(cohort=cohort, today=ERASE_2024)

    assert figures.cohort == cohort and figures.cohort_title == "2024 cohort"
    assert figures.program_year == 2024 and figures.closed_on == datetime.date(2025, 5, 15)
    assert figures.erased_at is not None
    assert (figures.formed, figures.ended_early, figures.approved_changes) == (4, 1, 1)
    assert figures.contacts == 4 and figures.minutes == 60 + 61 + 62 + 63
    assert figures.minutes == report.minutes
    # Every published pair's two members were invited; three mentors answered.
    rates = [(rate["survey"], rate["invited"], rate["responses"]) for rate in figures.surveys]
    assert rates == [("Final survey", 6, 3)]
    assert figures.erased == counts.as_dict()
    assert figures.erased == {
        "applications": 11,
        "pairs": 4,
        "contacts": 4,
        "contact_summaries": 1,
        "notes": 1,
        "checkin_answers": 4,
        "survey_links": 3,
        "emails": 4,
    }
    # Nothing a member wrote is in the figures.
    stored = str(CohortFigures.objects.filter(pk=figures.pk).values().get())
    for text in (NOTE_TEXT, SUMMARY_TEXT, "Too busy", "Help", "Good fit", "twice@example.org"):
        assert text not in stored


def test_the_figures_outlive_the_cohort_page(cohort):
    figures = cohort_personal_data_erase(cohort=cohort, today=ERASE_2024)
    cohort.delete()
    figures.refresh_from_db()
    assert figures.cohort is None and figures.cohort_title == "2024 cohort"


def test_the_reports_read_the_same_before_and_after(client, coordinator, cohort, other_cohort):
    cohorts = [other_cohort, cohort]
    client.force_login(coordinator)
    compared = reports_compare(cohorts=cohorts)
    figures = cohort_report(cohort=cohort).figures()
    table, csv = compare_table(client), client.get(reverse(COMPARE_CSV)).content
    assert "Final survey: responses" in table

    cohort_personal_data_erase(cohort=cohort, today=ERASE_2024)

    assert reports_compare(cohorts=cohorts) == compared
    assert cohort_report(cohort=cohort).figures() == figures
    assert compare_table(client) == table
    assert client.get(reverse(COMPARE_CSV)).content == csv
    page = client.get(reverse(REPORT, args=[cohort.pk])).content.decode()
    assert "personal data was erased on" in page


def test_erasing_runs_once(cohort, django_assert_num_queries):
    first = cohort_personal_data_erase(cohort=cohort, today=ERASE_2024)
    with django_assert_num_queries(1):
        again = cohort_personal_data_erase(cohort=cohort, today=ERASE_2024 + datetime.timedelta(1))
    assert again == first
    assert CohortFigures.objects.count() == 1
    assert CohortFigures.objects.get().erased_at == first.erased_at


def test_a_cohort_is_not_erased_before_its_day(cohort):
    before = personal_data(cohort)
    with pytest.raises(ValidationError) as refused:
        cohort_personal_data_erase(cohort=cohort, today=ERASE_2024 - datetime.timedelta(days=1))
    assert refused.value.code == "not_due"
    assert refused.value.messages == [
        "The personal data of 2024 cohort is kept until May 15, 2028 and cannot be erased "
        "before then."
    ]
    assert personal_data(cohort) == before
    assert not CohortFigures.objects.exists()


# The daily task ----------------------------------------------------------------------------------


def test_the_daily_task_erases_only_the_cohorts_due(
    cohort, other_cohort, time_machine, django_capture_on_commit_callbacks
):
    others_before = personal_data(other_cohort)
    time_machine.move_to(datetime.datetime(2028, 5, 15, 23, 0, tzinfo=CHICAGO), tick=False)
    assert run_daily_task(django_capture_on_commit_callbacks) == []
    assert not CohortFigures.objects.exists()

    time_machine.move_to(datetime.datetime(2028, 5, 16, 3, 0, tzinfo=CHICAGO), tick=False)
    assert cohorts_due_for_erasure() == [cohort]
    assert run_daily_task(django_capture_on_commit_callbacks) == [cohort.pk]

    assert CohortFigures.objects.get().cohort == cohort
    assert set(personal_data(cohort).values()) == {0}
    assert personal_data(other_cohort) == others_before
    # The next day finds nothing more to do.
    time_machine.move_to(datetime.datetime(2028, 5, 17, 3, 0, tzinfo=CHICAGO), tick=False)
    assert run_daily_task(django_capture_on_commit_callbacks) == []

    time_machine.move_to(datetime.datetime(2029, 5, 16, 3, 0, tzinfo=CHICAGO), tick=False)
    assert run_daily_task(django_capture_on_commit_callbacks) == [other_cohort.pk]
    assert CohortFigures.objects.count() == 2


def test_setup_schedules_declares_the_daily_erasure_once():
    call_command("setup_schedules", stdout=io.StringIO())
    output = io.StringIO()
    call_command("setup_schedules", stdout=output)
    assert "Updated schedule: Erase personal data past retention" in output.getvalue()
    schedules = Schedule.objects.filter(func="cohorts.reports.tasks.retention_erase_due")
    assert schedules.count() == 1
    assert schedules.get().schedule_type == Schedule.DAILY
    assert schedules.get().repeats == -1
    assert Schedule.objects.filter(func="cohorts.reminders.tasks.reminders_dispatch").exists()


# The coordinators' screen ------------------------------------------------------------------------


def row_of(body: str, title: str) -> list[str]:
    row = re.search(
        rf'<tr class="retention-[a-z_]+">\s*<th scope="row">{title}</th>(.*?)</tr>', body, re.S
    )
    return [
        re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row[1], re.S)
    ]


def test_the_screen_lists_each_cohort_with_its_dates_status_and_counts(
    client, coordinator, cohort, other_cohort, time_machine
):
    body = screen(
        client, coordinator, time_machine, datetime.datetime(2028, 4, 20, 9, tzinfo=CHICAGO)
    )

    assert row_of(body, "2024 cohort") == [
        "May 15, 2025",
        "May 16, 2028",
        "Due within 30 days",
        "11",
        "4",
        "4 (1)",
        "1",
        "4",
        "3",
        "4",
    ]
    assert row_of(body, "2025 cohort")[:4] == ["May 15, 2026", "May 16, 2029", "Kept", "9"]
    assert "<strong>1</strong> cohort is due to be erased within 30 days" in body
    assert body.index(">2025 cohort</th>") < body.index(">2024 cohort</th>")

    body = screen(
        client, coordinator, time_machine, datetime.datetime(2028, 5, 16, 1, tzinfo=CHICAGO)
    )
    assert row_of(body, "2024 cohort")[2] == "Due: erased at the next daily run"

    cohort_personal_data_erase(cohort=cohort)
    body = screen(
        client, coordinator, time_machine, datetime.datetime(2028, 5, 16, 9, tzinfo=CHICAGO)
    )
    assert row_of(body, "2024 cohort") == [
        "May 15, 2025",
        "May 16, 2028",
        "Erased on May 16, 2028",
        "11",
        "4",
        "4 (1)",
        "1",
        "4",
        "3",
        "4",
    ]
    assert "due to be erased" not in body


def test_the_screen_shows_counts_and_nothing_members_wrote(client, coordinator, cohort):
    client.force_login(coordinator)
    body = client.get(reverse(SCREEN)).content.decode()
    for text in (NOTE_TEXT, SUMMARY_TEXT, "Too busy", "Good fit", "twice@example.org", "Mina"):
        assert text not in body


def test_the_screen_takes_the_same_queries_for_more_cohorts(client, coordinator, cohort, home):
    client.force_login(coordinator)
    client.get(reverse(SCREEN))  # the first request fills Django's content-type cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(SCREEN))
    fill(make_cohort(home, 2026), pairs=2)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse(SCREEN))
    assert len(more) == len(few)
    rows = retention_overview(today=ERASE_2024)
    assert [row.status for row in rows] == [RetentionStatus.KEPT, RetentionStatus.DUE]


def test_only_coordinators_and_the_chair_see_the_screen(client, site):
    url = reverse(SCREEN)
    for role in (COORDINATORS, CHAIR):
        client.force_login(member(groups=[role]))
        assert client.get(url).status_code == 200, role
        assert client.post(url).status_code == 405, role
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (member("editor@example.org", groups=[EDITORS]), member("plain@example.org")):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in {302, 403}, user
        assert b"Data retention" not in response.content


# The setting -------------------------------------------------------------------------------------


def test_retention_years_defaults_to_three_and_refuses_anything_but_a_whole_number(settings):
    assert settings.RETENTION_YEARS == 3
    for value in ("0", "-1", "three", "2.5"):
        shown = settings_with("portal.settings.dev", RETENTION_YEARS=value)
        assert shown["error"].endswith(
            f"RETENTION_YEARS must be a whole number of years, 1 or more (it is {value!r})."
        ), value
    assert "error" not in settings_with("portal.settings.dev", RETENTION_YEARS="7")

"""A whole cohort year, day by day: the dispatcher runs each morning as its schedule would,
the people apply, are paired, meet (or not), change partner, answer a survey and opt out
along the way, and each person's inbox ends up holding exactly the e-mails the program owes
them, on the day they are due, once. A second run covers a five-day outage of the worker."""

import datetime
import re
from collections import defaultdict

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cohorts.choices import ApplicationStatus, ReminderKind, Role
from cohorts.matching.services import pair_by_hand, pairs_publish
from cohorts.models import Application, DispatchMark, OutboxMessage, Pair
from cohorts.pairs.services.pairs import (
    change_request_consent,
    change_request_create,
    change_request_decide,
    contact_add,
)
from cohorts.program.services.applications import (
    ApplicationAnswers,
    application_submit,
    application_withdraw,
)
from cohorts.reminders.services.dispatch import reminders_dispatch
from cohorts.reminders.services.reminders import reminder_opt_outs_set
from members.roles import COORDINATORS
from surveys.choices import SurveyKind
from surveys.services import survey_answer
from tests.cohorts.factories import ApplicationPageFactory, AreaOfInterestFactory, make_cohort
from tests.factories import member
from tests.surveys.factories import ANSWERS, add_survey

pytestmark = pytest.mark.django_db

K = ReminderKind
YEAR = 2027
MESSAGE_ID = re.compile(r"<outbox\.(\d+)\.(\w+)@")


def day(month: int, day_of_month: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, day_of_month)


def morning(date: datetime.date) -> datetime.datetime:
    """09:00 in the site's time zone: after REMINDERS_SEND_HOUR, as a schedule run would be."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(9)))


class Year:
    """The cohort, its people and what happens to them, by date."""

    def __init__(self, home):
        self.cohort = make_cohort(home, YEAR)
        ApplicationPageFactory(parent=self.cohort)
        self.midway = add_survey(self.cohort, kind=SurveyKind.MIDWAY)
        add_survey(self.cohort, kind=SurveyKind.FINAL)
        self.area = AreaOfInterestFactory(name="Cataloguing")
        self.coordinator = member("coordinator@example.org", groups=[COORDINATORS])
        self.never_applies = member("never@example.org")
        self.opted_out = member("optout@example.org")
        self.withdraws = member("withdraws@example.org")
        self.pending = member("pending@example.org", status="pending")
        self.mentors = [member(f"mentor{n}@example.org") for n in (1, 2, 3)]
        self.mentees = [member(f"mentee{n}@example.org") for n in (1, 2, 3)]
        self.events = {
            day(1, 20): self.apply_early,
            day(3, 10): self.apply_late,
            day(5, 12): self.pair_and_publish,
            day(6, 10): self.first_pair_meets,
            day(8, 1): self.second_mentee_opts_out,
            day(9, 15): self.third_pair_changes_partner,
            day(11, 10): self.first_mentor_answers_the_midway_survey,
        }

    def apply(self, user, role: str) -> None:
        answers = ApplicationAnswers(
            role=role,
            mentee_capacity=1 if role == Role.MENTOR else None,
            areas=[self.area],
            goals="Learn cataloguing." if role == Role.MENTEE else "",
            offer="Twenty years of cataloguing." if role == Role.MENTOR else "",
            contact_methods=["email"],
            commitment=True,
        )
        application_submit(cohort=self.cohort, user=user, answers=answers, application=None)

    def apply_early(self) -> None:
        for user in self.mentors:
            self.apply(user, Role.MENTOR)
        for user in self.mentees[:2]:
            self.apply(user, Role.MENTEE)
        self.apply(self.withdraws, Role.MENTEE)
        application_withdraw(cohort=self.cohort, user=self.withdraws)
        reminder_opt_outs_set(user=self.opted_out, kinds_off={K.DEADLINE_APPROACHING})

    def apply_late(self) -> None:
        # After the first deadline reminder, before the last.
        self.apply(self.mentees[2], Role.MENTEE)

    def pair_and_publish(self) -> None:
        Application.objects.filter(cohort=self.cohort).exclude(
            status=ApplicationStatus.WITHDRAWN
        ).update(status=ApplicationStatus.ACCEPTED)
        for mentor, mentee in zip(self.mentors, self.mentees, strict=True):
            pair_by_hand(
                cohort=self.cohort,
                mentor_id=mentor.applications.get().pk,
                mentee_id=mentee.applications.get().pk,
                user=self.coordinator,
            )
        pairs_publish(cohort=self.cohort, user=self.coordinator)

    def pair_of(self, n: int):
        return Pair.objects.get(mentor__applicant=self.mentors[n])

    def first_pair_meets(self) -> None:
        pair = self.pair_of(0)
        contact_add(pair=pair, user=self.mentees[0], date=day(6, 9), minutes=150, method="virtual")

    def second_mentee_opts_out(self) -> None:
        reminder_opt_outs_set(user=self.mentees[1], kinds_off={K.BEHIND_ON_CONTACT})

    def first_mentor_answers_the_midway_survey(self) -> None:
        survey_answer(page=self.midway, user=self.mentors[0], role="mentor", answers=ANSWERS)

    def third_pair_changes_partner(self) -> None:
        pair = self.pair_of(2)
        mentee, mentor = self.mentees[2], self.mentors[2]
        change = change_request_create(pair=pair, user=mentee, reason="Other plans.")
        change_request_consent(pair=pair, user=mentor, change_id=change.pk, consent=True)
        change_request_decide(change_id=change.pk, coordinator=self.coordinator, approve=True)


def run_year(home, django_capture_on_commit_callbacks, *, down: set[datetime.date] = frozenset()):
    """Every day from the new year to the summer after the end: the day's events, then the
    dispatcher (unless the worker is down). Returns {address: [(kind, date), ...]}."""
    year = Year(home)
    received: dict[str, list] = defaultdict(list)
    date, last = day(1, 1), day(7, 31, YEAR + 1)
    with time_machine.travel(morning(date), tick=False) as traveller:
        while date <= last:
            traveller.move_to(morning(date))
            mail.outbox.clear()
            worker_up = date not in down
            # With the worker down, tasks queued on commit never run: only the outbox rows
            # remain, for the dispatcher to find when the worker is back.
            with django_capture_on_commit_callbacks(execute=worker_up):
                if date in year.events:
                    year.events[date]()
            if worker_up:
                reminders_dispatch()
            for message in mail.outbox:
                kind = MESSAGE_ID.search(message.extra_headers["Message-ID"])[2]
                received[message.to[0]].append((kind, date))
            date += datetime.timedelta(days=1)
    return year, received


def expected_inboxes() -> dict[str, list]:
    """What each person is owed, on the day it is due (the dispatcher runs each morning)."""
    participant = [
        (K.MATCHED, day(5, 12)),
        (K.ORIENTATION, day(5, 13)),
        (K.ORIENTATION, day(5, 19)),
        (K.PROGRAM_STARTS, day(6, 1)),
        (K.CHECKIN, day(9, 1)),
    ]
    rest_of_year = [
        (K.SURVEY_OPEN, day(11, 1)),
        (K.CHECKIN, day(12, 1)),
        (K.CHECKIN, day(3, 1, YEAR + 1)),
        (K.SURVEY_OPEN, day(4, 1, YEAR + 1)),
        (K.PROGRAM_ENDS, day(4, 30, YEAR + 1)),
        (K.SURVEY_REMINDER, day(5, 8, YEAR + 1)),
    ]
    behind = [(K.BEHIND_ON_CONTACT, day(11, 15)), (K.BEHIND_ON_CONTACT, day(2, 28, YEAR + 1))]
    opened = [(K.APPLICATIONS_OPEN, day(1, 15))]
    deadline = [(K.DEADLINE_APPROACHING, day(3, 8)), (K.DEADLINE_APPROACHING, day(3, 14))]
    received = [(K.APPLICATION_RECEIVED, day(1, 20))]
    change = [(K.CHANGE_APPROVED, day(9, 15))]
    midway_reminder = [(K.SURVEY_REMINDER, day(11, 23))]
    return {
        "coordinator@example.org": [*opened, *deadline, (K.CHANGE_APPROVAL, day(9, 15))],
        "never@example.org": [*opened, *deadline],
        "optout@example.org": opened,
        "withdraws@example.org": [*opened, *received],
        # Answered the mid-way survey before its reminder.
        "mentor1@example.org": [*opened, *received, *participant, *rest_of_year],
        "mentee1@example.org": [
            *opened,
            *received,
            *participant,
            *rest_of_year,
            *midway_reminder,
        ],
        "mentor2@example.org": [
            *opened,
            *received,
            *participant,
            *rest_of_year,
            *midway_reminder,
            *behind,
        ],
        # Turned "behind on contact" off in August.
        "mentee2@example.org": [
            *opened,
            *received,
            *participant,
            *rest_of_year,
            *midway_reminder,
        ],
        # Asked to change partner in September: consent, approval and the end, then nothing.
        "mentor3@example.org": [
            *opened,
            *received,
            *participant,
            (K.CHANGE_CONSENT, day(9, 15)),
            *change,
        ],
        "mentee3@example.org": [
            *opened,
            (K.DEADLINE_APPROACHING, day(3, 8)),
            (K.APPLICATION_RECEIVED, day(3, 10)),
            *participant,
            (K.CHANGE_AGREED, day(9, 15)),
            *change,
        ],
    }


def as_sorted(inboxes: dict[str, list]) -> dict[str, list]:
    return {
        email: sorted((str(kind), date) for kind, date in found)
        for email, found in inboxes.items()
    }


def test_a_whole_year_sends_each_person_exactly_what_they_are_owed(
    home, django_capture_on_commit_callbacks
):
    year, received = run_year(home, django_capture_on_commit_callbacks)

    assert as_sorted(received) == as_sorted(expected_inboxes())
    assert "pending@example.org" not in received
    rows = OutboxMessage.objects.all()
    assert not rows.filter(status__in=["queued", "sending", "failed"]).exists()
    suppressed = rows.filter(status="suppressed").values_list("recipient__email", "kind")
    assert sorted(suppressed) == [
        ("mentee2@example.org", K.BEHIND_ON_CONTACT),
        ("mentee2@example.org", K.BEHIND_ON_CONTACT),
        ("optout@example.org", K.DEADLINE_APPROACHING),
        ("optout@example.org", K.DEADLINE_APPROACHING),
    ]


def test_after_five_days_down_each_due_reminder_goes_out_once_and_late(
    home, django_capture_on_commit_callbacks
):
    # Down from August 30 to September 3: the first check-in (September 1) is due while
    # nothing runs. Down May 10-14: the matched e-mails (May 12) and the first orientation
    # reminder (May 13) wait for the worker.
    down = {day(8, 30) + datetime.timedelta(days=n) for n in range(5)}
    down |= {day(5, 10) + datetime.timedelta(days=n) for n in range(5)}
    year, received = run_year(home, django_capture_on_commit_callbacks, down=down)

    late = {
        (K.CHECKIN, day(9, 1)): day(9, 4),
        (K.MATCHED, day(5, 12)): day(5, 15),
        (K.ORIENTATION, day(5, 13)): day(5, 15),
    }
    expected = {
        email: [(kind, late.get((kind, date), date)) for kind, date in found]
        for email, found in expected_inboxes().items()
    }
    assert as_sorted(received) == as_sorted(expected)
    # A second dispatcher run on the same day, and one the next day, send nothing more.
    with time_machine.travel(morning(day(9, 4)), tick=False):
        mail.outbox.clear()
        reminders_dispatch()
        reminders_dispatch()
    assert mail.outbox == []
    assert DispatchMark.objects.filter(kind=K.CHECKIN).count() == 3

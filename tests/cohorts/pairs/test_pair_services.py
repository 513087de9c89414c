"""A published pair's record through its services: contact validation, progress and pace
across the year, goals, the three-party change of partner, and the choice at the end."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts.choices import AfterEnd, ChangeRequestStatus, PairStatus
from cohorts.matching.selectors import matching_workspace
from cohorts.matching.services import suggestions_run
from cohorts.models import ContactLog, MatchSuggestion, Pair, PairGoal
from cohorts.pairs.selectors.pairs import checkin_dates, pair_next_steps, pair_progress
from cohorts.pairs.services import pairs as services
from cohorts.program.models.pages import cycle_dates
from members.roles import COORDINATORS
from tests.cohorts.factories import make_cohort, make_pair
from tests.factories import member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def cohort(home):
    """A cohort whose formal mentoring started 60 days ago."""
    cohort = make_cohort(home, TODAY.year)
    dates = cycle_dates(TODAY.year)
    shift = TODAY - datetime.timedelta(days=60) - dates["formal_start"]
    for name, day in dates.items():
        setattr(cohort, name, day + shift)
    cohort.save()
    return cohort


@pytest.fixture
def pair(cohort):
    return make_pair(cohort)


def refused(call, errors: dict | list):
    with pytest.raises(ValidationError) as error:
        call()
    found = error.value.message_dict if hasattr(error.value, "error_dict") else None
    assert (found or error.value.messages) == errors


def log(pair, user=None, **fields):
    values = {"date": TODAY, "minutes": 60, "method": "virtual", **fields}
    return services.contact_add(pair=pair, user=user or pair.mentee.applicant, **values)


def test_either_partner_logs_a_contact(pair):
    contact = log(pair, conference="midwinter", summary="  Talked RDA.  ")
    assert (contact.author, contact.summary) == (pair.mentee.applicant, "Talked RDA.")
    log(pair, user=pair.mentor.applicant, method="telephone", minutes=30)
    assert ContactLog.objects.filter(pair=pair).count() == 2


def test_bad_contacts_are_refused_with_a_message(pair, cohort):
    window = services.DATE_OUTSIDE_PROGRAM.format(start=cohort.formal_start, end=cohort.formal_end)
    cases = [
        ({"date": cohort.formal_start - datetime.timedelta(days=1)}, {"date": [window]}),
        ({"date": TODAY + datetime.timedelta(days=1)}, {"date": [services.DATE_IN_FUTURE]}),
        ({"minutes": 0}, {"minutes": [services.MINUTES_OUT_OF_RANGE]}),
        ({"minutes": 601}, {"minutes": [services.MINUTES_OUT_OF_RANGE]}),
        ({"method": "carrier pigeon"}, {"method": [services.UNKNOWN_METHOD]}),
        ({"conference": "PLA"}, {"conference": [services.UNKNOWN_CONFERENCE]}),
        ({"summary": "x" * 501}, {"summary": [services.SUMMARY_TOO_LONG]}),
    ]
    for fields, errors in cases:
        refused(lambda f=fields: log(pair, **f), errors)
    assert not ContactLog.objects.exists()


def test_only_the_pair_logs_and_only_the_author_edits(pair):
    outsider = member(groups=[COORDINATORS])
    refused(lambda: log(pair, user=outsider), [services.NOT_YOUR_PAIR])
    contact = log(pair)
    mentor = pair.mentor.applicant
    refused(
        lambda: services.contact_delete(pair=pair, user=mentor, contact_id=contact.pk),
        [services.NOT_YOUR_CONTACT],
    )
    services.contact_update(
        pair=pair,
        user=pair.mentee.applicant,
        contact_id=contact.pk,
        date=TODAY,
        minutes=90,
        method="email",
    )
    contact.refresh_from_db()
    assert (contact.minutes, contact.method) == (90, "email")
    services.contact_delete(pair=pair, user=pair.mentee.applicant, contact_id=contact.pk)
    assert not ContactLog.objects.exists()


def test_a_pairs_logged_time_on_one_day_is_capped_at_twelve_hours(pair):
    """Sixty contacts of 600 minutes on one day were once all accepted: 600 hours, the
    minimum met. Both partners' entries for a date count together, up to 12 hours."""
    mentee, mentor = pair.mentee.applicant, pair.mentor.applicant
    first = log(pair, minutes=600)
    full = services.DAY_FULL.format(date=TODAY, hours=12, logged="10 h", left="2 h")
    refused(lambda: log(pair, user=mentor, minutes=600), {"minutes": [full]})
    for _ in range(60):
        refused(lambda: log(pair, minutes=600), {"minutes": [full]})
    log(pair, user=mentor, minutes=120)
    no_more = services.DAY_FULL.format(date=TODAY, hours=12, logged="12 h", left="0 h")
    refused(lambda: log(pair, minutes=1), {"minutes": [no_more]})
    yesterday = TODAY - datetime.timedelta(days=1)
    log(pair, date=yesterday, minutes=600)  # another day has its own 12 hours
    # An edit counts the day without the entry it replaces.
    services.contact_update(
        pair=pair, user=mentee, contact_id=first.pk, date=TODAY, minutes=590, method="virtual"
    )
    moved = services.DAY_FULL.format(date=yesterday, hours=12, logged="10 h", left="2 h")
    refused(
        lambda: services.contact_update(
            pair=pair,
            user=mentee,
            contact_id=first.pk,
            date=yesterday,
            minutes=590,
            method="virtual",
        ),
        {"minutes": [moved]},
    )
    assert sum(ContactLog.objects.filter(pair=pair).values_list("minutes", flat=True)) == 1310


def test_progress_and_pace_across_the_year(pair, cohort):
    start, end = cohort.formal_start, cohort.formal_end
    middle = start + (end - start) / 2
    empty = pair_progress(pair=pair, today=start - datetime.timedelta(days=1))
    assert (empty.minutes, empty.pace, empty.percent) == (0, "not started", 0)
    assert pair_progress(pair=pair, today=start).pace == "on track"
    log(pair, minutes=30, method="telephone")
    assert pair_progress(pair=pair, today=middle).pace == "behind"
    log(pair, minutes=40, method="virtual")
    halfway = pair_progress(pair=pair, today=middle)
    assert (halfway.minutes, halfway.pace, halfway.percent) == (70, "on track", 58)
    assert dict(halfway.by_method)["Telephone"] == 30
    assert pair_progress(pair=pair, today=end).pace == "behind"
    log(pair, minutes=50)
    done = pair_progress(pair=pair, today=end)
    assert (done.pace, done.percent, str(done.hours)) == ("met", 100, "2.0")
    assert done.contact_count == 3 and done.last_contact == TODAY


def test_quarterly_checkins_and_what_is_next(pair, cohort):
    dates = checkin_dates(cohort=cohort)
    assert len(dates) == 3 and dates[0].month == (cohort.formal_start.month + 2) % 12 + 1
    steps = pair_next_steps(pair=pair, today=cohort.formal_start)
    assert steps[0] == ("Formal mentoring starts", cohort.formal_start)
    assert len(steps) == 3 and [s[1] for s in steps] == sorted(s[1] for s in steps)


def test_up_to_three_goals_marked_by_either_partner(pair):
    mentee, mentor = pair.mentee.applicant, pair.mentor.applicant
    goals = [services.goal_add(pair=pair, user=mentee, text=f"Goal {n}") for n in range(3)]
    refused(
        lambda: services.goal_add(pair=pair, user=mentee, text="Fourth"), [services.TOO_MANY_GOALS]
    )
    refused(
        lambda: services.goal_add(pair=pair, user=mentee, text=" "),
        {"text": [services.GOAL_EMPTY]},
    )
    services.goal_mark(pair=pair, user=mentor, goal_id=goals[0].pk, done=True)
    goals[0].refresh_from_db()
    assert goals[0].done_by == mentor and goals[0].done_at
    services.goal_mark(pair=pair, user=mentee, goal_id=goals[0].pk, done=False)
    assert PairGoal.objects.get(pk=goals[0].pk).done_at is None
    agreement = services.agreement_save(
        pair=pair, user=mentor, frequency="Monthly", methods=["email", "virtual"]
    )
    assert agreement.methods == ["virtual", "email"]
    refused(
        lambda: services.agreement_save(pair=pair, user=mentor, frequency="", methods=["fax"]),
        {"methods": [services.UNKNOWN_METHOD]},
    )


def test_change_of_partner_needs_consent_then_a_coordinator(pair, cohort):
    mentee, mentor = pair.mentee.applicant, pair.mentor.applicant
    coordinator = member(groups=[COORDINATORS])
    change = services.change_request_create(pair=pair, user=mentee, reason="We never meet.")
    refused(
        lambda: services.change_request_create(pair=pair, user=mentor, reason="Me too."),
        [services.CHANGE_ALREADY_OPEN],
    )
    refused(
        lambda: services.change_request_consent(
            pair=pair, user=mentee, change_id=change.pk, consent=True
        ),
        [services.CHANGE_NOT_YOURS_TO_ANSWER],
    )
    refused(
        lambda: services.change_request_decide(
            change_id=change.pk, coordinator=coordinator, approve=True
        ),
        [services.CHANGE_NOT_WAITING],
    )
    services.change_request_consent(pair=pair, user=mentor, change_id=change.pk, consent=True)
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.AWAITING_APPROVAL and change.consented_at

    services.change_request_decide(change_id=change.pk, coordinator=coordinator, approve=True)

    pair.refresh_from_db()
    assert (pair.status, pair.end_reason) == (PairStatus.ENDED, services.CHANGED_BY_AGREEMENT)
    workspace = matching_workspace(cohort=cohort)
    assert {u.application for u in workspace.unmatched_mentees} == {pair.mentee}
    assert {u.application for u in workspace.unmatched_mentors} == {pair.mentor}
    suggestions_run(cohort=cohort, user=coordinator)
    assert not MatchSuggestion.objects.filter(cohort=cohort).exists()


def test_a_partner_may_refuse_and_the_asker_may_withdraw(pair):
    mentee, mentor = pair.mentee.applicant, pair.mentor.applicant
    change = services.change_request_create(pair=pair, user=mentee, reason="Busy.")
    services.change_request_consent(pair=pair, user=mentor, change_id=change.pk, consent=False)
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.DECLINED_BY_PARTNER
    again = services.change_request_create(pair=pair, user=mentee, reason="Still busy.")
    services.change_request_withdraw(pair=pair, user=mentee, change_id=again.pk)
    again.refresh_from_db()
    assert again.status == ChangeRequestStatus.WITHDRAWN
    assert Pair.objects.get(pk=pair.pk).status == PairStatus.PUBLISHED


def test_after_the_end_the_pair_continues_or_closes(pair, cohort):
    mentee = pair.mentee.applicant
    refused(
        lambda: services.pair_after_end_choose(pair=pair, user=mentee, choice=AfterEnd.CONTINUE),
        [services.NOT_OVER_YET.format(end=cohort.formal_end)],
    )
    type(cohort).objects.filter(pk=cohort.pk).update(formal_end=TODAY - datetime.timedelta(days=1))
    pair = Pair.objects.get(pk=pair.pk)
    refused(
        lambda: services.pair_after_end_choose(pair=pair, user=mentee, choice="forever"),
        [services.UNKNOWN_CHOICE],
    )
    services.pair_after_end_choose(pair=pair, user=mentee, choice=AfterEnd.CONTINUE)
    assert Pair.objects.get(pk=pair.pk).mentee_after_end == AfterEnd.CONTINUE
    services.pair_after_end_choose(pair=pair, user=mentee, choice=AfterEnd.CLOSE)
    # One side closed: the pair runs on for the mentor, and the mentee's choice is final.
    half = Pair.objects.get(pk=pair.pk)
    assert (half.status, half.mentee_after_end) == (PairStatus.PUBLISHED, AfterEnd.CLOSE)
    assert half.mentor_after_end == ""
    refused(
        lambda: services.pair_after_end_choose(pair=half, user=mentee, choice=AfterEnd.CONTINUE),
        [services.SIDE_ALREADY_CLOSED],
    )
    services.pair_after_end_choose(pair=half, user=pair.mentor.applicant, choice=AfterEnd.CLOSE)
    closed = Pair.objects.get(pk=pair.pk)
    assert (closed.status, closed.end_reason) == (PairStatus.ENDED, services.CLOSED_AFTER_PROGRAM)

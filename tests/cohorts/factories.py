"""Factories for the cohorts app: cohorts and their pages, applications, pairs and what a
pair records, and the plain people the matching engine takes.

Two ways to date a cohort. Around today, without mocking time: ``cohort_dates(opens=-10,
deadline=10)`` is a cohort whose applications opened ten days ago and close in ten days, in
the seed's order (``cycle_dates``) for the rest of its year; ``CohortPageFactory`` and
``open_application_page()`` take the same two numbers. On a fixed year: ``make_cohort(home,
2026)`` and ``add_cohort(index, year=2027)`` give the seed's dates for that year.
``open_application_page()`` builds the whole tree (cohort index, cohort, application page)
under the ``site`` fixture's home page and returns the application page::

    page = open_application_page(home, opens=-70, deadline=-1)   # closed yesterday
    ApplicationFactory(cohort=page.cohort, applicant=member(), role=Role.MENTEE)

People apply with ``apply(cohort, first="Ada", role=Role.MENTOR, status="accepted")`` (a new
member with a profile) and are paired with ``make_pair(cohort)`` (through the matching
services, with their e-mails) or ``make_pair(cohort, record_only=True)`` (the row alone).
"""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils import timezone

from cohorts.choices import ApplicationStatus, PairSource, PairStatus, ReminderKind, Role
from cohorts.matching.engine import CRITERIA, Person, Weights
from cohorts.matching.services import pair_by_hand, pairs_publish
from cohorts.models import (
    Application,
    ApplicationPage,
    CheckInAnswer,
    CohortIndexPage,
    CohortPage,
    ContactLog,
    OutboxMessage,
    Pair,
    PairDashboardPage,
)
from cohorts.program.models.pages import cycle_dates
from members.choices import LibraryType
from members.models import AreaOfInterest, MemberProfile
from tests.factories import member

# What the partners of ``dashboard_pair`` told the subcommittee and must never read of each
# other.
MENTEE_PRIVATE = "Identity preference only the subcommittee reads"
MENTOR_AVOID = "Someone the mentor must not be paired with"
# Who a pair written with ``record_only=True`` is between unless told otherwise.
MENTOR_NAME = ("Mina", "Mentor")
MENTEE_NAME = ("Tee", "Mentee")


def cohort_dates(*, opens: int = -10, deadline: int = 10) -> dict[str, datetime.date]:
    """A cohort's dates, ``opens`` and ``deadline`` days from today; the rest of the year
    follows the seed's cycle, moved along with the opening day."""
    today = timezone.localdate()
    dates = cycle_dates(today.year)
    shift = today + datetime.timedelta(days=opens) - dates["applications_open"]
    moved = {name: day + shift for name, day in dates.items()}
    moved["application_deadline"] = today + datetime.timedelta(days=deadline)
    assert opens < deadline < opens + 117, "the deadline must fall before pairing"
    return moved


class CohortIndexPageFactory(wagtail_factories.PageFactory):
    """The cohort index page: ``CohortIndexPageFactory(parent=home)``."""

    title = "Cohorts"
    slug = "cohorts"

    class Meta:
        model = CohortIndexPage


class CohortPageFactory(wagtail_factories.PageFactory):
    """A cohort dated around today: ``CohortPageFactory(parent=index, opens=-10, deadline=10)``
    (the numbers are days from today, as in ``cohort_dates``); other fields pass through."""

    title = factory.Sequence(lambda n: f"Cohort {2030 + n}")
    minimum_contact_hours = 2

    class Meta:
        model = CohortPage

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        dates = cohort_dates(opens=kwargs.pop("opens", -10), deadline=kwargs.pop("deadline", 10))
        return super()._create(model_class, *args, **{**dates, **kwargs})


class ApplicationPageFactory(wagtail_factories.PageFactory):
    """A cohort's application page: ``ApplicationPageFactory(parent=cohort)``."""

    title = "Apply"
    slug = "apply"

    class Meta:
        model = ApplicationPage


class AreaOfInterestFactory(factory.django.DjangoModelFactory):
    """An area of interest, found by name if it exists: ``AreaOfInterestFactory(name="Law")``."""

    name = factory.Sequence(lambda n: f"Area {n}")

    class Meta:
        model = AreaOfInterest
        django_get_or_create = ["name"]


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted, complete application as a mentee; pass ``cohort`` and ``applicant``::

    ApplicationFactory(cohort=cohort, applicant=member(), role=Role.MENTOR, mentee_capacity=1)
    """

    role = Role.MENTEE
    goals = "Learn cataloguing."
    contact_methods = factory.LazyFunction(lambda: ["email"])
    commitment = True
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Application


def open_application_page(home, *, opens: int = -10, deadline: int = 10, **cohort_fields):
    """An application page under a new cohort under the home page's cohort index (made if
    missing), the cohort dated around today as ``CohortPageFactory`` does::

    page = open_application_page(home)                        # open, closes in ten days
    page = open_application_page(home, opens=5, deadline=30)  # opens in five days
    """
    index = CohortIndexPage.objects.child_of(home).first() or CohortIndexPageFactory(parent=home)
    cohort = CohortPageFactory(parent=index, opens=opens, deadline=deadline, **cohort_fields)
    return ApplicationPageFactory(parent=cohort)


# Cohorts on a fixed year ---------------------------------------------------------------------


def make_cohort(home, year: int) -> CohortPage:
    """A live cohort of ``year`` with the seed's dates (``cycle_dates``), titled "2026 cohort"
    at /cohorts/cohort-2026/, under the home page's cohort index (made if missing)::

        cohort = make_cohort(home, 2026)   # formal mentoring June 1, 2026 to April 30, 2027
    """
    index = CohortIndexPage.objects.first() or home.add_child(
        instance=CohortIndexPage(title="Cohorts", slug="cohorts")
    )
    return index.add_child(
        instance=CohortPage(title=f"{year} cohort", slug=f"cohort-{year}", **cycle_dates(year))
    )


def add_cohort(parent, *, year: int = 2027, publish: bool = True, **fields) -> CohortPage:
    """A cohort under `parent` with the seed's dates for `year`, overridden by `fields`,
    saved as a revision and published (a draft with ``publish=False``), titled
    "2027–2028 cohort" at slug "2027-2028"::

        cohort = add_cohort(index, year=2027, orientation_time=datetime.time(13, 0))
    """
    fields = {"title": f"{year}–{year + 1} cohort", **cycle_dates(year), **fields}
    fields.setdefault("slug", f"{year}-{year + 1}")
    cohort = parent.add_child(instance=CohortPage(live=False, **fields))
    revision = cohort.save_revision()
    if publish:
        revision.publish()
        cohort.refresh_from_db()
    return cohort


def add_application_page(cohort, *, publish: bool = True, **fields) -> ApplicationPage:
    """The application page "Apply" under ``cohort``, saved as a revision and published (a
    draft with ``publish=False``)::

        add_application_page(cohort, intro="Apply now.")
    """
    page = cohort.add_child(
        instance=ApplicationPage(title="Apply", slug="apply", live=False, **fields)
    )
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def cohort_under_way(home) -> CohortPage:
    """The "2026 cohort" under a new cohort index, under way: formal mentoring started 150
    days ago and ends in about 183 days::

        cohort = cohort_under_way(home)
    """
    index = CohortIndexPageFactory(parent=home)
    return CohortPageFactory(
        parent=index, title="2026 cohort", slug="cohort-2026", opens=-287, deadline=-228
    )


def dashboard_page(home) -> PairDashboardPage:
    """The pair dashboard, "My mentoring" at /my-mentoring/, under the home page."""
    return home.add_child(instance=PairDashboardPage(title="My mentoring", slug="my-mentoring"))


# Applications --------------------------------------------------------------------------------


def apply(cohort, *, first="Ada", last="Lovelace", institution="", library_type="", **fields):
    """A submitted application by a new member; fields override the application's.

    The member is named ``first`` ``last`` and has a profile at ``institution`` of
    ``library_type``; ``areas`` (a list of areas of interest) are set after saving::

        apply(cohort, first="Mina", last="Mentor", role=Role.MENTOR, status="accepted")
    """
    user = member(institution=institution, library_type=library_type)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    areas = fields.pop("areas", [])
    defaults = {
        "role": Role.MENTEE,
        "status": ApplicationStatus.SUBMITTED,
        "submitted_at": timezone.now(),
        "time_zone": "America/Chicago",
    }
    application = Application.objects.create(
        cohort=cohort, applicant=user, **{**defaults, **fields}
    )
    application.areas.set(areas)
    return application


def accepted(cohort, *, role=Role.MENTEE, first="Ada", last="Lovelace", **fields):
    """An accepted application by a new member (institution and library type go to the
    profile), as ``apply`` makes one; a mentor or both takes one mentee unless told::

        accepted(cohort, role=Role.MENTOR, last="Cat", areas=[cataloging])
    """
    if role != Role.MENTEE:
        fields.setdefault("mentee_capacity", 1)
    return apply(
        cohort, role=role, first=first, last=last, status=ApplicationStatus.ACCEPTED, **fields
    )


def bulk_apply(cohort, count: int, *, start: int = 0, areas=()) -> None:
    """``count`` submitted applications, each by a new member with a profile, built in bulk
    (no signals, no per-row queries), in turn as mentor, mentee and both; members are
    bulk<n>@example.org from ``start`` on::

        bulk_apply(cohort, 200, areas=[cataloging])
    """
    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"bulk{n}@example.org", first_name=f"Bulk{n}", last_name=f"Person{n}")
        for n in range(start, start + count)
    )
    MemberProfile.objects.bulk_create(
        MemberProfile(user=user, institution=f"Library {n}", library_type=LibraryType.PUBLIC)
        for n, user in enumerate(users)
    )
    roles = [Role.MENTOR, Role.MENTEE, Role.BOTH]
    applications = Application.objects.bulk_create(
        Application(
            cohort=cohort,
            applicant=user,
            role=roles[n % 3],
            status=ApplicationStatus.SUBMITTED,
            submitted_at=timezone.now(),
            contact_methods=["email"],
            time_zone="America/Chicago",
        )
        for n, user in enumerate(users)
    )
    Through = Application.areas.through
    Through.objects.bulk_create(
        Through(application_id=application.pk, areaofinterest_id=area.pk)
        for application in applications
        for area in areas
    )


# Pairs ---------------------------------------------------------------------------------------


def _paired_application(cohort, person, role: Role) -> Application:
    """The accepted application that ``person`` (see ``make_pair``) brings to a pair."""
    if isinstance(person, Application):
        return person
    if isinstance(person, tuple):
        first, last = person
        if role == Role.MENTOR:
            return apply(
                cohort,
                first=first,
                last=last,
                institution=f"{last} Library",
                role=Role.MENTOR,
                mentee_capacity=1,
                status=ApplicationStatus.ACCEPTED,
            )
        return apply(
            cohort,
            first=first,
            last=last,
            institution=f"{last} College",
            status=ApplicationStatus.ACCEPTED,
        )
    return ApplicationFactory(
        cohort=cohort,
        applicant=person or member(),
        role=role,
        mentee_capacity=1 if role == Role.MENTOR else None,
        status=ApplicationStatus.ACCEPTED,
    )


def make_pair(
    cohort, *, mentor=None, mentee=None, coordinator=None, record_only=False, **fields
) -> Pair:
    """A published pair in ``cohort``.

    ``mentor`` and ``mentee`` are each an accepted application of the cohort, a user (who
    applies, accepted, with ``ApplicationFactory``), a ``(first, last)`` name (a new member
    who applies with ``apply``, at "<last> Library" as a mentor or "<last> College" as a
    mentee) or left out.

    By default the pair is made as coordinators make one: paired by hand by ``coordinator``,
    then published with its e-mails; whoever is left out is a new verified member::

        pair = make_pair(cohort)
        pair = make_pair(cohort, mentor=member("mentor@example.org"), mentee=member())
        pair = make_pair(cohort, mentor=application, mentee=other, coordinator=coordinator)

    With ``record_only=True`` only the pair's row is written, as a manual pair confirmed and
    published now, with no service run and nothing sent; ``fields`` override its columns,
    and whoever is left out is Mina Mentor or Tee Mentee (``MENTOR_NAME``, ``MENTEE_NAME``)::

        pair = make_pair(cohort, record_only=True)
        pair = make_pair(cohort, mentor=("Ann", "Busy"), record_only=True)
        draft = make_pair(cohort, record_only=True, status=PairStatus.CONFIRMED, published_at=None)
    """
    if not record_only:
        assert not fields, "fields are for a pair written with record_only=True"
        mentor_application = _paired_application(cohort, mentor, Role.MENTOR)
        mentee_application = _paired_application(cohort, mentee, Role.MENTEE)
        pair = pair_by_hand(
            cohort=cohort,
            mentor_id=mentor_application.pk,
            mentee_id=mentee_application.pk,
            user=coordinator,
        )
        pairs_publish(cohort=cohort, user=coordinator)
        pair.refresh_from_db()
        return pair
    now = timezone.now()
    mentor_application = _paired_application(cohort, mentor or MENTOR_NAME, Role.MENTOR)
    mentee_application = _paired_application(cohort, mentee or MENTEE_NAME, Role.MENTEE)
    defaults = {
        "status": PairStatus.PUBLISHED,
        "source": PairSource.MANUAL,
        "confirmed_at": now,
        "published_at": now,
    }
    return Pair.objects.create(
        cohort=cohort, mentor=mentor_application, mentee=mentee_application, **defaults | fields
    )


def dashboard_pair(cohort, coordinator) -> Pair:
    """Maria Mentor (Riverside College Library, academic) mentors Theo Mentee (Oakwood Public
    Library, public), paired and published by ``coordinator``; both told the subcommittee
    things the other must never see (``MENTOR_AVOID``, ``MENTEE_PRIVATE``), and Maria's
    profile has pronouns, a position and a bio::

        pair = dashboard_pair(cohort_under_way(home), coordinator)
    """
    mentor = apply(
        cohort,
        role=Role.MENTOR,
        mentee_capacity=1,
        first="Maria",
        last="Mentor",
        institution="Riverside College Library",
        library_type="academic",
        offer="Eighteen years of <b>cataloging</b>.",
        avoid_pairing_with=MENTOR_AVOID,
        status="accepted",
    )
    mentee = apply(
        cohort,
        first="Theo",
        last="Mentee",
        institution="Oakwood Public Library",
        library_type="public",
        goals="Learn RDA.\nMeet people at Midwinter.",
        identity_preferences=MENTEE_PRIVATE,
        contact_methods=["virtual", "email"],
        status="accepted",
    )
    MemberProfile.objects.filter(user=mentor.applicant).update(
        pronouns="she/her", position="Metadata Librarian", bio="Cataloger since 2008."
    )
    return make_pair(cohort, mentor=mentor, mentee=mentee, coordinator=coordinator)


def pair_under_way(home) -> Pair:
    """A published pair of this year's cohort under way (``make_cohort`` of the year whose
    formal mentoring runs today), with the pair dashboard live::

        pair = pair_under_way(home)
    """
    today = timezone.localdate()
    cohort = make_cohort(home, today.year if today.month >= 6 else today.year - 1)
    dashboard_page(home)
    return make_pair(cohort)


def contact(pair, *, minutes: int, day: datetime.date, summary: str = "", **fields):
    """A contact the mentee logged for ``pair`` (by e-mail unless ``method`` says)::

    contact(pair, minutes=45, day=datetime.date(2026, 7, 1), method="virtual")
    """
    return ContactLog.objects.create(
        pair=pair,
        author=pair.mentee.applicant,
        date=day,
        minutes=minutes,
        method=fields.pop("method", "email"),
        summary=summary,
        **fields,
    )


def checkin(cohort, pair, user, period: str, answer: str) -> CheckInAnswer:
    """``user``'s answer to the check-in of ``period`` about ``pair``, with the outbox row
    it answers::

        checkin(cohort, pair, pair.mentee.applicant, "q1", CheckInAnswerChoice.GOING_WELL)
    """
    message = OutboxMessage.objects.create(
        key=OutboxMessage.key_for(
            kind=ReminderKind.CHECKIN, cohort_id=cohort.pk, recipient_id=user.pk, period=period
        ),
        kind=ReminderKind.CHECKIN,
        cohort=cohort,
        recipient=user,
        period=period,
    )
    return CheckInAnswer.objects.create(
        message=message, cohort=cohort, pair=pair, user=user, period=period, answer=answer
    )


# The matching engine's people (no database) --------------------------------------------------


def person(person_id: int, **fields) -> Person:
    """A person for the matching engine whose application id is 100 + person id, named after
    the person id; fields are ``Person``'s::

        person(1, slots=2, areas=frozenset({"cataloging"}))
    """
    fields.setdefault("name", f"Person {person_id}")
    fields.setdefault("identities", frozenset({f"person{person_id}@example.org"}))
    return Person(application_id=100 + person_id, person_id=person_id, **fields)


def weights(must_have: tuple[str, ...] = (), **overrides: int) -> Weights:
    """The matching engine's weights: the given ones, every other criterion at 0::

    weights(("library_type",), areas=5)
    """
    return Weights(
        weights={**dict.fromkeys(CRITERIA, 0), **overrides}, must_have=frozenset(must_have)
    )


def every_kind_of_record(pair, *, words: str, shared_words: str) -> dict:
    """One of every kind of record the mentee of ``pair`` has in a year, for the data
    download and erasure: their application and profile answers, a check-in comment, a
    request for help and for a change of partner, private and shared notes, with ``words``
    in each; and the pair's shared record (a contact at Midwinter, face to face, the
    agreement, a goal done) with ``shared_words``. The mentor writes a private and a shared
    note ("Mentor's private note", "Mentor's shared note"). Returns the mentee's notes'
    texts by kind::

        every_kind_of_record(pair, words="LEAVER-WORDS", shared_words="PAIR-RECORD")
    """
    from cohorts.choices import CheckInAnswerChoice
    from cohorts.pairs.services import notes, pairs

    mentee, mentor = pair.mentee.applicant, pair.mentor.applicant
    cohort = pair.cohort
    Application.objects.filter(pk=pair.mentee_id).update(
        goals=f"{words} goals",
        availability=f"{words} availability",
        identity_preferences=f"{words} identity",
        avoid_pairing_with=f"{words} avoid",
    )
    MemberProfile.objects.filter(user=mentee).update(bio=f"{words} bio")
    day = min(timezone.localdate(), cohort.formal_end)
    pairs.contact_add(
        pair=pair,
        user=mentee,
        date=day,
        minutes=90,
        method="face_to_face",
        conference="midwinter",
        summary=f"{shared_words} contact summary",
    )
    pairs.agreement_save(
        pair=pair, user=mentee, frequency=f"{shared_words} monthly", methods=["face_to_face"]
    )
    goal = pairs.goal_add(pair=pair, user=mentee, text=f"{shared_words} goal")
    pairs.goal_mark(pair=pair, user=mentee, goal_id=goal.pk, done=True)
    texts = {"private": f"{words} private note", "shared": f"{words} shared note"}
    notes.note_add(pair=pair, user=mentee, text=texts["private"])
    notes.note_add(pair=pair, user=mentee, text=texts["shared"], shared=True)
    notes.note_add(pair=pair, user=mentor, text="Mentor's private note")
    notes.note_add(pair=pair, user=mentor, text="Mentor's shared note", shared=True)
    pairs.support_request_send(pair=pair, user=mentee, message=f"{words} help")
    pairs.change_request_create(pair=pair, user=mentee, reason=f"{words} change reason")
    answer = checkin(cohort, pair, mentee, "q1", CheckInAnswerChoice.COULD_BE_BETTER)
    CheckInAnswer.objects.filter(pk=answer.pk).update(comment=f"{words} check-in comment")
    return texts

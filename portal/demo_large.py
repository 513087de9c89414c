"""A realistic year at full size, on top of the demo site: ``load_demo_content --size large``,
and the coordinators' benchmark (benchmarks/coordinators.py).

- 300 members with profiles (295 verified, 5 waiting for verification), every password
  ``mentoring-demo``;
- the cohort taking applications: 250 applications (60 mentors offering 3 places and 150
  mentees accepted, 40 more submitted), and the suggestions the matching service computes for
  them (150);
- the cohort under way: 100 published pairs with their contacts since the formal start (some
  pairs regular, some slowing down, some silent), the first quarterly check-in's answers, a
  few calls for help and changes of partner.

Random but seeded (``SEED``): every load builds the same year. Suggestions come from the
matching service and contacts from the contact log's service, so every rule holds; the rows
that would e-mail someone when made through their service (calls for help, changes of
partner, check-in answers) are written directly, so loading the year e-mails nobody. It runs
once: when the first of its members exists, nothing is added.
"""

import datetime
import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from members.choices import CareerStage, ContactMethod, LibraryType, MembershipStatus
from members.models import AreaOfInterest, MemberProfile

SEED = 20270601
MEMBERS = 300
PENDING = 5
# The demo accounts' password (portal/demo/content.json): demo content never reaches production.
PASSWORD = "mentoring-demo"  # noqa: S105
EMAIL = "member{n:03d}@large.example.org"
# The cohort taking applications.
MENTORS, MENTOR_PLACES, MENTEES, SUBMITTED = 60, 3, 150, 40
# The cohort under way: the last 200 verified members in pairs.
PAIRS = 100
FIRST_NAMES = (
    "Ada", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu", "Max",
    "Nia", "Oz", "Pia", "Quin", "Ravi", "Sam", "Tess",
)  # fmt: skip
LAST_NAMES = (
    "Ames", "Bose", "Cruz", "Diaz", "Endo", "Fox", "Gray", "Hsu", "Ito", "Jain", "Khan",
    "Lee", "Moss", "Nash", "Ortiz", "Park", "Reyes", "Stone", "Tran",
)  # fmt: skip
TIME_ZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Toronto", "Europe/London",
)  # fmt: skip
INSTITUTIONS = [f"{kind} {n}" for kind in ("University", "Public Library") for n in range(1, 21)]
METHODS = [value for value, _label in ContactMethod.choices]

LargeReport = list[str]


def demo_large_load() -> LargeReport:
    """Add the large year to the demo site (``demo_content_load`` first); what was added."""
    from cohorts.program.models import CohortPage

    if get_user_model().objects.filter(email=EMAIL.format(n=1)).exists():
        return []
    rng = random.Random(SEED)  # noqa: S311 (seeded sample data, no secret)
    today = timezone.localdate()
    cohorts = CohortPage.objects.live()
    under_way = cohorts.get(formal_start__lte=today, formal_end__gte=today)
    taking = cohorts.filter(applications_open__lte=today, application_deadline__gte=today).get()
    chair = get_user_model().objects.get(email="chair@example.org")
    with transaction.atomic():
        people = _members(rng)
        verified = people[: MEMBERS - PENDING]
        _applications_to_match(rng, taking, verified[:250])
        suggestions = _suggestions(taking, chair)
        pairs = _pairs_under_way(rng, under_way, verified[-2 * PAIRS :], chair)
        contacts = _contacts(rng, pairs, today)
        answers = _checkins(rng, under_way, pairs)
        _requests(rng, pairs)
    return [
        f"{len(people)} members ({PENDING} waiting for verification)",
        f"250 applications to {taking.title}, {suggestions} suggestions",
        f"{len(pairs)} pairs in {under_way.title}, {contacts} contacts, "
        f"{answers} check-in answers",
    ]


# ---- Members -------------------------------------------------------------------------------


def _members(rng: random.Random) -> list:
    """300 members with confirmed e-mails and profiles; one password hash for all (hashing
    300 times would take minutes and prove nothing)."""
    User = get_user_model()
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(
            email=EMAIL.format(n=n),
            first_name=rng.choice(FIRST_NAMES),
            last_name=f"{rng.choice(LAST_NAMES)}-{n:03d}",
            password=password,
        )
        for n in range(1, MEMBERS + 1)
    )
    users = list(User.objects.filter(email__endswith="@large.example.org").order_by("email"))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    now, expires = timezone.now(), timezone.localdate() + datetime.timedelta(days=365)
    profiles = MemberProfile.objects.bulk_create(
        _profile(rng, user, pending=index >= MEMBERS - PENDING, now=now, expires=expires)
        for index, user in enumerate(users)
    )
    areas = list(AreaOfInterest.objects.values_list("pk", flat=True))
    Through = MemberProfile.areas.through
    Through.objects.bulk_create(
        Through(memberprofile_id=profile.pk, areaofinterest_id=area)
        for profile in profiles
        for area in rng.sample(areas, k=min(len(areas), rng.randint(1, 4)))
    )
    return users


def _profile(rng, user, *, pending: bool, now, expires) -> MemberProfile:
    years = rng.randint(0, 35)
    return MemberProfile(
        user=user,
        membership_status=MembershipStatus.PENDING if pending else MembershipStatus.VERIFIED,
        verified_at=None if pending else now,
        verification_method="" if pending else "roster",
        membership_expires=None if pending else expires,
        institution=rng.choice(INSTITUTIONS),
        library_type=rng.choice(LibraryType.values),
        career_stage=_stage(years),
        years_experience=years,
        time_zone=rng.choice(TIME_ZONES),
        contact_methods=rng.sample(METHODS, k=rng.randint(1, 3)),
    )


def _stage(years: int) -> str:
    if years < 1:
        return CareerStage.STUDENT
    return (
        CareerStage.EARLY if years < 5 else CareerStage.MID if years <= 15 else CareerStage.SENIOR
    )


# ---- The cohort taking applications: what the subcommittee matches -------------------------


def _application(rng, cohort, user, *, role: str, status: str, senior: bool):
    from cohorts.models import Application

    profile = user.profile
    years = rng.randint(12, 35) if senior else rng.randint(0, 8)
    return Application(
        cohort=cohort,
        applicant=user,
        role=role,
        mentee_capacity=MENTOR_PLACES if role == "mentor" else None,
        goals="" if role == "mentor" else "Grow in my current role and plan the next step.",
        offer="Years of practice and time to listen." if role == "mentor" else "",
        career_stage=_stage(years),
        years_experience=years,
        contact_methods=profile.contact_methods,
        time_zone=profile.time_zone,
        attends_midwinter=rng.random() < 0.3,
        attends_annual=rng.random() < 0.5,
        commitment=True,
        status=status,
        submitted_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 20)),
    )


def _applications_to_match(rng, cohort, users) -> None:
    """60 mentors and 150 mentees accepted, 40 more submitted; areas from their profiles."""
    from cohorts.models import Application

    specs = [("mentor", "accepted", True)] * MENTORS + [("mentee", "accepted", False)] * MENTEES
    specs += [(rng.choice(["mentor", "mentee"]), "submitted", False) for _ in range(SUBMITTED)]
    applications = Application.objects.bulk_create(
        _application(rng, cohort, user, role=role, status=status, senior=senior)
        for user, (role, status, senior) in zip(users, specs, strict=False)
    )
    _areas_from_profiles(applications)


def _areas_from_profiles(applications) -> None:
    from cohorts.models import Application

    Through = Application.areas.through
    ProfileAreas = MemberProfile.areas.through
    by_user: dict[int, list[int]] = {}
    for user_id, area_id in ProfileAreas.objects.filter(
        memberprofile__user__in=[a.applicant_id for a in applications]
    ).values_list("memberprofile__user_id", "areaofinterest_id"):
        by_user.setdefault(user_id, []).append(area_id)
    pks = dict(
        Application.objects.filter(
            cohort=applications[0].cohort, applicant__in=by_user
        ).values_list("applicant_id", "pk")
    )
    Through.objects.bulk_create(
        Through(application_id=pks[user_id], areaofinterest_id=area)
        for user_id, areas in by_user.items()
        if user_id in pks
        for area in areas
    )


def _suggestions(cohort, chair) -> int:
    from cohorts.matching.services import suggestions_run

    return len(suggestions_run(cohort=cohort, user=chair).suggestions)


# ---- The cohort under way: pairs and their year ----------------------------------------------


def _pairs_under_way(rng, cohort, users, chair) -> list:
    """100 published pairs of accepted applications, made and published by the chair when
    the pairing was due (no e-mail: as the demo's own pair)."""
    from cohorts.models import Application, Pair

    mentors = Application.objects.bulk_create(
        _application(rng, cohort, user, role="mentor", status="accepted", senior=True)
        for user in users[:PAIRS]
    )
    mentees = Application.objects.bulk_create(
        _application(rng, cohort, user, role="mentee", status="accepted", senior=False)
        for user in users[PAIRS:]
    )
    _areas_from_profiles(mentors + mentees)
    at = timezone.make_aware(
        datetime.datetime.combine(cohort.pairing_completed_by, datetime.time(9))
    )
    Pair.objects.bulk_create(
        Pair(
            cohort=cohort,
            mentor=mentor,
            mentee=mentee,
            status="published",
            locked=True,
            source="manual",
            confirmed_by=chair,
            confirmed_at=at,
            published_by=chair,
            published_at=at,
        )
        for mentor, mentee in zip(mentors, mentees, strict=True)
    )
    return list(
        Pair.objects.filter(cohort=cohort, mentee__in=mentees)
        .select_related("cohort", "mentor__applicant", "mentee__applicant")
        .order_by("pk")
    )


def _contacts(rng, pairs, today) -> int:
    """Contacts every two to five weeks from the formal start, through the contact log's
    service; a fifth of the pairs fall silent after a couple of months, a tenth never start."""
    from cohorts.pairs.services.pairs import contact_add

    count = 0
    for pair in pairs:
        kind = rng.random()
        if kind < 0.1:
            continue
        stop = today if kind >= 0.3 else pair.cohort.formal_start + datetime.timedelta(days=60)
        day = pair.cohort.formal_start + datetime.timedelta(days=rng.randint(3, 20))
        while day <= min(stop, today):
            author = rng.choice([pair.mentor.applicant, pair.mentee.applicant])
            contact_add(
                pair=pair,
                user=author,
                date=day,
                minutes=rng.choice([20, 30, 45, 60, 90]),
                method=rng.choice(METHODS),
            )
            count += 1
            day += datetime.timedelta(days=rng.randint(14, 35))
    return count


def _checkins(rng, cohort, pairs) -> int:
    """The first quarterly check-in, sent to both partners; about four in five answer."""
    from cohorts.choices import CheckInAnswerChoice, OutboxStatus, ReminderKind
    from cohorts.models import CheckInAnswer, OutboxMessage

    period = "q1"
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=OutboxMessage.key_for(
                kind=ReminderKind.CHECKIN, cohort_id=cohort.pk, recipient_id=user.pk, period=period
            ),
            kind=ReminderKind.CHECKIN,
            cohort=cohort,
            recipient=user,
            period=period,
            object_id=pair.pk,
            status=OutboxStatus.SENT,
            sent_at=timezone.now() - datetime.timedelta(days=40),
        )
        for pair in pairs
        for user in (pair.mentor.applicant, pair.mentee.applicant)
    )
    messages = OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).order_by("pk")
    choices = [CheckInAnswerChoice.GOING_WELL] * 14 + [CheckInAnswerChoice.COULD_BE_BETTER] * 4
    choices += [CheckInAnswerChoice.NEED_HELP]
    answers = CheckInAnswer.objects.bulk_create(
        CheckInAnswer(
            message=message,
            cohort=cohort,
            pair_id=message.object_id,
            user_id=message.recipient_id,
            period=period,
            answer=rng.choice(choices),
        )
        for message in messages
        if rng.random() < 0.8
    )
    return len(answers)


def _requests(rng, pairs) -> None:
    """Five calls for help (two answered) and three changes of partner (one the partner
    agreed to, waiting for a coordinator)."""
    from cohorts.choices import ChangeRequestStatus
    from cohorts.models import ChangeRequest, SupportRequest

    now = timezone.now()
    for index, pair in enumerate(rng.sample(pairs, k=5)):
        answered = index < 2
        SupportRequest.objects.create(
            pair=pair,
            author=pair.mentee.applicant,
            message="We keep missing each other; could someone help us find a rhythm?",
            answer="The chair will call you both this week." if answered else "",
            answered_at=now if answered else None,
        )
    for index, pair in enumerate(rng.sample(pairs, k=3)):
        agreed = index == 0
        ChangeRequest.objects.create(
            pair=pair,
            requested_by=pair.mentee.applicant,
            reason="Our schedules no longer fit.",
            status=(
                ChangeRequestStatus.AWAITING_APPROVAL
                if agreed
                else ChangeRequestStatus.AWAITING_CONSENT
            ),
            consented_at=now if agreed else None,
        )

"""Reads for matching: the people a cohort matches, the pairs that hold them, and the
coordinators' workspace, loaded in a number of queries that does not grow with the cohort.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from cohorts.choices import ApplicationStatus, PairStatus
from cohorts.matching.engine import (
    DEFAULT_WEIGHTS,
    Person,
    Review,
    Rules,
    Weights,
    normalise,
    pair_review,
    pair_rule_broken,
    utc_offset_minutes,
)
from cohorts.matching.models import (
    MatchingSettings,
    MatchSuggestion,
    PairingComment,
    PairingRejection,
)
from cohorts.pairs.models import Pair
from cohorts.pairs.models.pairs import ACTIVE_PAIR_STATUSES
from cohorts.program.models import Application
from members.models import MemberProfile

NOT_RUN_YET = "The suggestions have not been run for this person yet."


def matching_settings_for(*, cohort) -> MatchingSettings:
    """The cohort's matching settings, or unsaved defaults when nobody has set them yet."""
    found = MatchingSettings.objects.filter(cohort=cohort).first()
    return found or MatchingSettings(cohort=cohort, weights=dict(DEFAULT_WEIGHTS), must_have=[])


def matching_weights(*, settings: MatchingSettings) -> Weights:
    weights = {
        key: int(settings.weights.get(key, value)) for key, value in DEFAULT_WEIGHTS.items()
    }
    return Weights(weights=weights, must_have=frozenset(settings.must_have))


def accepted_applications(*, cohort):
    """The cohort's accepted applications with everything matching reads, in three queries."""
    return (
        Application.objects.filter(cohort=cohort, status=ApplicationStatus.ACCEPTED)
        .select_related("applicant", "applicant__profile", "carried_from")
        .prefetch_related("areas")
        .order_by("-priority", "applicant__last_name", "applicant__first_name", "pk")
    )


def _profile(application: Application) -> MemberProfile | None:
    try:
        return application.applicant.profile
    except ObjectDoesNotExist:
        return None


def _lines(text: str) -> frozenset[str]:
    return frozenset(filter(None, (normalise(line) for line in text.splitlines())))


def person_from_application(
    *, application: Application, at: datetime.datetime, slots: int = 1
) -> Person:
    """What the solver knows of one application: its answers and the applicant's profile."""
    user = application.applicant
    profile = _profile(application)
    identities = {normalise(user.email), normalise(user.get_full_name())} - {""}
    return Person(
        application_id=application.pk,
        person_id=user.pk,
        name=user.display_name,
        slots=slots,
        areas=frozenset(area.pk for area in application.areas.all()),
        years=application.years_experience,
        career_stage=application.career_stage,
        contact_methods=frozenset(application.contact_methods),
        utc_offset_minutes=utc_offset_minutes(time_zone=application.time_zone, at=at),
        midwinter=application.attends_midwinter,
        annual=application.attends_annual,
        institution=normalise(profile.institution) if profile else "",
        library_type=profile.library_type if profile else "",
        prefers_outside_institution=application.prefers_outside_institution,
        preferred_library_type=application.preferred_library_type,
        priority=application.priority,
        identities=frozenset(identities),
        avoid=_lines(application.avoid_pairing_with),
    )


def matching_moment(*, cohort) -> datetime.datetime:
    """The moment time-zone offsets are read at: the start of the formal mentoring period,
    so summer time is judged as the pair will live it."""
    return timezone.make_aware(datetime.datetime.combine(cohort.formal_start, datetime.time(12)))


def active_pairs(*, cohort):
    return Pair.objects.filter(cohort=cohort, status__in=ACTIVE_PAIR_STATUSES)


def earlier_person_pairs(*, cohort) -> frozenset[frozenset[int]]:
    """Every two people paired (and published) in another cohort that started before this one."""
    rows = (
        Pair.objects.filter(
            ~Q(cohort=cohort),
            cohort__formal_start__lt=cohort.formal_start,
            status__in=[PairStatus.PUBLISHED, PairStatus.ENDED],
        )
        .values_list("mentor__applicant_id", "mentee__applicant_id")
        .iterator()
    )
    return frozenset(frozenset(row) for row in rows)


def _ended_person_pairs(cohort) -> frozenset[frozenset[int]]:
    """Two people whose pair in this cohort ended (a change of partner) are not paired again."""
    rows = Pair.objects.filter(cohort=cohort, status=PairStatus.ENDED).values_list(
        "mentor__applicant_id", "mentee__applicant_id"
    )
    return frozenset(frozenset(row) for row in rows)


def matching_rules(*, cohort, settings: MatchingSettings, kept_pairs) -> Rules:
    """The hard rules for a cohort, with the pairs already made (``kept_pairs``) fixed and
    the pairs that ended in this cohort never made again."""
    rejected = PairingRejection.objects.filter(cohort=cohort).values_list("mentor_id", "mentee_id")
    return Rules(
        allow_same_institution=settings.allow_same_institution,
        allow_repeat_pairs=settings.allow_repeat_pairs,
        earlier_pairs=earlier_person_pairs(cohort=cohort),
        cohort_pairs=frozenset(
            frozenset((pair.mentor.applicant_id, pair.mentee.applicant_id)) for pair in kept_pairs
        )
        | _ended_person_pairs(cohort),
        rejected=frozenset(rejected),
    )


@dataclass
class WorkspaceRow:
    """A suggested or confirmed pairing as the workspace shows it, weighed for and against
    under the cohort's current weights (``review``)."""

    obj: object
    mentor: Application
    mentee: Application
    review: Review
    comments: list[PairingComment] = field(default_factory=list)
    next_anchor: str = ""  # the row shown after this one, where its outcome goes if it leaves

    @property
    def anchor(self) -> str:
        """The row's id on the page: ``suggestion-<id>`` or ``pair-<id>``."""
        kind = "suggestion" if isinstance(self.obj, MatchSuggestion) else "pair"
        return f"{kind}-{self.obj.pk}"


@dataclass
class Unmatched:
    application: Application
    reason: str
    free_slots: int = 0


@dataclass
class MatchingWorkspace:
    """Everything the matching workspace shows for one cohort."""

    cohort: object
    settings: MatchingSettings
    suggestions: list[WorkspaceRow]
    confirmed: list[WorkspaceRow]
    published: list[WorkspaceRow]
    unmatched_mentors: list[Unmatched]
    unmatched_mentees: list[Unmatched]
    mentor_count: int
    mentee_count: int
    rejected_count: int

    @property
    def locked_count(self) -> int:
        return sum(1 for row in self.confirmed if row.obj.locked)


def mentor_capacity(application: Application) -> int:
    return application.mentee_capacity or 1


def matching_workspace(*, cohort) -> MatchingWorkspace:
    """The cohort's matching workspace, in a fixed number of queries."""
    settings = matching_settings_for(cohort=cohort)
    applications = {a.pk: a for a in accepted_applications(cohort=cohort)}
    comments = defaultdict(list)
    for comment in PairingComment.objects.filter(cohort=cohort).select_related("author"):
        comments[comment.key].append(comment)
    reviewer = Reviewer(cohort=cohort, settings=settings, applications=applications)
    suggestions = _rows(MatchSuggestion.objects.filter(cohort=cohort), reviewer, comments)
    pairs = Pair.objects.filter(cohort=cohort, status__in=ACTIVE_PAIR_STATUSES).select_related(
        "confirmed_by", "published_by"
    )
    pair_rows = _rows(pairs.order_by("-confirmed_at", "pk"), reviewer, comments)
    confirmed = [row for row in pair_rows if row.obj.status == PairStatus.CONFIRMED]
    published = [row for row in pair_rows if row.obj.status == PairStatus.PUBLISHED]
    mentors, mentees = _unmatched(applications, settings, [*suggestions, *pair_rows])
    return MatchingWorkspace(
        cohort=cohort,
        settings=settings,
        suggestions=suggestions,
        confirmed=confirmed,
        published=published,
        unmatched_mentors=mentors,
        unmatched_mentees=mentees,
        mentor_count=sum(1 for a in applications.values() if a.is_mentor),
        mentee_count=sum(1 for a in applications.values() if a.is_mentee),
        rejected_count=PairingRejection.objects.filter(cohort=cohort).count(),
    )


class Reviewer:
    """Weighs any pairing of a cohort's accepted applications, each read once."""

    def __init__(self, *, cohort, settings: MatchingSettings, applications: dict):
        self.applications = applications
        self.weights = matching_weights(settings=settings)
        self.at = matching_moment(cohort=cohort)
        self.people: dict[int, Person] = {}

    def person(self, application: Application) -> Person:
        if application.pk not in self.people:
            self.people[application.pk] = person_from_application(
                application=application, at=self.at
            )
        return self.people[application.pk]

    def review(self, mentor: Application, mentee: Application) -> Review:
        return pair_review(
            mentor=self.person(mentor), mentee=self.person(mentee), weights=self.weights
        )


def _rows(queryset, reviewer: Reviewer, comments: dict) -> list[WorkspaceRow]:
    """Rows whose two applications are both still accepted; others are stale and skipped."""
    rows = []
    for obj in queryset:
        mentor = reviewer.applications.get(obj.mentor_id)
        mentee = reviewer.applications.get(obj.mentee_id)
        if mentor is None or mentee is None:
            continue
        review = reviewer.review(mentor, mentee)
        rows.append(WorkspaceRow(obj, mentor, mentee, review, comments.get(obj.key, [])))
    return rows


def _unmatched(applications: dict, settings: MatchingSettings, rows: list[WorkspaceRow]):
    taken: dict[int, int] = defaultdict(int)
    placed: set[int] = set()
    for row in rows:
        taken[row.mentor.pk] += 1
        placed.add(row.mentee.pk)
    reasons = settings.unmatched or {}
    mentors = [
        Unmatched(a, reasons.get("mentors", {}).get(str(a.pk), NOT_RUN_YET), free)
        for a in applications.values()
        if a.is_mentor and (free := mentor_capacity(a) - taken[a.pk]) > 0
    ]
    mentees = [
        Unmatched(a, reasons.get("mentees", {}).get(str(a.pk), NOT_RUN_YET))
        for a in applications.values()
        if a.is_mentee and a.pk not in placed
    ]
    return mentors, mentees


@dataclass
class PairingReview:
    """One mentor and one mentee of a cohort weighed side by side, with the hard rule the
    pair would break (None when it keeps them all, or is a pair already) and the
    suggestion or active pair that holds the two, if any."""

    mentor: Application
    mentee: Application
    review: Review
    broken: str | None
    suggestion: MatchSuggestion | None
    pair: Pair | None


def pairing_review(*, cohort, mentor_id: int, mentee_id: int) -> PairingReview | None:
    """A mentor's and a mentee's accepted applications weighed together; None when either
    is not an accepted application of the cohort on that side."""
    found = {
        a.pk: a for a in accepted_applications(cohort=cohort).filter(pk__in=[mentor_id, mentee_id])
    }
    mentor, mentee = found.get(mentor_id), found.get(mentee_id)
    if mentor is None or mentee is None or not (mentor.is_mentor and mentee.is_mentee):
        return None
    settings = matching_settings_for(cohort=cohort)
    reviewer = Reviewer(cohort=cohort, settings=settings, applications=found)
    pairs = list(active_pairs(cohort=cohort).select_related("mentor", "mentee"))
    pair = next((p for p in pairs if p.key == (mentor_id, mentee_id)), None)
    rules = matching_rules(cohort=cohort, settings=settings, kept_pairs=pairs)
    broken = None
    if pair is None:
        broken = pair_rule_broken(
            mentor=reviewer.person(mentor), mentee=reviewer.person(mentee), rules=rules
        )
    suggestion = MatchSuggestion.objects.filter(
        cohort=cohort, mentor_id=mentor_id, mentee_id=mentee_id
    ).first()
    return PairingReview(mentor, mentee, reviewer.review(mentor, mentee), broken, suggestion, pair)

"""Writes for matching: run the suggestions, accept or reject them, pair by hand, lock,
release, comment, publish, and carry an unmatched applicant forward to next year.

The rules, in one place:

- Only accepted applications of the cohort are matched. Mentors are applications as
  mentor or both, with 1-3 places (``mentee_capacity``); mentees are applications as
  mentee or both.
- The solver (cohorts.matching.engine) suggests the best overall set of pairings for everyone not
  yet in a kept pair. Running it again keeps published and locked pairs, returns unlocked
  confirmed pairs to the pool, and replaces every earlier suggestion.
- A rejected suggestion is never suggested again; a coordinator may still pair the two by
  hand.
- Every pair, suggested or by hand, keeps the hard rules (``pair_rule_broken``), the
  mentor's capacity, and one mentor per mentee; a broken rule is refused with its message
  and writes nothing.
- Confirmed pairs are drafts that only coordinators see. Publishing makes every confirmed
  pair of the cohort published at once, and each member is e-mailed once, after the commit.
- Writes to one cohort's matching take a lock on its settings row, so coordinators working
  side by side never both fill a mentor's last place.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cohorts.choices import ApplicationStatus, PairSource, PairStatus, ReminderKind
from cohorts.matching.engine import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    WEIGHT_MAX,
    Result,
    Rules,
    Weights,
    pair_rule_broken,
    pair_score,
    suggest,
)
from cohorts.matching.models import (
    COMMENT_MAX_LENGTH,
    MatchingSettings,
    MatchSuggestion,
    PairingComment,
    PairingRejection,
)
from cohorts.matching.selectors import (
    accepted_applications,
    active_pairs,
    matching_moment,
    matching_rules,
    matching_weights,
    mentor_capacity,
    person_from_application,
)
from cohorts.outbox.services import outbox_add, outbox_send_soon
from cohorts.pairs.models import Pair
from cohorts.program.models import Application, CohortPage
from cohorts.program.models.applications import ANSWER_FIELDS
from cohorts.program.services.review import application_status_change

NOT_ACCEPTED = "{name}'s application to this cohort is not accepted, so they cannot be paired."
NOT_A_MENTOR = "{name} did not apply as a mentor."
NOT_A_MENTEE = "{name} did not apply as a mentee."
MENTEE_TAKEN = "{name} already has a mentor in this cohort."
MENTOR_FULL = "{name} already has {count} mentee(s), as many as they can take."
SUGGESTION_GONE = (
    "That suggestion is no longer there: another coordinator may have acted on it, or the "
    "suggestions were run again. The page now shows the current ones."
)
RUN_WOULD_RELEASE = (
    "Running the suggestions again would return {count} confirmed {pairs} that are not locked "
    "to the pool. Lock the pairs to keep, or tick “Return them to the pool” and run again."
)
NO_SUGGESTIONS_CHOSEN = "Choose the suggestions to accept."
PAIR_GONE = "That pair is no longer a confirmed draft: the page now shows the current pairs."
NOTHING_TO_PUBLISH = "There are no confirmed pairs to publish."
WEIGHT_OUT_OF_RANGE = f"Each weight must be a whole number from 0 to {WEIGHT_MAX}."
UNKNOWN_CRITERION = "Choose criteria from the list."
COMMENT_EMPTY = "Write a comment first."
COMMENT_TOO_LONG = f"Keep a comment under {COMMENT_MAX_LENGTH} characters."
COMMENT_NULL_CHARACTER = "A comment cannot contain null characters; remove them and try again."
NO_NEXT_COHORT = (
    "There is no later cohort to carry {name} forward to yet. Create next year's cohort "
    "(Copy to next year on this cohort's page) first."
)
NOT_UNMATCHED = "{name} is in a pair or a suggestion in this cohort, so they are not unmatched."
CARRIED_NOTE = (
    "You were not matched this year. Your application is carried forward to {cohort} with "
    "priority, and you will be among the first to be matched there."
)


class MatchingError(ValueError):
    """A matching action that breaks a rule; the message says which, for the coordinator."""


# ---- Settings -------------------------------------------------------------------------------


def matching_settings_update(
    *,
    cohort: CohortPage,
    weights: dict[str, int],
    must_have: list[str],
    allow_same_institution: bool,
    allow_repeat_pairs: bool,
) -> MatchingSettings:
    """Save the cohort's weights, must-haves and the two rules it may relax."""
    if set(weights) - set(CRITERIA) or set(must_have) - set(CRITERIA):
        raise MatchingError(UNKNOWN_CRITERION)
    if any(not isinstance(v, int) or not 0 <= v <= WEIGHT_MAX for v in weights.values()):
        raise MatchingError(WEIGHT_OUT_OF_RANGE)
    with transaction.atomic():
        settings = _lock(cohort)
        settings.weights = {**DEFAULT_WEIGHTS, **weights}
        settings.must_have = [key for key in CRITERIA if key in must_have]
        settings.allow_same_institution = allow_same_institution
        settings.allow_repeat_pairs = allow_repeat_pairs
        settings.save()
    return settings


def _lock(cohort: CohortPage) -> MatchingSettings:
    """The cohort's settings row, created with the defaults if missing, locked for update."""
    MatchingSettings.objects.get_or_create(
        cohort=cohort, defaults={"weights": dict(DEFAULT_WEIGHTS), "must_have": []}
    )
    return MatchingSettings.objects.select_for_update().get(cohort=cohort)


# ---- Suggestions ----------------------------------------------------------------------------


def suggestions_run(*, cohort: CohortPage, user, release_confirmed: bool = False) -> Result:
    """Suggest the best pairings for everyone not in a published or locked pair.

    Earlier suggestions are replaced. Confirmed pairs that are not locked go back to the
    pool, but only when ``release_confirmed`` says so: otherwise a run that would drop any
    is refused with how many, so no coordinator's work vanishes unasked. The unmatched and
    their reasons are kept on the settings row for the workspace.
    """
    with transaction.atomic():
        settings = _lock(cohort)
        releasable = active_pairs(cohort=cohort).filter(status=PairStatus.CONFIRMED, locked=False)
        count = releasable.count()
        if count and not release_confirmed:
            raise MatchingError(
                RUN_WOULD_RELEASE.format(count=count, pairs="pair" if count == 1 else "pairs")
            )
        releasable.delete()
        MatchSuggestion.objects.filter(cohort=cohort).delete()
        applications = list(accepted_applications(cohort=cohort))
        kept = list(active_pairs(cohort=cohort).select_related("mentor", "mentee"))
        mentors, mentees = _people(cohort, applications, kept)
        rules = matching_rules(cohort=cohort, settings=settings, kept_pairs=kept)
        result = suggest(
            mentors=mentors,
            mentees=mentees,
            weights=matching_weights(settings=settings),
            rules=rules,
        )
        MatchSuggestion.objects.bulk_create(
            MatchSuggestion(
                cohort=cohort,
                mentor_id=s.mentor_application_id,
                mentee_id=s.mentee_application_id,
                score=round(s.score.total, 2),
                reasons=s.score.reasons,
            )
            for s in result.suggestions
        )
        settings.unmatched = {
            "mentors": {str(k): v for k, v in result.unmatched_mentors.items()},
            "mentees": {str(k): v for k, v in result.unmatched_mentees.items()},
        }
        settings.last_run_at, settings.last_run_by = timezone.now(), user
        settings.save(update_fields=["unmatched", "last_run_at", "last_run_by", "updated_at"])
    return result


def _people(cohort, applications: list[Application], kept: list[Pair]):
    """The solver's mentors (with the places they have left) and mentees still to pair."""
    at = matching_moment(cohort=cohort)
    taken: dict[int, int] = {}
    placed = set()
    for pair in kept:
        taken[pair.mentor_id] = taken.get(pair.mentor_id, 0) + 1
        placed.add(pair.mentee_id)
    mentors = [
        person_from_application(application=a, at=at, slots=slots)
        for a in applications
        if a.is_mentor and (slots := mentor_capacity(a) - taken.get(a.pk, 0)) > 0
    ]
    mentees = [
        person_from_application(application=a, at=at)
        for a in applications
        if a.is_mentee and a.pk not in placed
    ]
    return mentors, mentees


def suggestion_accept(*, cohort: CohortPage, suggestion_id: int, user) -> Pair:
    """Confirm one suggestion as a draft pair, if every rule still holds."""
    with transaction.atomic():
        _lock(cohort)
        suggestion = _suggestion(cohort, suggestion_id)
        pair = _pair_create(
            _Pairing.load(cohort),
            suggestion.mentor,
            suggestion.mentee,
            user,
            source=PairSource.SUGGESTED,
        )
        suggestion.delete()
    return pair


def suggestions_accept_all(*, cohort: CohortPage, user) -> tuple[int, list[str]]:
    """Confirm every suggestion of the cohort that still keeps the rules (the demo and the
    benchmarks use it; the workspace confirms the rows it shows, ``suggestions_accept``)."""
    ids = list(MatchSuggestion.objects.filter(cohort=cohort).values_list("pk", flat=True))
    return suggestions_accept(cohort=cohort, suggestion_ids=ids, user=user) if ids else (0, [])


def suggestions_accept(
    *, cohort: CohortPage, suggestion_ids: Sequence[int], user
) -> tuple[int, list[str]]:
    """Confirm exactly these suggestions where they still keep the rules; say why any other
    was skipped (one no longer suggested, or a rule it breaks now)."""
    wanted = set(suggestion_ids)
    if not wanted:
        raise MatchingError(NO_SUGGESTIONS_CHOSEN)
    accepted, skipped = [], []
    with transaction.atomic():
        _lock(cohort)
        pairing = _Pairing.load(cohort)
        suggestions = (
            MatchSuggestion.objects.filter(cohort=cohort, pk__in=wanted)
            .select_related("mentor__applicant__profile", "mentee__applicant__profile")
            .prefetch_related("mentor__areas", "mentee__areas")
            .order_by("pk")
        )
        skipped += [SUGGESTION_GONE] * (len(wanted) - len(suggestions))
        for suggestion in suggestions:
            try:
                with transaction.atomic():
                    _pair_create(
                        pairing,
                        suggestion.mentor,
                        suggestion.mentee,
                        user,
                        source=PairSource.SUGGESTED,
                    )
            except MatchingError as error:
                skipped.append(str(error))
                continue
            accepted.append(suggestion.pk)
        MatchSuggestion.objects.filter(pk__in=accepted).delete()
    return len(accepted), skipped


def suggestion_reject(*, cohort: CohortPage, suggestion_id: int, user) -> None:
    """Reject a suggestion: it goes, and the solver never suggests the two again."""
    with transaction.atomic():
        _lock(cohort)
        suggestion = _suggestion(cohort, suggestion_id)
        PairingRejection.objects.get_or_create(
            cohort=cohort,
            mentor_id=suggestion.mentor_id,
            mentee_id=suggestion.mentee_id,
            defaults={"rejected_by": user},
        )
        suggestion.delete()


def _suggestion(cohort, suggestion_id) -> MatchSuggestion:
    suggestion = (
        MatchSuggestion.objects.filter(cohort=cohort, pk=suggestion_id)
        .select_related("mentor__applicant", "mentee__applicant")
        .first()
    )
    if suggestion is None:
        raise MatchingError(SUGGESTION_GONE)
    return suggestion


# ---- Pairs ----------------------------------------------------------------------------------


def pair_by_hand(*, cohort: CohortPage, mentor_id: int, mentee_id: int, user) -> Pair:
    """A coordinator pairs two people themselves; the hard rules still apply."""
    with transaction.atomic():
        _lock(cohort)
        found = Application.objects.filter(cohort=cohort, pk__in=[mentor_id, mentee_id])
        by_id = {a.pk: a for a in found.select_related("applicant")}
        if mentor_id not in by_id or mentee_id not in by_id:
            raise MatchingError(SUGGESTION_GONE)
        # A pair made by hand is a coordinator's decision: locked, so a later run keeps it.
        pair = _pair_create(
            _Pairing.load(cohort),
            by_id[mentor_id],
            by_id[mentee_id],
            user,
            source=PairSource.MANUAL,
            locked=True,
        )
        MatchSuggestion.objects.filter(cohort=cohort, mentee_id=mentee_id).delete()
    return pair


@dataclass
class _Pairing:
    """What checking and scoring a new pair reads, loaded once per action under the cohort's
    lock; each pair the action makes is added to it, so a bulk accept checks every pair
    against the ones it has just made without reading them all again."""

    cohort: CohortPage
    at: datetime.datetime
    weights: Weights
    rules: Rules
    taken_mentees: set[int]
    mentor_counts: Counter

    @classmethod
    def load(cls, cohort: CohortPage) -> "_Pairing":
        settings = MatchingSettings.objects.get(cohort=cohort)
        pairs = list(active_pairs(cohort=cohort).select_related("mentor", "mentee"))
        return cls(
            cohort=cohort,
            at=matching_moment(cohort=cohort),
            weights=matching_weights(settings=settings),
            rules=matching_rules(cohort=cohort, settings=settings, kept_pairs=pairs),
            taken_mentees={pair.mentee_id for pair in pairs},
            mentor_counts=Counter(pair.mentor_id for pair in pairs),
        )

    def add(self, pair: Pair) -> None:
        couple = frozenset((pair.mentor.applicant_id, pair.mentee.applicant_id))
        self.rules = replace(self.rules, cohort_pairs=self.rules.cohort_pairs | {couple})
        self.taken_mentees.add(pair.mentee_id)
        self.mentor_counts[pair.mentor_id] += 1


def _pair_create(
    pairing: _Pairing, mentor: Application, mentee: Application, user, *, source, locked=False
) -> Pair:
    """Check every rule for the two applications, then confirm them as a draft pair."""
    people = {
        side: person_from_application(application=application, at=pairing.at)
        for side, application in (("mentor", mentor), ("mentee", mentee))
    }
    _check_pairable(pairing, mentor, mentee, people)
    score = pair_score(mentor=people["mentor"], mentee=people["mentee"], weights=pairing.weights)
    pair = Pair.objects.create(
        cohort=pairing.cohort,
        mentor=mentor,
        mentee=mentee,
        source=source,
        locked=locked,
        score=round(score.total, 2),
        reasons=score.reasons,
        confirmed_by=user,
        confirmed_at=timezone.now(),
    )
    pairing.add(pair)
    return pair


def _check_pairable(pairing: _Pairing, mentor: Application, mentee: Application, people) -> None:
    for application in (mentor, mentee):
        if application.status != ApplicationStatus.ACCEPTED:
            raise MatchingError(NOT_ACCEPTED.format(name=application.applicant.display_name))
    if not mentor.is_mentor:
        raise MatchingError(NOT_A_MENTOR.format(name=mentor.applicant.display_name))
    if not mentee.is_mentee:
        raise MatchingError(NOT_A_MENTEE.format(name=mentee.applicant.display_name))
    if mentee.pk in pairing.taken_mentees:
        raise MatchingError(MENTEE_TAKEN.format(name=mentee.applicant.display_name))
    count = pairing.mentor_counts[mentor.pk]
    if count >= mentor_capacity(mentor):
        raise MatchingError(MENTOR_FULL.format(name=mentor.applicant.display_name, count=count))
    broken = pair_rule_broken(
        mentor=people["mentor"], mentee=people["mentee"], rules=pairing.rules
    )
    if broken:
        raise MatchingError(broken)


def _confirmed_pair(cohort, pair_id) -> Pair:
    pair = Pair.objects.filter(cohort=cohort, pk=pair_id, status=PairStatus.CONFIRMED).first()
    if pair is None:
        raise MatchingError(PAIR_GONE)
    return pair


def pair_lock(*, cohort: CohortPage, pair_id: int, locked: bool) -> Pair:
    """Lock a confirmed pair (a re-run of the suggestions keeps it) or unlock it."""
    with transaction.atomic():
        _lock(cohort)
        pair = _confirmed_pair(cohort, pair_id)
        pair.locked = locked
        pair.save(update_fields=["locked"])
    return pair


def pair_release(*, cohort: CohortPage, pair_id: int) -> None:
    """Undo a confirmed, unpublished pair: both people go back to the unmatched."""
    with transaction.atomic():
        _lock(cohort)
        _confirmed_pair(cohort, pair_id).delete()


def pairs_publish(*, cohort: CohortPage, user) -> int:
    """Publish every confirmed pair of the cohort; each member is e-mailed once through the
    outbox, after the commit. Publishing again finds nothing confirmed and sends nothing."""
    with transaction.atomic():
        _lock(cohort)
        pairs = list(
            Pair.objects.filter(cohort=cohort, status=PairStatus.CONFIRMED).values_list(
                "pk", "mentor__applicant_id", "mentee__applicant_id"
            )
        )
        if not pairs:
            raise MatchingError(NOTHING_TO_PUBLISH)
        Pair.objects.filter(pk__in=[pair_id for pair_id, _, _ in pairs]).update(
            status=PairStatus.PUBLISHED,
            locked=True,
            published_by=user,
            published_at=timezone.now(),
        )
        for pair_id, mentor_id, mentee_id in pairs:
            ids = outbox_add(
                kind=ReminderKind.MATCHED,
                cohort=cohort,
                period=f"pair-{pair_id}",
                recipients=[(mentor_id, pair_id), (mentee_id, pair_id)],
            )
            outbox_send_soon(ids)
    return len(pairs)


# ---- Comments -------------------------------------------------------------------------------


def pairing_comment_add(
    *, cohort: CohortPage, mentor_id: int, mentee_id: int, user, body: str
) -> PairingComment:
    """A coordinator comments on a suggested or confirmed pairing of this cohort."""
    body = body.strip()
    if not body:
        raise MatchingError(COMMENT_EMPTY)
    if len(body) > COMMENT_MAX_LENGTH:
        raise MatchingError(COMMENT_TOO_LONG)
    if "\x00" in body:
        raise MatchingError(COMMENT_NULL_CHARACTER)
    known = Application.objects.filter(cohort=cohort, pk__in=[mentor_id, mentee_id]).count()
    if known != len({mentor_id, mentee_id}):
        raise MatchingError(SUGGESTION_GONE)
    return PairingComment.objects.create(
        cohort=cohort, mentor_id=mentor_id, mentee_id=mentee_id, author=user, body=body
    )


# ---- Carrying the unmatched forward -----------------------------------------------------------


def next_cohort(*, cohort: CohortPage) -> CohortPage | None:
    """The cohort whose formal mentoring starts next after this one's, published or not."""
    return (
        CohortPage.objects.filter(formal_start__gt=cohort.formal_start)
        .order_by("formal_start")
        .first()
    )


def application_carry_forward(*, cohort: CohortPage, application_id: int, user) -> Application:
    """Waitlist an unmatched applicant here and carry their application into the next
    cohort, submitted and with priority. They are told by e-mail."""
    with transaction.atomic():
        _lock(cohort)
        application = (
            Application.objects.select_related("applicant")
            .prefetch_related("areas")
            .get(cohort=cohort, pk=application_id)
        )
        name = application.applicant.display_name
        target = next_cohort(cohort=cohort)
        if target is None:
            raise MatchingError(NO_NEXT_COHORT.format(name=name))
        if _is_placed(cohort, application):
            raise MatchingError(NOT_UNMATCHED.format(name=name))
        carried = _carried_copy(application, target)
        application_status_change(
            application=application,
            coordinator=user,
            status=ApplicationStatus.WAITLISTED,
            note=CARRIED_NOTE.format(cohort=target.title),
        )
    return carried


def _is_placed(cohort, application: Application) -> bool:
    """In any pair or suggestion of the cohort, on either side."""
    either = Q(mentor=application) | Q(mentee=application)
    return (
        active_pairs(cohort=cohort).filter(either).exists()
        or MatchSuggestion.objects.filter(either, cohort=cohort).exists()
    )


def _carried_copy(application: Application, target: CohortPage) -> Application:
    """The member's application in the target cohort, with priority: their own, if they
    already applied there, otherwise a submitted copy of this one."""
    existing = Application.objects.filter(cohort=target, applicant=application.applicant).first()
    if existing is not None:
        existing.priority, existing.carried_from = True, application
        existing.save(update_fields=["priority", "carried_from", "updated_at"])
        return existing
    copy = Application.objects.create(
        cohort=target,
        applicant=application.applicant,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now(),
        priority=True,
        carried_from=application,
        **{name: getattr(application, name) for name in ANSWER_FIELDS},
    )
    copy.areas.set(application.areas.all())
    return copy


def matching_settings_copy(*, source: CohortPage, target) -> None:
    """Next year matches with this year's weights, must-haves and relaxed rules."""
    settings = MatchingSettings.objects.filter(cohort=source).first()
    if settings is not None:
        MatchingSettings.objects.create(
            cohort_id=target.pk,
            weights=settings.weights,
            must_have=settings.must_have,
            allow_same_institution=settings.allow_same_institution,
            allow_repeat_pairs=settings.allow_repeat_pairs,
        )

"""Who may be paired with whom, and how good a pair is.

``pair_rule_broken`` holds the hard rules: no cohort ever pairs two people who break one,
whether the pairing engine suggests the pair or a coordinator makes it by hand.
``pair_score`` explains one pair criterion by criterion; ``score_matrix`` scores every
(mentor, mentee) pair of a cohort at once, with the same numbers, for the pairing engine.
"""

import datetime
import functools
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cohorts.matching.engine.criteria import CRITERIA, EVALUATORS, Weights

SAME_PERSON = "{mentor} cannot mentor themselves."
AVOIDED = "{mentor} and {mentee} asked not to be paired with each other."
SAME_INSTITUTION = (
    "{mentor} and {mentee} work at the same institution, and this cohort does not allow that."
)
ALREADY_PAIRED = "{mentor} and {mentee} are already paired in this cohort."
EARLIER_PAIR = (
    "{mentor} and {mentee} were paired in an earlier cohort, "
    "and this cohort does not allow repeat pairs."
)


@dataclass(frozen=True)
class Person:
    """One accepted application, on the mentor side or the mentee side of the matching.

    An applicant who applied as both mentor and mentee appears once on each side, with the
    same ``person_id`` (and the same ``application_id``). Text fields are already normalised
    by the caller (see ``normalise``), so equal strings mean the same thing.
    """

    application_id: int
    person_id: int  # the user id
    name: str = ""
    slots: int = 1  # mentees still to take (mentor side); ignored on the mentee side
    areas: frozenset[int] = frozenset()
    years: int | None = None
    career_stage: str = ""
    contact_methods: frozenset[str] = frozenset()
    utc_offset_minutes: int | None = None
    midwinter: bool = False
    annual: bool = False
    institution: str = ""
    library_type: str = ""
    prefers_outside_institution: bool = False
    preferred_library_type: str = ""
    priority: bool = False
    identities: frozenset[str] = frozenset()  # normalised e-mail and full name
    avoid: frozenset[str] = frozenset()  # normalised lines of "not to be paired with"

    @property
    def label(self) -> str:
        """How messages name this person."""
        return self.name or f"Application {self.application_id}"


@dataclass(frozen=True)
class Rules:
    """The hard rules of one cohort, and the pairs it already holds or has turned down."""

    allow_same_institution: bool = False
    allow_repeat_pairs: bool = False
    earlier_pairs: frozenset[frozenset[int]] = frozenset()  # person ids paired before
    cohort_pairs: frozenset[frozenset[int]] = frozenset()  # person ids paired in this cohort
    # (mentor application id, mentee application id) a coordinator rejected: never suggested
    rejected: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class Score:
    """How good one pair is: points per criterion, their total, and why, in plain words."""

    total: float
    parts: dict[str, float]  # criterion -> points
    reasons: list[str]  # in the order of CRITERIA
    unmet_must_haves: list[str]  # criterion keys


FIT_SCALE = 100


@dataclass(frozen=True)
class Review:
    """A pair as coordinators weigh it: what speaks for it, what speaks against it, and its
    fit from 0 to FIT_SCALE, the share it earns of the points open to it under the cohort's
    weights (None when no weighted criterion applies to it)."""

    fit: int | None
    strengths: list[str]
    concerns: list[str]


@dataclass(frozen=True)
class ScoreMatrix:
    """The scores of every (mentor, mentee) pair of a cohort: mentors as rows."""

    scores: np.ndarray  # float64; each cell equals pair_score(...).total
    unmet: dict[str, np.ndarray]  # must-have criterion -> where a pair does not meet it


def normalise(text: str) -> str:
    """Text as compared by the matching: case-folded, trimmed, inner whitespace collapsed."""
    return " ".join(text.casefold().split())


@functools.lru_cache(maxsize=4096)
def utc_offset_minutes(*, time_zone: str, at: datetime.datetime) -> int | None:
    """The offset from UTC of an IANA time zone at a moment, in minutes; None if unknown.

    A naive ``at`` is taken as UTC.
    """
    if not time_zone:
        return None
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    moment = at if at.tzinfo is not None else at.replace(tzinfo=datetime.UTC)
    return int(moment.astimezone(zone).utcoffset().total_seconds()) // 60


def pair_rule_broken(*, mentor: Person, mentee: Person, rules: Rules) -> str | None:
    """The message of the first hard rule that forbids this pair, or None if none does.

    The caller checks the mentor's capacity; a coordinator's rejection only keeps a pair
    out of suggestions, so it is no rule here.
    """
    names = {"mentor": mentor.label, "mentee": mentee.label}
    couple = frozenset({mentor.person_id, mentee.person_id})
    if mentor.person_id == mentee.person_id:
        return SAME_PERSON.format(**names)
    if mentor.avoid & mentee.identities or mentee.avoid & mentor.identities:
        return AVOIDED.format(**names)
    if _same_institution(mentor, mentee) and not rules.allow_same_institution:
        return SAME_INSTITUTION.format(**names)
    if couple in rules.cohort_pairs:
        return ALREADY_PAIRED.format(**names)
    if couple in rules.earlier_pairs and not rules.allow_repeat_pairs:
        return EARLIER_PAIR.format(**names)
    return None


def _same_institution(mentor: Person, mentee: Person) -> bool:
    """Whether both name an institution, and it is the same one."""
    return bool(mentor.institution) and mentor.institution == mentee.institution


def pair_score(*, mentor: Person, mentee: Person, weights: Weights) -> Score:
    """The score of one pair, criterion by criterion, with the reasons worth telling.

    A reason is told when its criterion earned points, or when it is a must-have the pair
    meets.
    """
    parts: dict[str, float] = {}
    reasons: list[str] = []
    unmet: list[str] = []
    for key, criterion in EVALUATORS.items():
        assessment = criterion.assess(mentor=mentor, mentee=mentee)
        parts[key] = weights.weights[key] * assessment.fraction
        must = key in weights.must_have
        if assessment.reason and (parts[key] > 0 or (must and assessment.met)):
            reasons.append(assessment.reason)
        if must and not assessment.met:
            unmet.append(key)
    total = 0.0
    for points in parts.values():
        total += points  # in the order of CRITERIA, as score_matrix adds them
    return Score(total=total, parts=parts, reasons=reasons, unmet_must_haves=unmet)


def pair_review(*, mentor: Person, mentee: Person, weights: Weights) -> Review:
    """What speaks for and against one pair, criterion by criterion, and its fit.

    A criterion weighted 0 that is no must-have says nothing either way. The fit counts the
    criteria that apply to the pair (see ``Assessment.applies``): a perfect pair for what
    the mentee asked scores FIT_SCALE whatever the cohort's other criteria.
    """
    earned = possible = 0.0
    strengths: list[str] = []
    concerns: list[str] = []
    for key, criterion in EVALUATORS.items():
        weight, must = weights.weights[key], key in weights.must_have
        if not (weight or must):
            continue
        assessment = criterion.assess(mentor=mentor, mentee=mentee)
        if assessment.applies:
            earned += weight * assessment.fraction
            possible += weight
        if assessment.met and assessment.reason:
            strengths.append(assessment.reason)
        elif assessment.concern:
            concerns.append(assessment.concern)
    fit = round(FIT_SCALE * earned / possible) if possible else None
    return Review(fit=fit, strengths=strengths, concerns=concerns)


def score_matrix(
    *, mentors: Sequence[Person], mentees: Sequence[Person], weights: Weights
) -> ScoreMatrix:
    """The score of every (mentor, mentee) pair, and where each must-have is not met."""
    scores = np.zeros((len(mentors), len(mentees)))
    unmet: dict[str, np.ndarray] = {}
    for key in CRITERIA:
        weight, must = weights.weights[key], key in weights.must_have
        if not (weight or must):
            continue  # adds 0.0 everywhere, which changes no total
        matrices = EVALUATORS[key].matrices(mentors=mentors, mentees=mentees)
        scores += weight * matrices.fraction
        if must:
            unmet[key] = ~matrices.met
    return ScoreMatrix(scores=scores, unmet=unmet)

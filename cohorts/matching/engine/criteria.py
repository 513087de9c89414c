"""The matching criteria: what makes a mentor a good match for a mentee, and how much.

Each criterion rates a (mentor, mentee) pair with a fraction from 0 to 1 and says whether
the pair meets it. A pair earns ``weight × fraction`` points per criterion; a criterion the
coordinators mark as a must-have forbids every pair that does not meet it.

Every criterion is written twice, side by side: once for one pair (``assess``, used to
explain a pair) and once for every pair of a cohort as numpy matrices (``matrices``, mentors
as rows and mentees as columns, used to find the best pairing). Both forms must give the
same numbers through the same floating-point operations, so that the pairing chosen on the
matrices is explained with exactly the scores it was chosen for: a change to one form is a
change to the other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cohorts.matching.engine.scoring import Person

CRITERIA: dict[str, str] = {
    "shared_areas": "Shared areas of interest",
    "experience": "Mentor more experienced than the mentee",
    "contact_methods": "Shared contact methods",
    "time_zone": "Close time zones",
    "conference": "Both at the same conference",
    "library_type": "Mentee's preferred library type",
    "outside_institution": "Mentor outside the mentee's institution, when the mentee asks",
    "priority": "Carried over from last year with priority",
}
DEFAULT_WEIGHTS: dict[str, int] = {
    "shared_areas": 30,
    "experience": 20,
    "contact_methods": 10,
    "time_zone": 10,
    "conference": 10,
    "library_type": 10,
    "outside_institution": 10,
    "priority": 20,
}
WEIGHT_MAX = 100

WEIGHTS_MISSING = "Every criterion needs a weight; missing: {keys}."
WEIGHTS_UNKNOWN = "These are not matching criteria: {keys}."
WEIGHT_OUT_OF_RANGE = "The weight of “{label}” must be a whole number from 0 to {maximum}."

SHARED_AREAS_FULL = 3  # shared areas that earn the full weight
EXPERIENCE_YEARS_FULL = 10  # years ahead of the mentee that earn the full weight
EXPERIENCE_STAGES_FULL = 3  # career stages ahead of the mentee that earn the full weight
SHARED_CONTACT_METHODS_FULL = 2  # shared contact methods that earn the full weight
TIME_ZONE_HOURS_NONE = 6  # hours apart from which close time zones earn nothing
CLOSE_TIME_ZONE_HOURS = 3  # hours apart up to which time zones count as close (met)
MINUTES_PER_DAY = 24 * 60

CAREER_STAGE_ORDER: dict[str, int] = {"student": 0, "early": 1, "mid": 2, "senior": 3}
LIBRARY_TYPE_LABELS: dict[str, str] = {
    "academic": "Academic",
    "public": "Public",
    "school": "School",
    "special": "Special",
    "vendor": "Vendor",
    "lis_education": "LIS education",
    "other": "Other",
}


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts in a cohort, and which criteria a pair must meet."""

    weights: Mapping[str, int]  # every key of CRITERIA, from 0 to WEIGHT_MAX
    must_have: frozenset[str] = frozenset()  # keys of CRITERIA that a pair must meet

    def __post_init__(self) -> None:
        missing = [key for key in CRITERIA if key not in self.weights]
        if missing:
            raise ValueError(WEIGHTS_MISSING.format(keys=", ".join(missing)))
        unknown = sorted((set(self.weights) | set(self.must_have)) - set(CRITERIA))
        if unknown:
            raise ValueError(WEIGHTS_UNKNOWN.format(keys=", ".join(unknown)))
        for key, label in CRITERIA.items():
            if not _is_weight(self.weights[key]):
                raise ValueError(WEIGHT_OUT_OF_RANGE.format(label=label, maximum=WEIGHT_MAX))


def _is_weight(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= WEIGHT_MAX


@dataclass(frozen=True)
class Assessment:
    """One criterion's verdict on one pair: its fraction, whether it is met, and why.

    ``reason`` says what speaks for the pair, ``concern`` what speaks against it.
    ``applies`` is False where the criterion asks nothing of this pair (a mentee with no
    preferred library type, one who does not ask for a mentor from outside, the priority
    of a carried-over mentee): such a criterion is left out of the pair's fit.
    """

    fraction: float
    met: bool
    reason: str = ""
    concern: str = ""
    applies: bool = True


@dataclass(frozen=True)
class CriterionMatrices:
    """One criterion's verdict on every pair of a cohort: mentors as rows, mentees as columns."""

    fraction: np.ndarray  # float64
    met: np.ndarray  # bool


@dataclass(frozen=True)
class Criterion:
    """The two forms of one criterion: for one pair, and for a whole cohort at once."""

    assess: Callable[..., Assessment]
    matrices: Callable[..., CriterionMatrices]


def lower_label(label: str) -> str:
    """A label as it reads inside a sentence: lower case, except for acronyms such as LIS."""
    return " ".join(word if word.isupper() else word.lower() for word in label.split(" "))


def _count(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _optional(values: Sequence[int | None]) -> tuple[np.ndarray, np.ndarray]:
    """Integers that may be unknown, as an array (unknown as 0) and a mask of the known ones."""
    known = np.array([value is not None for value in values], dtype=bool)
    return np.array([value or 0 for value in values], dtype=np.int64), known


def _gaps(
    mentor_side: tuple[np.ndarray, np.ndarray], mentee_side: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Every mentor's value minus every mentee's, and where both values are known."""
    (mentor_values, mentor_known), (mentee_values, mentee_known) = mentor_side, mentee_side
    known = mentor_known[:, None] & mentee_known[None, :]
    return mentor_values[:, None] - mentee_values[None, :], known


def _flags(people: Sequence[Person], attribute: str) -> np.ndarray:
    return np.array([bool(getattr(person, attribute)) for person in people], dtype=bool)


def _codes(values: Sequence[str], vocabulary: dict[str, int]) -> np.ndarray:
    """The same integer code for the same string, across calls sharing `vocabulary`; -1 for ""."""
    return np.array(
        [vocabulary.setdefault(value, len(vocabulary)) if value else -1 for value in values],
        dtype=np.int64,
    )


def _incidence(sets: Sequence[frozenset], vocabulary: dict) -> np.ndarray:
    """A 0/1 matrix with one row per set and one column per item of the vocabulary."""
    matrix = np.zeros((len(sets), max(len(vocabulary), 1)))
    rows = [row for row, items in enumerate(sets) for _ in items]
    columns = [vocabulary[item] for items in sets for item in items]
    matrix[rows, columns] = 1.0
    return matrix


def overlap_counts(
    mentor_sets: Sequence[frozenset], mentee_sets: Sequence[frozenset]
) -> np.ndarray:
    """How many items each mentor's set shares with each mentee's set, as exact float64."""
    items = {item for sets in (mentor_sets, mentee_sets) for group in sets for item in group}
    vocabulary = {item: index for index, item in enumerate(items)}
    return _incidence(mentor_sets, vocabulary) @ _incidence(mentee_sets, vocabulary).T


def shared_areas(*, mentor: Person, mentee: Person) -> Assessment:
    """Areas of interest in common: the full weight from 3, met with 1."""
    count = len(mentor.areas & mentee.areas)
    if not count:
        return Assessment(0.0, False, concern="no shared area of interest")
    reason = _count(count, "shared area", "shared areas")
    return Assessment(min(count, SHARED_AREAS_FULL) / SHARED_AREAS_FULL, True, reason)


def shared_areas_matrices(
    *, mentors: Sequence[Person], mentees: Sequence[Person]
) -> CriterionMatrices:
    counts = overlap_counts([p.areas for p in mentors], [p.areas for p in mentees])
    fraction = np.minimum(counts, SHARED_AREAS_FULL) / SHARED_AREAS_FULL
    return CriterionMatrices(fraction, counts >= 1)


def _more_years(gap: int) -> str:
    return "1 more year's" if gap == 1 else f"{gap} more years'"


def _years_ahead(gap: int) -> str:
    return f"mentor has {_more_years(gap)} experience"


def _years_concern(mentor_years: int, mentee_years: int) -> str:
    """What speaks against a mentor who is not ahead of the mentee in years."""
    if mentor_years == mentee_years:
        return f"same years of experience ({mentee_years})"
    gap = mentee_years - mentor_years
    return (
        f"mentee has {_more_years(gap)} experience than the mentor "
        f"({mentee_years} against {mentor_years})"
    )


def _stage_concern(gap: int) -> str:
    return "same career stage" if gap == 0 else "mentee is further in their career"


def experience(*, mentor: Person, mentee: Person) -> Assessment:
    """Years ahead of the mentee (the full weight from 10), or career stages ahead when
    either's years are unknown (the full weight from 3); met when the mentor is ahead."""
    if mentor.years is not None and mentee.years is not None:
        gap = mentor.years - mentee.years
        fraction = max(0, min(gap, EXPERIENCE_YEARS_FULL)) / EXPERIENCE_YEARS_FULL
        if gap <= 0:
            return Assessment(fraction, False, concern=_years_concern(mentor.years, mentee.years))
        return Assessment(fraction, True, _years_ahead(gap))
    mentor_stage = CAREER_STAGE_ORDER.get(mentor.career_stage)
    mentee_stage = CAREER_STAGE_ORDER.get(mentee.career_stage)
    if mentor_stage is None or mentee_stage is None:
        return Assessment(0.0, False, concern="experience unknown: years and career stage")
    gap = mentor_stage - mentee_stage
    fraction = max(0, min(gap, EXPERIENCE_STAGES_FULL)) / EXPERIENCE_STAGES_FULL
    if gap <= 0:
        return Assessment(fraction, False, concern=_stage_concern(gap))
    return Assessment(fraction, True, "mentor is further in their career")


def experience_matrices(
    *, mentors: Sequence[Person], mentees: Sequence[Person]
) -> CriterionMatrices:
    year_gap, years_known = _gaps(
        _optional([p.years for p in mentors]), _optional([p.years for p in mentees])
    )
    stage_gap, stages_known = _gaps(
        _optional([CAREER_STAGE_ORDER.get(p.career_stage) for p in mentors]),
        _optional([CAREER_STAGE_ORDER.get(p.career_stage) for p in mentees]),
    )
    by_years = np.clip(year_gap, 0, EXPERIENCE_YEARS_FULL) / EXPERIENCE_YEARS_FULL
    by_stages = np.clip(stage_gap, 0, EXPERIENCE_STAGES_FULL) / EXPERIENCE_STAGES_FULL
    fraction = np.where(years_known, by_years, np.where(stages_known, by_stages, 0.0))
    met = np.where(years_known, year_gap > 0, stages_known & (stage_gap > 0))
    return CriterionMatrices(fraction, met)


def contact_methods(*, mentor: Person, mentee: Person) -> Assessment:
    """Contact methods in common: the full weight from 2, met with 1."""
    count = len(mentor.contact_methods & mentee.contact_methods)
    if not count:
        return Assessment(0.0, False, concern="no shared contact method")
    reason = _count(count, "shared contact method", "shared contact methods")
    fraction = min(count, SHARED_CONTACT_METHODS_FULL) / SHARED_CONTACT_METHODS_FULL
    return Assessment(fraction, True, reason)


def contact_methods_matrices(
    *, mentors: Sequence[Person], mentees: Sequence[Person]
) -> CriterionMatrices:
    counts = overlap_counts(
        [p.contact_methods for p in mentors], [p.contact_methods for p in mentees]
    )
    fraction = np.minimum(counts, SHARED_CONTACT_METHODS_FULL) / SHARED_CONTACT_METHODS_FULL
    return CriterionMatrices(fraction, counts >= 1)


def _time_zone_reason(hours: float) -> str:
    return "same time zone" if hours == 0 else f"{hours:g} h time difference"


def time_zone(*, mentor: Person, mentee: Person) -> Assessment:
    """Hours apart, the short way round the clock: the full weight at 0, nothing from 6,
    met up to 3; unknown (0, not met) when either offset is."""
    if mentor.utc_offset_minutes is None or mentee.utc_offset_minutes is None:
        return Assessment(0.0, False, concern="time zone unknown")
    minutes = abs(mentor.utc_offset_minutes - mentee.utc_offset_minutes) % MINUTES_PER_DAY
    hours = min(minutes, MINUTES_PER_DAY - minutes) / 60
    fraction = max(0.0, 1 - hours / TIME_ZONE_HOURS_NONE)
    met = hours <= CLOSE_TIME_ZONE_HOURS
    reason = _time_zone_reason(hours)
    return Assessment(fraction, met, reason, concern="" if met else reason)


def time_zone_matrices(
    *, mentors: Sequence[Person], mentees: Sequence[Person]
) -> CriterionMatrices:
    difference, known = _gaps(
        _optional([p.utc_offset_minutes for p in mentors]),
        _optional([p.utc_offset_minutes for p in mentees]),
    )
    minutes = np.abs(difference) % MINUTES_PER_DAY
    hours = np.minimum(minutes, MINUTES_PER_DAY - minutes) / 60
    fraction = np.where(known, np.maximum(0.0, 1 - hours / TIME_ZONE_HOURS_NONE), 0.0)
    return CriterionMatrices(fraction, known & (hours <= CLOSE_TIME_ZONE_HOURS))


def conference(*, mentor: Person, mentee: Person) -> Assessment:
    """Both plan to attend Midwinter, Annual or both: the full weight, and met."""
    shared = [
        name
        for name, mentor_goes, mentee_goes in (
            ("Midwinter", mentor.midwinter, mentee.midwinter),
            ("Annual", mentor.annual, mentee.annual),
        )
        if mentor_goes and mentee_goes
    ]
    if not shared:
        return Assessment(0.0, False, concern="not at the same conference")
    return Assessment(1.0, True, "both at " + " and ".join(shared))


def conference_matrices(
    *, mentors: Sequence[Person], mentees: Sequence[Person]
) -> CriterionMatrices:
    both = np.zeros((len(mentors), len(mentees)), dtype=bool)
    for attribute in ("midwinter", "annual"):
        both |= _flags(mentors, attribute)[:, None] & _flags(mentees, attribute)[None, :]
    return CriterionMatrices(both.astype(np.float64), both)


def library_type(*, mentor: Person, mentee: Person) -> Assessment:
    """The mentor works in the library type the mentee prefers: the full weight, and met;
    also met, with nothing earned, when the mentee states no preference."""
    preferred = mentee.preferred_library_type
    if not preferred:
        return Assessment(0.0, True, applies=False)
    label = _library_label(preferred)
    if mentor.library_type != preferred:
        return Assessment(0.0, False, concern=_library_concern(label, mentor.library_type))
    return Assessment(1.0, True, f"{label} library, as the mentee prefers")


def _library_label(library_type: str) -> str:
    return lower_label(LIBRARY_TYPE_LABELS.get(library_type, library_type))


def _library_concern(preferred_label: str, offered: str) -> str:
    article = "an" if preferred_label[0] in "aeiou" else "a"
    wanted = f"mentee prefers {article} {preferred_label} library"
    if not offered:
        return f"{wanted}; the mentor's library type is not given"
    return f"{wanted}; the mentor's is {_library_label(offered)}"


def library_type_matrices(
    *, mentors: Sequence[Person], mentees: Sequence[Person]
) -> CriterionMatrices:
    vocabulary: dict[str, int] = {}
    offered = _codes([p.library_type for p in mentors], vocabulary)
    preferred = _codes([p.preferred_library_type for p in mentees], vocabulary)
    same = (offered[:, None] == preferred[None, :]) & (preferred >= 0)[None, :]
    return CriterionMatrices(same.astype(np.float64), same | (preferred < 0)[None, :])


def outside_institution(*, mentor: Person, mentee: Person) -> Assessment:
    """A mentee who asks for a mentor from another institution gets one (an unknown
    institution counts as another): the full weight, and met; also met, with nothing
    earned, when the mentee does not ask."""
    if not mentee.prefers_outside_institution:
        return Assessment(0.0, True, applies=False)
    if mentor.institution and mentor.institution == mentee.institution:
        concern = "same institution, though the mentee asked for a mentor from outside"
        return Assessment(0.0, False, concern=concern)
    return Assessment(1.0, True, "outside the mentee's institution")


def same_institution_matrix(*, mentors: Sequence[Person], mentees: Sequence[Person]) -> np.ndarray:
    """Where a mentor and a mentee both name an institution, and it is the same one."""
    vocabulary: dict[str, int] = {}
    mentor_codes = _codes([p.institution for p in mentors], vocabulary)
    mentee_codes = _codes([p.institution for p in mentees], vocabulary)
    return (mentor_codes[:, None] == mentee_codes[None, :]) & (mentor_codes >= 0)[:, None]


def outside_institution_matrices(
    *, mentors: Sequence[Person], mentees: Sequence[Person]
) -> CriterionMatrices:
    asks = _flags(mentees, "prefers_outside_institution")[None, :]
    outside = asks & ~same_institution_matrix(mentors=mentors, mentees=mentees)
    return CriterionMatrices(outside.astype(np.float64), outside | ~asks)


def priority(*, mentor: Person, mentee: Person) -> Assessment:
    """The mentee was carried over from last year with priority: the full weight. Always met;
    a mentor's priority does not count. It orders who is matched first and says nothing of
    how well two people fit, so it never applies to a pair's fit."""
    if not mentee.priority:
        return Assessment(0.0, True, applies=False)
    return Assessment(1.0, True, "mentee carried over with priority", applies=False)


def priority_matrices(
    *, mentors: Sequence[Person], mentees: Sequence[Person]
) -> CriterionMatrices:
    shape = (len(mentors), len(mentees))
    fraction = np.broadcast_to(_flags(mentees, "priority").astype(np.float64), shape)
    return CriterionMatrices(fraction, np.ones(shape, dtype=bool))


EVALUATORS: dict[str, Criterion] = {
    "shared_areas": Criterion(shared_areas, shared_areas_matrices),
    "experience": Criterion(experience, experience_matrices),
    "contact_methods": Criterion(contact_methods, contact_methods_matrices),
    "time_zone": Criterion(time_zone, time_zone_matrices),
    "conference": Criterion(conference, conference_matrices),
    "library_type": Criterion(library_type, library_type_matrices),
    "outside_institution": Criterion(outside_institution, outside_institution_matrices),
    "priority": Criterion(priority, priority_matrices),
}

"""The matching engine: scores mentor→mentee pairs and suggests the best pairing of a cohort.

Pure Python and numpy, with no database: the caller turns a cohort's accepted applications
into ``Person`` objects (one per side for a person who applied as both) and its rules into
``Rules``, then calls ``suggest``. ``pair_rule_broken`` also checks a pair a coordinator makes
by hand, ``pair_score`` explains any pair, and ``pair_review`` weighs it for coordinators.
"""

from cohorts.matching.engine.criteria import (
    CLOSE_TIME_ZONE_HOURS,
    CRITERIA,
    DEFAULT_WEIGHTS,
    WEIGHT_MAX,
    Weights,
)
from cohorts.matching.engine.scoring import (
    ALREADY_PAIRED,
    AVOIDED,
    EARLIER_PAIR,
    FIT_SCALE,
    SAME_INSTITUTION,
    SAME_PERSON,
    Person,
    Review,
    Rules,
    Score,
    ScoreMatrix,
    normalise,
    pair_review,
    pair_rule_broken,
    pair_score,
    score_matrix,
    utc_offset_minutes,
)
from cohorts.matching.engine.solver import (
    CAPACITY_EXHAUSTED,
    MENTEE_IS_THEIR_MENTOR,
    MENTEES_TAKEN,
    MENTOR_IS_THEIR_MENTEE,
    NO_COMPATIBLE_MENTEE,
    NO_COMPATIBLE_MENTOR,
    Result,
    Suggestion,
    suggest,
)

__all__ = [
    "ALREADY_PAIRED",
    "AVOIDED",
    "CAPACITY_EXHAUSTED",
    "CLOSE_TIME_ZONE_HOURS",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "EARLIER_PAIR",
    "FIT_SCALE",
    "MENTEES_TAKEN",
    "MENTEE_IS_THEIR_MENTOR",
    "MENTOR_IS_THEIR_MENTEE",
    "NO_COMPATIBLE_MENTEE",
    "NO_COMPATIBLE_MENTOR",
    "SAME_INSTITUTION",
    "SAME_PERSON",
    "WEIGHT_MAX",
    "Person",
    "Result",
    "Review",
    "Rules",
    "Score",
    "ScoreMatrix",
    "Suggestion",
    "Weights",
    "normalise",
    "pair_review",
    "pair_rule_broken",
    "pair_score",
    "score_matrix",
    "suggest",
    "utc_offset_minutes",
]

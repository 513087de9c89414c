"""A pair as coordinators weigh it: what speaks for it, what speaks against it, and its fit
from 0 to 100 under the cohort's weights.

No database: the engine works on plain ``Person`` objects."""

from cohorts.matching.engine import DEFAULT_WEIGHTS, FIT_SCALE, Weights, pair_review
from tests.cohorts.factories import person, weights

CHICAGO = -300
TOKYO = 540


def test_a_mentee_far_more_experienced_than_the_mentor_is_a_concern():
    review = pair_review(
        mentor=person(1, years=8),
        mentee=person(2, years=32),
        weights=weights(experience=20),
    )
    assert review.concerns == [
        "mentee has 24 more years' experience than the mentor (32 against 8)"
    ]
    assert review.strengths == []
    assert review.fit == 0


def test_what_speaks_against_a_weak_pair_is_listed_criterion_by_criterion():
    review = pair_review(
        mentor=person(
            1,
            areas=frozenset({1}),
            contact_methods=frozenset({"email"}),
            utc_offset_minutes=CHICAGO,
            library_type="public",
            years=10,
        ),
        mentee=person(
            2,
            areas=frozenset({2}),
            contact_methods=frozenset({"telephone"}),
            utc_offset_minutes=TOKYO,
            preferred_library_type="academic",
            years=10,
            annual=True,
        ),
        weights=Weights(weights=DEFAULT_WEIGHTS),
    )
    assert review.concerns == [
        "no shared area of interest",
        "same years of experience (10)",
        "no shared contact method",
        "10 h time difference",
        "not at the same conference",
        "mentee prefers an academic library; the mentor's is public",
    ]
    assert review.strengths == []
    assert review.fit == 0


def test_a_pair_meeting_everything_the_mentee_asks_fits_fully():
    mentor = person(
        1,
        areas=frozenset({1, 2, 3}),
        contact_methods=frozenset({"email", "virtual"}),
        utc_offset_minutes=CHICAGO,
        annual=True,
        years=20,
        library_type="academic",
    )
    mentee = person(
        2,
        areas=frozenset({1, 2, 3}),
        contact_methods=frozenset({"email", "virtual"}),
        utc_offset_minutes=CHICAGO,
        annual=True,
        years=2,
    )
    review = pair_review(mentor=mentor, mentee=mentee, weights=Weights(weights=DEFAULT_WEIGHTS))
    assert review.fit == FIT_SCALE
    assert review.concerns == []
    assert review.strengths == [
        "3 shared areas",
        "mentor has 18 more years' experience",
        "2 shared contact methods",
        "same time zone",
        "both at Annual",
    ]


def test_the_fit_is_the_share_of_the_points_open_to_the_pair():
    # 1 shared area of the 3 that earn the full weight, nothing else weighted.
    review = pair_review(
        mentor=person(1, areas=frozenset({1, 2})),
        mentee=person(2, areas=frozenset({1, 5})),
        weights=weights(shared_areas=30, experience=30),
    )
    # 10 of 60 points: 17 on the scale of 100.
    assert review.fit == 17
    assert review.strengths == ["1 shared area"]
    assert review.concerns == ["experience unknown: years and career stage"]


def test_priority_and_preferences_the_mentee_did_not_state_leave_the_fit_alone():
    mentor = person(1, areas=frozenset({1, 2, 3}))
    mentee = person(2, areas=frozenset({1, 2, 3}), priority=True)
    review = pair_review(
        mentor=mentor,
        mentee=mentee,
        weights=weights(shared_areas=30, priority=20, library_type=10, outside_institution=10),
    )
    assert review.fit == FIT_SCALE
    assert review.strengths == ["3 shared areas", "mentee carried over with priority"]
    assert review.concerns == []


def test_a_criterion_weighted_zero_says_nothing_and_no_weight_gives_no_fit():
    review = pair_review(mentor=person(1), mentee=person(2), weights=weights())
    assert review == review.__class__(fit=None, strengths=[], concerns=[])


def test_a_mentee_asking_for_an_outside_mentor_from_the_same_institution_is_a_concern():
    review = pair_review(
        mentor=person(1, institution="iowa state"),
        mentee=person(2, institution="iowa state", prefers_outside_institution=True),
        weights=weights(outside_institution=10),
    )
    assert review.concerns == [
        "same institution, though the mentee asked for a mentor from outside"
    ]
    assert review.fit == 0

"""The matching engine on many cohorts: on small random cohorts the suggested pairing is the
best valid one, checked against a brute-force search of every valid pairing, and stays valid
and full when the search runs out of budget; the score matrix equals each pair's score.

No database: the engine works on plain ``Person`` objects."""

import math
import random
from collections import Counter
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohorts.matching.engine import (
    CRITERIA,
    WEIGHT_MAX,
    Person,
    Rules,
    Weights,
    pair_score,
    score_matrix,
    solver,
    suggest,
)
from tests.cohorts.factories import person
from tests.cohorts.matching.engine.helpers import (
    CAREER_STAGES,
    CONTACT_METHODS,
    LIBRARY_TYPES,
    addable_pairs,
    broken_promises,
    suggestable,
)

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
SECONDARY_PROPERTY_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=100)
OFFSETS = [-600, -480, -300, -240, 0, 60, 330, 720]
ROLES = ["mentee", "mentor", "both", "mentee", "mentor"]  # "both" about one time in five


# Small random cohorts, and the brute force that checks the engine on them

PROFILES = st.fixed_dictionaries(
    {
        "areas": st.frozensets(st.integers(1, 4)),
        "years": st.none() | st.integers(0, 15),
        "career_stage": st.sampled_from(CAREER_STAGES),
        "contact_methods": st.frozensets(st.sampled_from(CONTACT_METHODS)),
        "utc_offset_minutes": st.none() | st.sampled_from(OFFSETS),
        "midwinter": st.booleans(),
        "annual": st.booleans(),
        "institution": st.sampled_from(["", "", "a", "b"]),
        "library_type": st.sampled_from(["", *LIBRARY_TYPES]),
        "prefers_outside_institution": st.booleans(),
        "preferred_library_type": st.sampled_from(["", "", *LIBRARY_TYPES]),
        "priority": st.booleans(),
        "avoid": st.just(frozenset())
        | st.frozensets(st.integers(0, 8).map(lambda i: f"p{i}"), max_size=1),
    }
)  # attributes of one person of a small cohort, chosen to collide often


@st.composite
def cohorts(draw) -> tuple[list[Person], list[Person], Weights, Rules]:
    """Up to 4 mentors (1 or 2 slots) and 5 mentees; people on both sides are "both"."""
    people = draw(st.integers(2, 9))
    ids = st.integers(0, people - 1)
    roles = {pid: draw(st.sampled_from(ROLES)) for pid in range(people)}
    mentor_ids = [pid for pid, role in roles.items() if role != "mentee"][:4]
    mentee_ids = [pid for pid, role in roles.items() if role != "mentor"][:5]
    profile = {
        pid: {
            "application_id": 100 + pid,
            "person_id": pid,
            "name": f"Person {pid}",
            "identities": frozenset({f"p{pid}"}),
            **draw(PROFILES),
        }
        for pid in sorted({*mentor_ids, *mentee_ids})
    }
    mentors = [Person(**profile[pid], slots=draw(st.integers(1, 2))) for pid in mentor_ids]
    mentees = [Person(**profile[pid]) for pid in mentee_ids]
    couples = st.frozensets(st.frozensets(ids, min_size=2, max_size=2), max_size=2)
    rules = Rules(
        allow_same_institution=draw(st.booleans()),
        allow_repeat_pairs=draw(st.booleans()),
        earlier_pairs=draw(couples),
        cohort_pairs=draw(couples),
        rejected=draw(st.frozensets(st.tuples(ids, ids).map(lambda t: (100 + t[0], 100 + t[1])))),
    )
    chosen = Weights(
        weights={key: draw(st.integers(0, WEIGHT_MAX)) for key in CRITERIA},
        must_have=draw(
            st.just(frozenset()) | st.frozensets(st.sampled_from(list(CRITERIA)), max_size=2)
        ),
    )
    return mentors, mentees, chosen, rules


def brute_force(mentors, mentees, chosen: Weights, rules: Rules) -> tuple[int, float]:
    """The most pairs, then the best total score, over every valid pairing."""
    options = {
        j: [
            (i, pair_score(mentor=mentor, mentee=mentee, weights=chosen).total)
            for i, mentor in enumerate(mentors)
            if suggestable(mentor, mentee, chosen, rules)
        ]
        for j, mentee in enumerate(mentees)
    }
    best = (0, 0.0)

    def extend(j: int, load: Counter, couples: frozenset, count: int, total: float) -> None:
        nonlocal best
        if j == len(mentees):
            best = max(best, (count, total))
            return
        extend(j + 1, load, couples, count, total)
        mentee_id = mentees[j].person_id
        for i, score in options[j]:
            mentor_id = mentors[i].person_id
            if load[i] < mentors[i].slots and (mentee_id, mentor_id) not in couples:
                load[i] += 1
                extend(j + 1, load, couples | {(mentor_id, mentee_id)}, count + 1, total + score)
                load[i] -= 1

    extend(0, Counter(), frozenset(), 0, 0.0)
    return best


# The properties


@PROPERTY_SETTINGS
@given(cohorts())
def test_suggestions_are_the_best_valid_pairing(cohort):
    mentors, mentees, chosen, rules = cohort
    result = suggest(mentors=mentors, mentees=mentees, weights=chosen, rules=rules)
    count, total = brute_force(mentors, mentees, chosen, rules)
    assert result.optimal
    assert len(result.suggestions) == count
    assert math.isclose(result.total, total, rel_tol=1e-9, abs_tol=1e-9)
    assert broken_promises(mentors, mentees, chosen, rules, result) == []


@SECONDARY_PROPERTY_SETTINGS
@given(cohorts())
def test_a_search_out_of_budget_still_suggests_a_valid_full_pairing(cohort):
    mentors, mentees, chosen, rules = cohort
    with mock.patch.object(solver, "SEARCH_CELLS_MAX", 0):
        result = suggest(mentors=mentors, mentees=mentees, weights=chosen, rules=rules)
    assert broken_promises(mentors, mentees, chosen, rules, result) == []
    assert addable_pairs(mentors, mentees, chosen, rules, result) == []
    if result.optimal:
        assert (len(result.suggestions), result.total) == pytest.approx(
            brute_force(mentors, mentees, chosen, rules)
        )


@SECONDARY_PROPERTY_SETTINGS
@given(cohorts())
def test_the_score_matrix_equals_each_pair_score(cohort):
    mentors, mentees, chosen, _ = cohort
    matrix = score_matrix(mentors=mentors, mentees=mentees, weights=chosen)
    for i, mentor in enumerate(mentors):
        for j, mentee in enumerate(mentees):
            score = pair_score(mentor=mentor, mentee=mentee, weights=chosen)
            assert matrix.scores[i, j] == score.total
            unmet = {key for key, where in matrix.unmet.items() if where[i, j]}
            assert unmet == set(score.unmet_must_haves)


def test_the_score_matrix_equals_each_pair_score_on_a_larger_cohort():
    rng = random.Random(7)

    def anyone(pid: int) -> Person:
        return person(
            pid,
            areas=frozenset(rng.sample(range(12), rng.randint(0, 4))),
            years=rng.choice([None, *range(40)]),
            career_stage=rng.choice(CAREER_STAGES),
            contact_methods=frozenset(rng.sample(CONTACT_METHODS, rng.randint(0, 4))),
            utc_offset_minutes=rng.choice([None, *range(-720, 841, 15)]),
            midwinter=rng.random() < 0.4,
            annual=rng.random() < 0.6,
            institution=rng.choice(["", "u1", "u2", "u3"]),
            library_type=rng.choice(["", *LIBRARY_TYPES]),
            prefers_outside_institution=rng.random() < 0.3,
            preferred_library_type=rng.choice(["", "", *LIBRARY_TYPES]),
            priority=rng.random() < 0.2,
        )

    mentors, mentees = [anyone(pid) for pid in range(40)], [anyone(pid) for pid in range(40, 90)]
    chosen = Weights(weights={key: rng.randint(0, 100) for key in CRITERIA})
    matrix = score_matrix(mentors=mentors, mentees=mentees, weights=chosen)
    expected = [
        [pair_score(mentor=m, mentee=e, weights=chosen).total for e in mentees] for m in mentors
    ]
    assert matrix.scores.tolist() == expected

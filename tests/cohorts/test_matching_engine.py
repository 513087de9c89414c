"""The matching engine: the hard rules, each criterion, the score matrix, and the suggested
pairing, checked against a brute-force search of every valid pairing of small cohorts.

No database: the engine works on plain ``Person`` objects."""

import datetime
import math
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohorts.matching import (
    ALREADY_PAIRED,
    AVOIDED,
    CAPACITY_EXHAUSTED,
    CRITERIA,
    DEFAULT_WEIGHTS,
    EARLIER_PAIR,
    MENTEE_IS_THEIR_MENTOR,
    MENTEES_TAKEN,
    MENTOR_IS_THEIR_MENTEE,
    NO_COMPATIBLE_MENTEE,
    NO_COMPATIBLE_MENTOR,
    SAME_INSTITUTION,
    SAME_PERSON,
    WEIGHT_MAX,
    Person,
    Result,
    Rules,
    Weights,
    normalise,
    pair_rule_broken,
    pair_score,
    score_matrix,
    suggest,
    utc_offset_minutes,
)

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
CAREER_STAGES = ["", "student", "early", "mid", "senior"]
CONTACT_METHODS = ["virtual", "telephone", "email", "face_to_face"]
LIBRARY_TYPES = ["academic", "public", "school", "lis_education"]
OFFSETS = [-600, -480, -300, -240, 0, 60, 330, 720]
ROLES = ["mentee", "mentor", "both", "mentee", "mentor"]  # "both" about one time in five


def person(person_id: int, **fields) -> Person:
    """A person whose application id is 100 + person id, named after the person id."""
    fields.setdefault("name", f"Person {person_id}")
    fields.setdefault("identities", frozenset({f"person{person_id}@example.org"}))
    return Person(application_id=100 + person_id, person_id=person_id, **fields)


def weights(must_have: tuple[str, ...] = (), **overrides: int) -> Weights:
    """The given weights, every other criterion at 0."""
    return Weights(
        weights={**dict.fromkeys(CRITERIA, 0), **overrides}, must_have=frozenset(must_have)
    )


def pairs_of(result: Result) -> set[tuple[int, int]]:
    return {(s.mentor_application_id, s.mentee_application_id) for s in result.suggestions}


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


def suggestable(mentor: Person, mentee: Person, chosen: Weights, rules: Rules) -> bool:
    """Whether a pair may be suggested, decided one pair at a time."""
    return (
        pair_rule_broken(mentor=mentor, mentee=mentee, rules=rules) is None
        and (mentor.application_id, mentee.application_id) not in rules.rejected
        and not pair_score(mentor=mentor, mentee=mentee, weights=chosen).unmet_must_haves
    )


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


def broken_promises(mentors, mentees, chosen: Weights, rules: Rules, result: Result) -> list:
    """Every way the result breaks a rule, a capacity or its own accounting."""
    mentor_of = {p.application_id: p for p in mentors}
    mentee_of = {p.application_id: p for p in mentees}
    broken = []
    couples = set()
    for s in result.suggestions:
        mentor, mentee = mentor_of[s.mentor_application_id], mentee_of[s.mentee_application_id]
        if not suggestable(mentor, mentee, chosen, rules):
            broken.append(("not suggestable", mentor.person_id, mentee.person_id))
        if s.score != pair_score(mentor=mentor, mentee=mentee, weights=chosen):
            broken.append(("score", mentor.person_id, mentee.person_id))
        couples.add((mentor.person_id, mentee.person_id))
    load = Counter(s.mentor_application_id for s in result.suggestions)
    broken += [("over capacity", a) for a, n in load.items() if n > mentor_of[a].slots]
    mentees_paired = Counter(s.mentee_application_id for s in result.suggestions)
    broken += [("mentee twice", a) for a, n in mentees_paired.items() if n > 1]
    broken += [("same two people twice", a, b) for a, b in couples if (b, a) in couples]
    if set(result.unmatched_mentees) != set(mentee_of) - set(mentees_paired):
        broken.append("unmatched mentees")
    if set(result.unmatched_mentors) != {a for a, p in mentor_of.items() if load[a] < p.slots}:
        broken.append("unmatched mentors")
    if not math.isclose(result.total, sum(s.score.total for s in result.suggestions)):
        broken.append("total")
    return broken + untrue_reasons(mentors, mentees, chosen, rules, result)


def untrue_reasons(mentors, mentees, chosen: Weights, rules: Rules, result: Result) -> list:
    """The people left over whose reason does not match the pairing."""
    load = Counter(s.mentor_application_id for s in result.suggestions)
    paired = {s.mentee_application_id for s in result.suggestions}
    full = {p.application_id for p in mentors if load[p.application_id] >= p.slots}
    untrue = []
    for mentee in mentees:
        reason = result.unmatched_mentees.get(mentee.application_id)
        compatible = {m.application_id for m in mentors if suggestable(m, mentee, chosen, rules)}
        if reason and reason.startswith(NO_COMPATIBLE_MENTOR) != (not compatible):
            untrue.append(("mentee", mentee.person_id, reason))
        if reason == CAPACITY_EXHAUSTED and not compatible <= full:
            untrue.append(("mentee", mentee.person_id, reason))
    for mentor in mentors:
        reason = result.unmatched_mentors.get(mentor.application_id)
        compatible = {e.application_id for e in mentees if suggestable(mentor, e, chosen, rules)}
        if reason and reason.startswith(NO_COMPATIBLE_MENTEE) != (not compatible):
            untrue.append(("mentor", mentor.person_id, reason))
        if reason == MENTEES_TAKEN and not compatible <= paired:
            untrue.append(("mentor", mentor.person_id, reason))
    return untrue


@PROPERTY_SETTINGS
@given(cohorts())
def test_suggestions_are_the_best_valid_pairing(cohort):
    mentors, mentees, chosen, rules = cohort
    result = suggest(mentors=mentors, mentees=mentees, weights=chosen, rules=rules)
    count, total = brute_force(mentors, mentees, chosen, rules)
    assert len(result.suggestions) == count
    assert math.isclose(result.total, total, rel_tol=1e-9, abs_tol=1e-9)
    assert broken_promises(mentors, mentees, chosen, rules, result) == []


@PROPERTY_SETTINGS
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


# The hard rules


ADA = person(1, name="Ada Ames", institution="university of iowa")
BEA = person(2, name="Bea Bose", institution="university of iowa")
CAL = person(3, name="Cal Cruz", institution="")


def test_a_pair_that_breaks_no_rule_passes():
    assert pair_rule_broken(mentor=ADA, mentee=CAL, rules=Rules()) is None


def test_nobody_mentors_themselves():
    assert pair_rule_broken(mentor=ADA, mentee=ADA, rules=Rules()) == (
        "Ada Ames cannot mentor themselves."
    )
    assert SAME_PERSON.format(mentor="Ada Ames") == "Ada Ames cannot mentor themselves."


@pytest.mark.parametrize("avoiding", ["mentor", "mentee"])
def test_either_person_may_ask_not_to_be_paired(avoiding):
    mentor, mentee = ADA, CAL
    if avoiding == "mentor":
        mentor = person(1, name="Ada Ames", avoid=frozenset({"person3@example.org"}))
    else:
        mentee = person(3, name="Cal Cruz", avoid=frozenset({"person1@example.org"}))
    message = pair_rule_broken(mentor=mentor, mentee=mentee, rules=Rules())
    assert message == "Ada Ames and Cal Cruz asked not to be paired with each other."
    assert message == AVOIDED.format(mentor="Ada Ames", mentee="Cal Cruz")


def test_same_institution_is_refused_unless_the_cohort_allows_it():
    assert pair_rule_broken(mentor=ADA, mentee=BEA, rules=Rules()) == (
        "Ada Ames and Bea Bose work at the same institution, and this cohort does not allow that."
    )
    assert (
        pair_rule_broken(mentor=ADA, mentee=BEA, rules=Rules(allow_same_institution=True)) is None
    )
    assert SAME_INSTITUTION.format(mentor="Ada Ames", mentee="Bea Bose") == (
        pair_rule_broken(mentor=ADA, mentee=BEA, rules=Rules())
    )


def test_an_unknown_institution_is_never_the_same():
    assert pair_rule_broken(mentor=CAL, mentee=person(4, institution=""), rules=Rules()) is None


@pytest.mark.parametrize(("mentor", "mentee"), [(ADA, CAL), (CAL, ADA)])
def test_two_people_are_paired_once_in_a_cohort_either_way_round(mentor, mentee):
    rules = Rules(cohort_pairs=frozenset({frozenset({1, 3})}))
    message = pair_rule_broken(mentor=mentor, mentee=mentee, rules=rules)
    assert message == f"{mentor.name} and {mentee.name} are already paired in this cohort."
    assert message == ALREADY_PAIRED.format(mentor=mentor.name, mentee=mentee.name)


def test_earlier_pairs_are_refused_unless_the_cohort_allows_repeats():
    earlier = frozenset({frozenset({1, 3})})
    assert pair_rule_broken(mentor=ADA, mentee=CAL, rules=Rules(earlier_pairs=earlier)) == (
        "Ada Ames and Cal Cruz were paired in an earlier cohort, "
        "and this cohort does not allow repeat pairs."
    )
    assert EARLIER_PAIR.format(mentor="Ada Ames", mentee="Cal Cruz") == pair_rule_broken(
        mentor=ADA, mentee=CAL, rules=Rules(earlier_pairs=earlier)
    )
    rules = Rules(earlier_pairs=earlier, allow_repeat_pairs=True)
    assert pair_rule_broken(mentor=ADA, mentee=CAL, rules=rules) is None


def test_a_rejection_is_no_rule_for_pairing_by_hand():
    rules = Rules(rejected=frozenset({(101, 103)}))
    assert pair_rule_broken(mentor=ADA, mentee=CAL, rules=rules) is None


# Each criterion


def assess(key: str, mentor: Person, mentee: Person) -> tuple[float, bool, list[str]]:
    """One criterion's fraction, whether it is met, and the reasons a pair gets for it."""
    score = pair_score(mentor=mentor, mentee=mentee, weights=weights((key,), **{key: WEIGHT_MAX}))
    return score.parts[key] / WEIGHT_MAX, key not in score.unmet_must_haves, score.reasons


CRITERION_CASES = [
    ("shared_areas", {"areas": frozenset({1, 2, 3, 4})}, {"areas": frozenset({1, 2, 3, 4})},
     1.0, True, ["4 shared areas"]),
    ("shared_areas", {"areas": frozenset({1, 2})}, {"areas": frozenset({2, 3})},
     1 / 3, True, ["1 shared area"]),
    ("shared_areas", {"areas": frozenset({1})}, {"areas": frozenset({2})}, 0.0, False, []),
    ("experience", {"years": 22}, {"years": 10},
     1.0, True, ["mentor has 12 more years' experience"]),
    ("experience", {"years": 6}, {"years": 5}, 0.1, True, ["mentor has 1 more year's experience"]),
    ("experience", {"years": 5}, {"years": 8}, 0.0, False, []),
    ("experience", {"years": None, "career_stage": "senior"},
     {"years": 3, "career_stage": "early"}, 2 / 3, True, ["mentor is further in their career"]),
    ("experience", {"years": 20, "career_stage": ""}, {"career_stage": "student"}, 0.0, False, []),
    ("experience", {}, {}, 0.0, False, []),
    ("contact_methods", {"contact_methods": frozenset(CONTACT_METHODS[:3])},
     {"contact_methods": frozenset(CONTACT_METHODS)}, 1.0, True, ["3 shared contact methods"]),
    ("contact_methods", {"contact_methods": frozenset({"email"})},
     {"contact_methods": frozenset({"email", "virtual"})}, 0.5, True, ["1 shared contact method"]),
    ("contact_methods", {"contact_methods": frozenset({"email"})}, {}, 0.0, False, []),
    ("time_zone", {"utc_offset_minutes": -300}, {"utc_offset_minutes": -300},
     1.0, True, ["same time zone"]),
    ("time_zone", {"utc_offset_minutes": -300}, {"utc_offset_minutes": -480},
     0.5, True, ["3 h time difference"]),
    ("time_zone", {"utc_offset_minutes": 0}, {"utc_offset_minutes": 330},
     1 - 5.5 / 6, False, ["5.5 h time difference"]),
    ("time_zone", {"utc_offset_minutes": -600}, {"utc_offset_minutes": 720},
     2 / 3, True, ["2 h time difference"]),
    ("time_zone", {"utc_offset_minutes": -300}, {"utc_offset_minutes": 120}, 0.0, False, []),
    ("time_zone", {"utc_offset_minutes": None}, {"utc_offset_minutes": 0}, 0.0, False, []),
    ("conference", {"midwinter": True, "annual": True}, {"midwinter": True, "annual": True},
     1.0, True, ["both at Midwinter and Annual"]),
    ("conference", {"midwinter": True, "annual": True}, {"annual": True},
     1.0, True, ["both at Annual"]),
    ("conference", {"midwinter": True}, {"midwinter": True}, 1.0, True, ["both at Midwinter"]),
    ("conference", {"midwinter": True}, {"annual": True}, 0.0, False, []),
    ("library_type", {"library_type": "public"}, {}, 0.0, True, []),
    ("library_type", {"library_type": "academic"}, {"preferred_library_type": "academic"},
     1.0, True, ["academic library, as the mentee prefers"]),
    ("library_type", {"library_type": "lis_education"},
     {"preferred_library_type": "lis_education"},
     1.0, True, ["LIS education library, as the mentee prefers"]),
    ("library_type", {"library_type": "public"}, {"preferred_library_type": "academic"},
     0.0, False, []),
    ("outside_institution", {"institution": "a"}, {"institution": "a"}, 0.0, True, []),
    ("outside_institution", {"institution": "a"},
     {"institution": "b", "prefers_outside_institution": True},
     1.0, True, ["outside the mentee's institution"]),
    ("outside_institution", {"institution": ""},
     {"institution": "b", "prefers_outside_institution": True},
     1.0, True, ["outside the mentee's institution"]),
    ("outside_institution", {"institution": "a"},
     {"institution": "a", "prefers_outside_institution": True}, 0.0, False, []),
    ("priority", {}, {"priority": True}, 1.0, True, ["mentee carried over with priority"]),
    ("priority", {"priority": True}, {}, 0.0, True, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "mentor_fields", "mentee_fields", "fraction", "met", "reasons"), CRITERION_CASES
)
def test_each_criterion(key, mentor_fields, mentee_fields, fraction, met, reasons):
    mentor, mentee = person(1, **mentor_fields), person(2, **mentee_fields)
    assert assess(key, mentor, mentee) == (pytest.approx(fraction), met, reasons)


def test_a_pair_scores_the_sum_of_its_weighted_parts_and_tells_why():
    mentor = person(1, areas=frozenset({1, 2}), years=15, utc_offset_minutes=-300, annual=True)
    mentee = person(2, areas=frozenset({2}), years=2, utc_offset_minutes=-360, annual=True)
    score = pair_score(mentor=mentor, mentee=mentee, weights=Weights(weights=DEFAULT_WEIGHTS))
    assert score.parts == pytest.approx(
        {**dict.fromkeys(CRITERIA, 0.0), "shared_areas": 10, "experience": 20,
         "time_zone": 10 * (1 - 1 / 6), "conference": 10}
    )  # fmt: skip
    assert score.total == pytest.approx(10 + 20 + 10 * (1 - 1 / 6) + 10)
    assert score.reasons == [
        "1 shared area",
        "mentor has 13 more years' experience",
        "1 h time difference",
        "both at Annual",
    ]
    assert score.unmet_must_haves == []


def test_a_criterion_without_weight_gives_no_reason():
    mentor, mentee = person(1, annual=True), person(2, annual=True)
    assert pair_score(mentor=mentor, mentee=mentee, weights=weights()).reasons == []


# Weights, normalised text and time zones


def test_weights_need_every_criterion_in_range():
    with pytest.raises(ValueError, match="missing: priority"):
        Weights(weights={key: 1 for key in CRITERIA if key != "priority"})
    with pytest.raises(ValueError, match="not matching criteria: charm"):
        Weights(weights=DEFAULT_WEIGHTS, must_have=frozenset({"charm"}))
    with pytest.raises(ValueError, match="from 0 to 100"):
        Weights(weights={**DEFAULT_WEIGHTS, "time_zone": WEIGHT_MAX + 1})
    with pytest.raises(ValueError, match="from 0 to 100"):
        Weights(weights={**DEFAULT_WEIGHTS, "time_zone": 2.5})


def test_normalise_folds_case_and_whitespace():
    assert normalise("  Ada\tAMES \n") == "ada ames"
    assert normalise("Straße") == normalise("STRASSE")


def test_utc_offsets_follow_daylight_saving_time():
    winter = datetime.datetime(2027, 1, 15, 12, tzinfo=datetime.UTC)
    summer = datetime.datetime(2027, 7, 15, 12, tzinfo=datetime.UTC)
    assert utc_offset_minutes(time_zone="America/New_York", at=winter) == -300
    assert utc_offset_minutes(time_zone="America/New_York", at=summer) == -240
    assert utc_offset_minutes(time_zone="Asia/Kolkata", at=summer) == 330
    assert utc_offset_minutes(time_zone="", at=summer) is None
    assert utc_offset_minutes(time_zone="Nowhere/Atlantis", at=summer) is None
    assert utc_offset_minutes(time_zone="../etc/passwd", at=summer) is None


# The suggested pairing


def test_weights_change_the_pairing():
    mentors = [
        person(1, areas=frozenset({1}), utc_offset_minutes=0),
        person(2, areas=frozenset({2}), utc_offset_minutes=-300),
    ]
    mentees = [
        person(3, areas=frozenset({2}), utc_offset_minutes=0),
        person(4, areas=frozenset({1}), utc_offset_minutes=-300),
    ]
    by_areas = suggest(
        mentors=mentors,
        mentees=mentees,
        weights=weights(shared_areas=50, time_zone=10),
        rules=Rules(),
    )
    by_time = suggest(
        mentors=mentors,
        mentees=mentees,
        weights=weights(shared_areas=10, time_zone=50),
        rules=Rules(),
    )
    assert pairs_of(by_areas) == {(101, 104), (102, 103)}
    assert pairs_of(by_time) == {(101, 103), (102, 104)}


def test_more_pairs_come_before_a_better_score():
    mentors = [person(1, areas=frozenset({1, 2, 3})), person(2, institution="x")]
    mentees = [person(3, areas=frozenset({1, 2, 3})), person(4, institution="x")]
    result = suggest(
        mentors=mentors, mentees=mentees, weights=weights(shared_areas=100), rules=Rules()
    )
    assert pairs_of(result) == {(101, 104), (102, 103)}
    assert result.unmatched_mentees == {}


def test_a_must_have_excludes_the_pairs_that_miss_it():
    mentors = [person(1, areas=frozenset({1}))]
    mentees = [person(2, areas=frozenset({2})), person(3, areas=frozenset({1}))]
    result = suggest(
        mentors=mentors, mentees=mentees, weights=weights(("shared_areas",)), rules=Rules()
    )
    assert pairs_of(result) == {(101, 103)}
    assert result.suggestions[0].score.reasons == ["1 shared area"]
    assert result.unmatched_mentees == {
        102: "No compatible mentor: must-have shared areas of interest (1)"
    }


def test_rejected_pairs_are_never_suggested():
    mentors = [person(1, areas=frozenset({1, 2, 3}), slots=1)]
    mentees = [person(2, areas=frozenset({1, 2, 3})), person(3)]
    rules = Rules(rejected=frozenset({(101, 102)}))
    result = suggest(
        mentors=mentors, mentees=mentees, weights=weights(shared_areas=100), rules=rules
    )
    assert pairs_of(result) == {(101, 103)}
    assert result.unmatched_mentees == {102: "No compatible mentor: rejected by a coordinator (1)"}


def test_a_mentor_takes_no_more_mentees_than_their_slots():
    mentors = [person(1, slots=2)]
    mentees = [person(2, priority=True), person(3, priority=True), person(4)]
    result = suggest(mentors=mentors, mentees=mentees, weights=weights(priority=20), rules=Rules())
    assert pairs_of(result) == {(101, 102), (101, 103)}
    assert result.unmatched_mentees == {104: CAPACITY_EXHAUSTED}
    assert result.unmatched_mentors == {}
    assert result.total == 40


def test_suggestions_come_best_first_with_their_reasons():
    mentors = [person(1, areas=frozenset({1})), person(2, areas=frozenset({2, 3}))]
    mentees = [person(3, areas=frozenset({1})), person(4, areas=frozenset({2, 3}))]
    result = suggest(
        mentors=mentors, mentees=mentees, weights=weights(shared_areas=30), rules=Rules()
    )
    assert [(s.mentor_application_id, s.score.total) for s in result.suggestions] == [
        (102, 20.0),
        (101, 10.0),
    ]
    assert [s.score.reasons for s in result.suggestions] == [["2 shared areas"], ["1 shared area"]]
    assert result.total == 30.0


def test_unmatched_mentees_are_told_why():
    mentors = [person(1, institution="x", slots=1)]
    mentees = [person(2, institution="x"), person(3, priority=True), person(4)]
    result = suggest(mentors=mentors, mentees=mentees, weights=weights(priority=20), rules=Rules())
    assert pairs_of(result) == {(101, 103)}
    assert result.unmatched_mentees == {
        102: "No compatible mentor: same institution (1)",
        104: CAPACITY_EXHAUSTED,
    }


def test_unmatched_mentors_are_told_why():
    mentors = [person(1, institution="x", slots=3), person(2, institution="y", slots=2)]
    mentees = [person(4, institution="x")]
    result = suggest(mentors=mentors, mentees=mentees, weights=weights(), rules=Rules())
    assert pairs_of(result) == {(102, 104)}
    assert result.unmatched_mentors == {
        101: "No compatible mentee: same institution (1)",
        102: MENTEES_TAKEN,
    }


def test_the_blocking_reasons_are_counted_per_mentor():
    mentors = [
        person(1, institution="x", avoid=frozenset({"person9@example.org"})),
        person(2, institution="x"),
        person(3, areas=frozenset({1})),
        person(9, areas=frozenset({2})),
    ]
    mentees = [person(9, institution="x", areas=frozenset({3}))]
    rules = Rules(earlier_pairs=frozenset({frozenset({3, 9})}))
    result = suggest(
        mentors=mentors, mentees=mentees, weights=weights(("shared_areas",)), rules=rules
    )
    assert result.unmatched_mentees == {
        109: "No compatible mentor: same person (1), asked not to be paired (1), "
        "same institution (1), paired in an earlier cohort (1)"
    }


def test_nobody_to_pair_with():
    mentors, mentees = [person(1)], [person(2)]
    alone = suggest(mentors=[], mentees=mentees, weights=weights(), rules=Rules())
    assert alone.unmatched_mentees == {102: NO_COMPATIBLE_MENTOR}
    alone = suggest(mentors=mentors, mentees=[], weights=weights(), rules=Rules())
    assert alone.unmatched_mentors == {101: NO_COMPATIBLE_MENTEE}
    assert alone.suggestions == []
    assert alone.total == 0


def test_two_people_who_applied_as_both_are_paired_once():
    ada_mentor, ada_mentee = person(1, slots=1), person(1)
    bea_mentor, bea_mentee = person(2, slots=1), person(2)
    result = suggest(
        mentors=[ada_mentor, bea_mentor],
        mentees=[ada_mentee, bea_mentee],
        weights=weights(),
        rules=Rules(),
    )
    assert pairs_of(result) in ({(101, 102)}, {(102, 101)})
    assert list(result.unmatched_mentees.values()) == [MENTOR_IS_THEIR_MENTEE]
    assert list(result.unmatched_mentors.values()) == [MENTEE_IS_THEIR_MENTOR]


def test_the_branching_keeps_the_better_way_round_for_two_people():
    ada_mentor, ada_mentee = person(1, areas=frozenset({1, 2})), person(1, areas=frozenset({1, 2}))
    bea_mentor, bea_mentee = (
        person(2, areas=frozenset({1, 2, 3})),
        person(2, areas=frozenset({1, 2})),
    )
    cal_mentee = person(3, areas=frozenset({3}))
    mentors, mentees = [ada_mentor, bea_mentor], [ada_mentee, bea_mentee, cal_mentee]
    chosen = weights(shared_areas=30)
    result = suggest(mentors=mentors, mentees=mentees, weights=chosen, rules=Rules())
    # Ada and Bea mentoring each other would score 40 but pairs them twice. Without Bea
    # mentoring Ada: Ada mentors Bea (20) and Bea mentors Cal (10); without Ada mentoring
    # Bea: Bea mentors Ada (20) and Ada mentors Cal (0).
    assert pairs_of(result) == {(101, 102), (102, 103)}
    assert result.total == 30
    assert broken_promises(mentors, mentees, chosen, Rules(), result) == []

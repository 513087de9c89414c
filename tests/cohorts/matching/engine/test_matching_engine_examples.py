"""The matching engine by example: the hard rules, each criterion, the weights, normalised text
and time zones, and the suggested pairing with its reasons for whoever is left over.

No database: the engine works on plain ``Person`` objects."""

import datetime

import pytest

from cohorts.matching.engine import (
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
    Rules,
    Weights,
    normalise,
    pair_rule_broken,
    pair_score,
    solver,
    suggest,
    utc_offset_minutes,
)
from tests.cohorts.factories import person, weights
from tests.cohorts.matching.engine.helpers import (
    CONTACT_METHODS,
    addable_pairs,
    broken_promises,
    pairs_of,
)

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


def ada_bea_and_cal() -> tuple[list[Person], list[Person]]:
    """Ada and Bea applied as both; mentoring each other is their best pairing, but twice."""
    mentors = [person(1, areas=frozenset({1, 2})), person(2, areas=frozenset({1, 2, 3}))]
    mentees = [
        person(1, areas=frozenset({1, 2})),
        person(2, areas=frozenset({1, 2})),
        person(3, areas=frozenset({3})),
    ]
    return mentors, mentees


def test_the_search_keeps_the_better_way_round_for_two_people():
    mentors, mentees = ada_bea_and_cal()
    chosen = weights(shared_areas=30)
    result = suggest(mentors=mentors, mentees=mentees, weights=chosen, rules=Rules())
    # Ada and Bea mentoring each other would score 40. Without Bea mentoring Ada: Ada mentors
    # Bea (20) and Bea mentors Cal (10); without Ada mentoring Bea: Bea mentors Ada (20) and
    # Ada mentors Cal (0).
    assert pairs_of(result) == {(101, 102), (102, 103)}
    assert result.total == 30
    assert result.optimal
    assert broken_promises(mentors, mentees, chosen, Rules(), result) == []


def test_a_search_out_of_budget_returns_a_valid_pairing_not_proven_best(monkeypatch):
    monkeypatch.setattr(solver, "SEARCH_CELLS_MAX", 0)
    mentors, mentees = ada_bea_and_cal()
    chosen = weights(shared_areas=30)
    result = suggest(mentors=mentors, mentees=mentees, weights=chosen, rules=Rules())
    assert not result.optimal
    assert len(result.suggestions) == 2
    assert broken_promises(mentors, mentees, chosen, Rules(), result) == []


def test_a_search_out_of_budget_adds_back_a_pair_it_left_out_needlessly(monkeypatch):
    monkeypatch.setattr(solver, "SEARCH_CELLS_MAX", 0)
    mentors = [
        person(0, areas=frozenset({0}), institution="b"),
        person(2, areas=frozenset({0, 3})),
    ]
    mentees = [
        person(0, areas=frozenset({0}), institution="b"),
        person(1, areas=frozenset({3}), institution="b"),
        person(2, areas=frozenset({0, 3})),
    ]
    chosen = weights(shared_areas=14)
    result = suggest(mentors=mentors, mentees=mentees, weights=chosen, rules=Rules())
    assert len(result.suggestions) == 2
    assert broken_promises(mentors, mentees, chosen, Rules(), result) == []
    assert addable_pairs(mentors, mentees, chosen, Rules(), result) == []

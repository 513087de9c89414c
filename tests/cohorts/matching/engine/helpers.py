"""What the matching engine's tests share besides their builders (``person`` and ``weights``
in tests/cohorts/factories.py): the values a person's fields take, the pairs of a result,
and the checks that a result keeps every rule, capacity and reason it states and leaves out
no pair it could add.

No database: the engine works on plain ``Person`` objects."""

import math
from collections import Counter

from cohorts.matching.engine import (
    CAPACITY_EXHAUSTED,
    MENTEES_TAKEN,
    NO_COMPATIBLE_MENTEE,
    NO_COMPATIBLE_MENTOR,
    Person,
    Result,
    Rules,
    Weights,
    pair_rule_broken,
    pair_score,
)

CAREER_STAGES = ["", "student", "early", "mid", "senior"]
CONTACT_METHODS = ["virtual", "telephone", "email", "face_to_face"]
LIBRARY_TYPES = ["academic", "public", "school", "lis_education"]


def pairs_of(result: Result) -> set[tuple[int, int]]:
    """The (mentor, mentee) application ids the result suggests."""
    return {(s.mentor_application_id, s.mentee_application_id) for s in result.suggestions}


# What a result must keep to


def suggestable(mentor: Person, mentee: Person, chosen: Weights, rules: Rules) -> bool:
    """Whether a pair may be suggested, decided one pair at a time."""
    return (
        pair_rule_broken(mentor=mentor, mentee=mentee, rules=rules) is None
        and (mentor.application_id, mentee.application_id) not in rules.rejected
        and not pair_score(mentor=mentor, mentee=mentee, weights=chosen).unmet_must_haves
    )


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


def addable_pairs(mentors, mentees, chosen: Weights, rules: Rules, result: Result) -> list:
    """The pairs that could still be added to the result without breaking anything."""
    load = Counter(s.mentor_application_id for s in result.suggestions)
    by_application = {p.application_id: p.person_id for p in [*mentors, *mentees]}
    couples = {
        (by_application[s.mentor_application_id], by_application[s.mentee_application_id])
        for s in result.suggestions
    }
    return [
        (mentor.person_id, mentee.person_id)
        for mentee in mentees
        if mentee.application_id in result.unmatched_mentees
        for mentor in mentors
        if load[mentor.application_id] < mentor.slots
        and (mentee.person_id, mentor.person_id) not in couples
        and suggestable(mentor, mentee, chosen, rules)
    ]

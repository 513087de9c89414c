"""Suggested pairings for a cohort: the best set of mentor→mentee pairs, found exactly.

The objective: pair as many people as possible, and among the pairings with the most pairs,
the one with the highest total score (``score_matrix``). A pair may be suggested only if it
breaks no hard rule (``pair_rule_broken``), meets every must-have criterion and was not
rejected by a coordinator; a mentor takes at most ``slots`` mentees, a mentee one mentor, and
no two people are paired twice, one way and the other.

The pairing is an assignment problem: one row per free slot of each mentor (a mentor with two
slots has two rows), one column per mentee, solved by ``scipy.optimize.linear_sum_assignment``
on gains. An allowed pair gains ``BASE + score``, a forbidden one 0. ``BASE`` exceeds every
total score a pairing can reach, so one more pair always outweighs any difference of scores:
the largest total gain is reached by the most pairs, and among those by the best total score.

The assignment cannot say that a person who applied as both mentor and mentee must not mentor
the same person who mentors them. When its best pairing does that, a first valid pairing is
found by leaving out the weaker way round of each such couple and solving again. Then the
search branches on one couple, once without one way round and once without the other (any
valid pairing lacks one of them), and drops every branch whose assignment, an upper bound
on all its pairings, is no better than the best valid pairing found. That is exact, and
cheap when few couples come up, as when experience favours one way round.

Scores that are the same both ways round (say, experience unknown) for many people who
applied as both can make the branching grow exponentially. The search then stops once it has
solved ``SEARCH_CELLS_MAX`` matrix cells and returns the best valid pairing found, with
``Result.optimal`` false.
"""

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from cohorts.matching.engine.criteria import (
    CRITERIA,
    Weights,
    lower_label,
    same_institution_matrix,
)
from cohorts.matching.engine.scoring import Person, Rules, Score, pair_score, score_matrix

NO_COMPATIBLE_MENTOR = "No compatible mentor"
CAPACITY_EXHAUSTED = "Capacity exhausted: every compatible mentor is full"
NO_COMPATIBLE_MENTEE = "No compatible mentee"
MENTEES_TAKEN = "Every compatible mentee is paired with someone else"
# The only ways left would pair the same two people twice, one way and the other.
MENTOR_IS_THEIR_MENTEE = "Every compatible mentor with room is already their mentee"
MENTEE_IS_THEIR_MENTOR = "Every compatible mentee still free is already their mentor"

SAME_PERSON_LABEL = "same person"
AVOIDED_LABEL = "asked not to be paired"
SAME_INSTITUTION_LABEL = "same institution"
ALREADY_PAIRED_LABEL = "already paired"
EARLIER_PAIR_LABEL = "paired in an earlier cohort"
REJECTED_LABEL = "rejected by a coordinator"
MUST_HAVE_LABEL = "must-have {criterion}"

# How many matrix cells the search may solve in all before it settles for the best valid
# pairing found: about 20 assignments of 2,000 slots × 1,000 mentees (some 1.5 s), or
# thousands for a cohort of a hundred.
SEARCH_CELLS_MAX = 40_000_000

Cells = tuple[np.ndarray, np.ndarray]  # row indices, column indices
Cell = tuple[int, int]  # (mentor index, mentee index)


@dataclass(frozen=True)
class Suggestion:
    """One suggested pair, by application, with its score and reasons."""

    mentor_application_id: int
    mentee_application_id: int
    score: Score


@dataclass
class Result:
    """The suggested pairs of a cohort, and why the people left over were not paired."""

    suggestions: list[Suggestion]  # best score first
    unmatched_mentors: dict[int, str]  # application id -> reason; mentors with slots left
    unmatched_mentees: dict[int, str]  # application id -> reason
    total: float  # sum of the suggestions' scores
    optimal: bool = True  # False when the search stopped at SEARCH_CELLS_MAX (see the module)


@dataclass(frozen=True)
class _Compatibility:
    """Which pairs may be suggested, and the first reason each other pair may not."""

    blocked: np.ndarray  # int8, mentors × mentees: 0 if allowed, else an index into labels
    labels: list[str]

    @property
    def allowed(self) -> np.ndarray:
        return self.blocked == 0


def suggest(
    *, mentors: Sequence[Person], mentees: Sequence[Person], weights: Weights, rules: Rules
) -> Result:
    """The best pairing of a cohort's mentors and mentees, and the reasons for the rest.

    Each person appears at most once on each side. Scores are explained only for the pairs
    suggested.
    """
    matrix = score_matrix(mentors=mentors, mentees=mentees, weights=weights)
    compatibility = _compatibility(
        mentors=mentors, mentees=mentees, rules=rules, unmet=matrix.unmet
    )
    slots = np.array([max(mentor.slots, 0) for mentor in mentors], dtype=np.int64)
    gain = _gain(scores=matrix.scores, allowed=compatibility.allowed, slots=slots)
    search = _Search(gain=gain, slots=slots, mentors=mentors, mentees=mentees)
    pairs, optimal = search.best()
    result = _result(
        mentors=mentors,
        mentees=mentees,
        weights=weights,
        pairs=pairs,
        slots=slots,
        compatibility=compatibility,
    )
    return dataclasses.replace(result, optimal=optimal)


# Which pairs may be suggested


def _compatibility(
    *,
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    rules: Rules,
    unmet: dict[str, np.ndarray],
) -> _Compatibility:
    """Every pair's first reason not to be suggested, as a code into a list of labels."""
    blocked = np.zeros((len(mentors), len(mentees)), dtype=np.int8)
    labels = [""]
    reasons = _blocking_reasons(mentors=mentors, mentees=mentees, rules=rules, unmet=unmet)
    for label, where in reasons:
        labels.append(label)
        _mark(blocked, code=len(labels) - 1, where=where)
    return _Compatibility(blocked=blocked, labels=labels)


def _blocking_reasons(
    *,
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    rules: Rules,
    unmet: dict[str, np.ndarray],
) -> Iterator[tuple[str, np.ndarray | Cells]]:
    """Each reason a pair may not be suggested, in the order of ``pair_rule_broken`` then
    the must-haves, with the pairs it rules out (a mask, or cells)."""
    people = _People(mentors=mentors, mentees=mentees)
    yield SAME_PERSON_LABEL, people.same_person()
    yield AVOIDED_LABEL, people.avoided()
    if not rules.allow_same_institution:
        yield SAME_INSTITUTION_LABEL, same_institution_matrix(mentors=mentors, mentees=mentees)
    yield ALREADY_PAIRED_LABEL, people.couples(rules.cohort_pairs)
    if not rules.allow_repeat_pairs:
        yield EARLIER_PAIR_LABEL, people.couples(rules.earlier_pairs)
    yield REJECTED_LABEL, people.rejected(rules.rejected)
    for key, where in unmet.items():
        yield MUST_HAVE_LABEL.format(criterion=lower_label(CRITERIA[key])), where


def _mark(blocked: np.ndarray, *, code: int, where: np.ndarray | Cells) -> None:
    """Give `code` to the pairs in `where` (a mask or cells) that no earlier reason blocks."""
    if isinstance(where, np.ndarray):
        blocked[(blocked == 0) & where] = code
        return
    rows, columns = where
    free = blocked[rows, columns] == 0
    blocked[rows[free], columns[free]] = code


def _positions(
    people: Sequence[Person], keys: Callable[[Person], Iterable[Hashable]]
) -> dict[Hashable, list[int]]:
    """The positions of people in their list, by each of their keys."""
    positions: dict[Hashable, list[int]] = defaultdict(list)
    for position, person in enumerate(people):
        for key in keys(person):
            positions[key].append(position)
    return positions


def _cells(groups: Iterable[tuple[Sequence[int], Sequence[int]]]) -> Cells:
    """Every (row, column) of each group's rows × columns, as index arrays."""
    cells = [(row, column) for rows, columns in groups for row in rows for column in columns]
    if not cells:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows, columns = np.array(cells, dtype=np.int64).T
    return rows, columns


class _People:
    """A cohort's mentors and mentees, indexed to find the few pairs a sparse rule forbids.

    Avoid lists, earlier pairs, pairs of this cohort and rejections concern few pairs, so they
    are found through dictionaries rather than by looking at every pair.
    """

    def __init__(self, *, mentors: Sequence[Person], mentees: Sequence[Person]) -> None:
        self.mentors, self.mentees = mentors, mentees
        self.mentor_of = _positions(mentors, lambda person: (person.person_id,))
        self.mentee_of = _positions(mentees, lambda person: (person.person_id,))

    def same_person(self) -> Cells:
        """The pairs of a person who applied as both with themselves."""
        return _cells(
            (rows, self.mentee_of.get(person_id, ())) for person_id, rows in self.mentor_of.items()
        )

    def avoided(self) -> Cells:
        """The pairs where either person named the other as not to be paired with."""
        mentor_named = _positions(self.mentors, lambda person: person.identities)
        mentee_named = _positions(self.mentees, lambda person: person.identities)
        by_mentors = (
            ([i], mentee_named.get(line, ()))
            for i, p in enumerate(self.mentors)
            for line in p.avoid
        )
        by_mentees = (
            (mentor_named.get(line, ()), [j])
            for j, p in enumerate(self.mentees)
            for line in p.avoid
        )
        return _cells(itertools.chain(by_mentors, by_mentees))

    def couples(self, couples: Iterable[frozenset[int]]) -> Cells:
        """The pairs, either way round, of couples of person ids."""
        return _cells(
            (self.mentor_of.get(a, ()), self.mentee_of.get(b, ()))
            for couple in couples
            if len(couple) == 2
            for a, b in (tuple(couple), tuple(couple)[::-1])
        )

    def rejected(self, rejected: Iterable[tuple[int, int]]) -> Cells:
        """The pairs of (mentor application id, mentee application id) rejected."""
        mentor_of = _positions(self.mentors, lambda person: (person.application_id,))
        mentee_of = _positions(self.mentees, lambda person: (person.application_id,))
        return _cells(
            (mentor_of.get(mentor_id, ()), mentee_of.get(mentee_id, ()))
            for mentor_id, mentee_id in rejected
        )


# The best pairing


def _gain(*, scores: np.ndarray, allowed: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Each pair's gain (mentors × mentees): ``BASE + score`` if allowed, else 0.

    A pairing of k pairs gains between ``k × BASE`` and ``k × (BASE + top)``, where ``top`` is
    the best allowed score. With ``BASE = 1 + top × most_pairs``, k + 1 pairs always gain more
    than k, so the assignment makes the most pairs first and the best total score second.
    """
    if not allowed.any():
        return np.zeros(scores.shape)
    top = float(scores[allowed].max())
    base = 1.0 + top * min(int(slots.sum()), scores.shape[1])
    return np.where(allowed, base + scores, 0.0)


@dataclass(frozen=True)
class _Branch:
    """The pairings that leave out some pairs, and the best assignment among them.

    Its gain bounds every pairing of the branch, since the assignment ignores only the rule
    against pairing two people twice.
    """

    left_out: tuple[Cell, ...]
    pairs: list[Cell]
    gain: float


class _Search:
    """The search for the best pairing that pairs no two people twice (see the module)."""

    def __init__(
        self,
        *,
        gain: np.ndarray,
        slots: np.ndarray,
        mentors: Sequence[Person],
        mentees: Sequence[Person],
    ) -> None:
        self.gain, self.mentors, self.mentees = gain, mentors, mentees
        self.rows = np.repeat(np.arange(len(mentors)), slots)
        self.cells_left = SEARCH_CELLS_MAX

    def best(self) -> tuple[list[Cell], bool]:
        """The best pairing found (mentor index, mentee index), and whether it is proven best."""
        if self.rows.size == 0 or not self.gain.any():
            return [], True
        root = self._solve(())
        best = self._dive(root)
        pending = [root]
        while pending:
            branch = pending.pop()
            if branch.gain <= best.gain:
                continue  # a branch only leaves pairs out, so nothing in it beats the best
            twice = self._paired_twice(branch.pairs)
            if not twice:
                best = branch
                continue
            if self.cells_left < 2 * self.rows.size * self.gain.shape[1]:
                return self._completed(best.pairs), False
            # A valid pairing lacks one way or the other, so it lies in one of the branches.
            children = [self._solve((*branch.left_out, cell)) for cell in twice[0]]
            pending.extend(sorted(children, key=lambda child: child.gain))  # better one first
        return best.pairs, True

    def _solve(self, left_out: tuple[Cell, ...]) -> _Branch:
        self.cells_left -= self.rows.size * self.gain.shape[1]
        pairs, total_gain = _assign(gain=self.gain, rows=self.rows, left_out=left_out)
        return _Branch(left_out=left_out, pairs=pairs, gain=total_gain)

    def _dive(self, branch: _Branch) -> _Branch:
        """A first valid pairing: leave out the weaker way of every couple paired both ways."""
        while twice := self._paired_twice(branch.pairs):
            weaker = tuple(min(couple, key=lambda cell: self.gain[cell]) for couple in twice)
            branch = self._solve((*branch.left_out, *weaker))
        return branch

    def _completed(self, pairs: list[Cell]) -> list[Cell]:
        """`pairs`, with a pair added for each mentee left over who still fits somewhere.

        A pairing found by leaving pairs out may have left out more than it needed to; the
        best pairing never needs completing.
        """
        pairs = list(pairs)
        count = len(self.mentors)
        taken = np.array([i for i, _ in pairs], dtype=np.int64)
        room = np.bincount(self.rows, minlength=count) - np.bincount(taken, minlength=count)
        couples = {self._people((i, j)) for i, j in pairs}
        paired = {j for _, j in pairs}
        for j in (j for j in range(len(self.mentees)) if j not in paired):
            i = self._best_fit(j, room=room, couples=couples)
            if i is not None:
                pairs.append((i, j))
                room[i] -= 1
                couples.add(self._people((i, j)))
        return pairs

    def _best_fit(self, j: int, *, room: np.ndarray, couples: set[tuple[int, int]]) -> int | None:
        """The mentor with room who gains most with mentee `j` without pairing two people
        twice, if any."""
        for i in np.argsort(-self.gain[:, j], kind="stable").tolist():
            if self.gain[i, j] <= 0:
                return None
            mentor_id, mentee_id = self._people((i, j))
            if room[i] > 0 and (mentee_id, mentor_id) not in couples:
                return i
        return None

    def _people(self, cell: Cell) -> tuple[int, int]:
        """The person ids of a pair: (mentor, mentee)."""
        return self.mentors[cell[0]].person_id, self.mentees[cell[1]].person_id

    def _paired_twice(self, pairs: list[Cell]) -> list[tuple[Cell, Cell]]:
        """The couples of pairs of the same two people, one way round and the other."""
        by_people = {self._people(cell): cell for cell in pairs}
        return [
            (cell, by_people[(mentee_id, mentor_id)])
            for (mentor_id, mentee_id), cell in by_people.items()
            if mentor_id < mentee_id and (mentee_id, mentor_id) in by_people
        ]


def _assign(
    *, gain: np.ndarray, rows: np.ndarray, left_out: tuple[Cell, ...]
) -> tuple[list[Cell], float]:
    """The best assignment without the pairs `left_out`, and its total gain.

    The matrix is rectangular (slots × mentees) and every cell exists, so the solver returns
    min(slots, mentees) cells, some of them of gain 0 (forbidden). Any allowed pairing can be
    completed to such a full assignment with cells of gain 0 at no cost, and dropping the
    cells of gain 0 from a full assignment leaves an allowed pairing with the same gain; so
    the best full assignment, without its cells of gain 0, is the best allowed pairing.
    """
    if left_out:
        gain = gain.copy()
        gain[tuple(np.array(left_out).T)] = 0.0
    expanded = gain[rows]
    chosen_rows, columns = linear_sum_assignment(expanded, maximize=True)
    gains = expanded[chosen_rows, columns]
    kept = gains > 0
    pairs = list(zip(rows[chosen_rows[kept]].tolist(), columns[kept].tolist(), strict=True))
    return pairs, float(gains.sum())


# The result and the reasons for the people left over


def _result(
    *,
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    weights: Weights,
    pairs: list[Cell],
    slots: np.ndarray,
    compatibility: _Compatibility,
) -> Result:
    suggestions = sorted(
        (
            Suggestion(
                mentor_application_id=mentors[i].application_id,
                mentee_application_id=mentees[j].application_id,
                score=pair_score(mentor=mentors[i], mentee=mentees[j], weights=weights),
            )
            for i, j in pairs
        ),
        key=lambda s: (-s.score.total, s.mentor_application_id, s.mentee_application_id),
    )
    leftover = _Leftover(pairs=pairs, slots=slots, compatibility=compatibility)
    return Result(
        suggestions=suggestions,
        unmatched_mentors={
            mentors[i].application_id: leftover.mentor_reason(i) for i in leftover.free_mentors()
        },
        unmatched_mentees={
            mentees[j].application_id: leftover.mentee_reason(j) for j in leftover.free_mentees()
        },
        total=sum(suggestion.score.total for suggestion in suggestions),
    )


class _Leftover:
    """Why the mentors with room and the mentees without a mentor were left so."""

    def __init__(self, *, pairs: list[Cell], slots: np.ndarray, compatibility: _Compatibility):
        self.compatibility = compatibility
        self.allowed = compatibility.allowed
        mentor_rows = np.array([i for i, _ in pairs], dtype=np.int64)
        taken = np.bincount(mentor_rows, minlength=len(slots))
        self.has_room = slots > taken
        self.has_mentor = np.zeros(self.allowed.shape[1], dtype=bool)
        self.has_mentor[[j for _, j in pairs]] = True

    def free_mentors(self) -> list[int]:
        return np.flatnonzero(self.has_room).tolist()

    def free_mentees(self) -> list[int]:
        return np.flatnonzero(~self.has_mentor).tolist()

    def mentee_reason(self, j: int) -> str:
        compatible = self.allowed[:, j]
        if not compatible.any():
            return self._none_compatible(NO_COMPATIBLE_MENTOR, self.compatibility.blocked[:, j])
        if (compatible & self.has_room).any():
            return MENTOR_IS_THEIR_MENTEE
        return CAPACITY_EXHAUSTED

    def mentor_reason(self, i: int) -> str:
        compatible = self.allowed[i]
        if not compatible.any():
            return self._none_compatible(NO_COMPATIBLE_MENTEE, self.compatibility.blocked[i])
        if (compatible & ~self.has_mentor).any():
            return MENTEE_IS_THEIR_MENTOR
        return MENTEES_TAKEN

    def _none_compatible(self, reason: str, codes: np.ndarray) -> str:
        """`reason`, followed by how many people each first blocking reason rules out."""
        labels = self.compatibility.labels
        counts = np.bincount(codes, minlength=len(labels))
        details = [
            f"{labels[code]} ({counts[code]})" for code in range(1, len(labels)) if counts[code]
        ]
        return f"{reason}: {', '.join(details)}" if details else reason

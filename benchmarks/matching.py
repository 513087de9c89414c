"""Speed and memory of the matching engine on a large, realistic cohort.

Run from the project root: ``.venv/bin/python benchmarks/matching.py [--mentors N]
[--mentees M] [--runs R] [--must-have KEY ...]``. The cohort is random but seeded, so every
run matches the same people. The time covers everything ``suggest`` does (scores, rules,
assignment, explanations, reasons); building the people does not count. The memory figure
is the peak of what ``suggest`` allocates (tracemalloc, numpy arrays included), measured in
a separate run so that tracing does not slow the timed ones.
"""

import argparse
import datetime
import random
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cohorts.matching.engine import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    Person,
    Result,
    Rules,
    Weights,
    normalise,
    suggest,
    utc_offset_minutes,
)

SEED = 20260901
COHORT_START = datetime.datetime(2026, 9, 1, 16, tzinfo=datetime.UTC)
AREAS = range(1, 13)  # the catalogue of areas of interest
CONTACT_METHODS = ("virtual", "telephone", "email", "face_to_face")
TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "America/Halifax",
    "America/St_Johns",
    "America/Toronto",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
)
TIME_ZONE_WEIGHTS = (30, 20, 8, 3, 15, 1, 3, 1, 8, 5, 4, 2)
LIBRARY_TYPES = ("academic", "public", "school", "special", "vendor", "lis_education", "other")
LIBRARY_TYPE_WEIGHTS = (40, 30, 10, 10, 3, 4, 3)
INSTITUTIONS = [f"{kind} {n}" for kind in ("university", "public library") for n in range(25)]
FIRST_NAMES = ("Ada", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu")
LAST_NAMES = ("Ames", "Bose", "Cruz", "Diaz", "Endo", "Fox", "Gray", "Hsu", "Ito", "Jain")


@dataclass(frozen=True)
class Cohort:
    """A generated cohort: both sides of the matching and its rules."""

    mentors: list[Person]
    mentees: list[Person]
    rules: Rules


def career_stage(years: int) -> str:
    """The career stage a number of years suggests, the way applicants tend to answer."""
    if years < 1:
        return "student"
    return "early" if years < 5 else "mid" if years <= 15 else "senior"


def profile(rng: random.Random, *, person_id: int, senior: bool) -> dict:
    """The attributes of one applicant; mentors (senior) have more years behind them."""
    years = round(rng.triangular(3, 40, 20) if senior else rng.triangular(0, 25, 2))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    name = f"{first} {last} {person_id}"
    return {
        "application_id": 10_000 + person_id,
        "person_id": person_id,
        "name": name,
        "areas": frozenset(rng.sample(AREAS, rng.randint(1, 4))),
        "years": None if rng.random() < 0.1 else years,
        "career_stage": "" if rng.random() < 0.05 else career_stage(years),
        "contact_methods": frozenset(rng.sample(CONTACT_METHODS, rng.randint(1, 4))),
        "utc_offset_minutes": None
        if rng.random() < 0.05
        else utc_offset_minutes(
            time_zone=rng.choices(TIME_ZONES, TIME_ZONE_WEIGHTS)[0], at=COHORT_START
        ),
        "midwinter": rng.random() < 0.4,
        "annual": rng.random() < 0.6,
        "institution": "" if rng.random() < 0.05 else normalise(rng.choice(INSTITUTIONS)),
        "library_type": rng.choices(LIBRARY_TYPES, LIBRARY_TYPE_WEIGHTS)[0],
        "prefers_outside_institution": rng.random() < 0.2,
        "preferred_library_type": rng.choice(LIBRARY_TYPES) if rng.random() < 0.2 else "",
        "priority": rng.random() < 0.05,
        "identities": frozenset({normalise(name), f"person{person_id}@example.org"}),
    }


def cohort_generate(*, mentors: int, mentees: int, seed: int = SEED) -> Cohort:
    """A cohort of `mentors` and `mentees`, about a tenth of each side applying as both."""
    rng = random.Random(seed)
    both = min(mentors, mentees) // 10
    profiles = {
        pid: profile(rng, person_id=pid, senior=pid < mentors)
        for pid in range(mentors + mentees - both)
    }
    identities = sorted(i for p in profiles.values() for i in p["identities"])
    for person in profiles.values():
        if rng.random() < 0.02:
            person["avoid"] = frozenset(rng.sample(identities, rng.randint(1, 2)))
    mentor_ids = range(mentors)
    mentee_ids = range(mentors - both, mentors + mentees - both)
    return Cohort(
        mentors=[Person(**profiles[pid], slots=rng.randint(1, 3)) for pid in mentor_ids],
        mentees=[Person(**profiles[pid]) for pid in mentee_ids],
        rules=rules_generate(rng, mentors=mentor_ids, mentees=mentee_ids),
    )


def rules_generate(rng: random.Random, *, mentors: range, mentees: range) -> Rules:
    """Earlier pairs among these people, and a few rejections by coordinators."""
    earlier = {
        frozenset({rng.choice(mentors), rng.choice(mentees)}) for _ in range(len(mentees) // 3)
    }
    rejected = {
        (10_000 + rng.choice(mentors), 10_000 + rng.choice(mentees))
        for _ in range(len(mentees) // 50)
    }
    return Rules(
        earlier_pairs=frozenset(p for p in earlier if len(p) == 2),
        rejected=frozenset(rejected),
    )


def timed(cohort: Cohort, weights: Weights) -> tuple[Result, float]:
    start = time.perf_counter()
    result = suggest(
        mentors=cohort.mentors, mentees=cohort.mentees, weights=weights, rules=cohort.rules
    )
    return result, time.perf_counter() - start


def traced_peak(cohort: Cohort, weights: Weights) -> int:
    """The peak of memory allocated while ``suggest`` runs, in bytes."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    suggest(mentors=cohort.mentors, mentees=cohort.mentees, weights=weights, rules=cohort.rules)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--mentees", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the median is kept")
    parser.add_argument("--must-have", nargs="*", default=[], choices=list(CRITERIA))
    return parser.parse_args()


def main() -> None:
    options = arguments()
    cohort = cohort_generate(mentors=options.mentors, mentees=options.mentees)
    weights = Weights(weights=DEFAULT_WEIGHTS, must_have=frozenset(options.must_have))
    slots = sum(mentor.slots for mentor in cohort.mentors)
    both = len({p.person_id for p in cohort.mentors} & {p.person_id for p in cohort.mentees})
    print(f"cohort: {len(cohort.mentors)} mentors ({slots} slots), {len(cohort.mentees)} mentees")
    print(f"        {both} applied as both, {len(cohort.rules.earlier_pairs)} earlier pairs")
    runs = [timed(cohort, weights) for _ in range(max(options.runs, 1))]
    result = runs[0][0]
    seconds = statistics.median(elapsed for _, elapsed in runs)
    peak = traced_peak(cohort, weights)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    proven = "proven best" if result.optimal else "best found, not proven"
    print(f"pairs suggested: {len(result.suggestions)} ({proven}), total score {result.total:.2f}")
    print(
        f"unmatched: {len(result.unmatched_mentees)} mentees, "
        f"{len(result.unmatched_mentors)} mentors with slots left"
    )
    print("runs: " + ", ".join(f"{elapsed:.2f} s" for _, elapsed in runs) + " (median kept)")
    print(f"memory: peak is tracemalloc's peak inside suggest; process ru_maxrss {rss:.0f} MiB")
    size = f"{options.mentors}x{options.mentees}"
    print(f"matching {size}: {seconds:.2f} s, peak {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()

"""Writes about cohorts as a whole: copying last year's cohort into next year's."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cohorts.program.models import CohortPage
from cohorts.program.models.pages import DATE_ORDER

COPY_NOT_ALLOWED = "You may not add cohorts under this cohort index."
COPY_SLUG_EXISTS = (
    'A cohort with the address "{slug}" already exists ({title}). '
    "Rename or delete it before copying this cohort again."
)

# Every date of the timeline, in the order the timeline states them.
COHORT_DATE_FIELDS = list(dict.fromkeys(name for pair in DATE_ORDER for name in pair[:2]))


# What else next year's cohort takes from this year's, registered by the features above the
# program (the matching weights) when the app starts: step(source=..., target=...).
_copy_steps: list[Callable[..., None]] = []


def cohort_copy_step_register(step: Callable[..., None]) -> None:
    """Run ``step(source=cohort, target=copy)`` inside every "Copy to next year"."""
    if step not in _copy_steps:
        _copy_steps.append(step)


class CohortCopyError(Exception):
    """The copy cannot be made; the message says why, for the editor."""


@dataclass(frozen=True)
class CohortCopyPlan:
    """What "Copy to next year" will create, shown for confirmation before it does."""

    title: str
    slug: str
    dates: list[tuple[str, datetime.date, datetime.date]]  # (label, this year, next year)
    children: list[str]  # titles of the pages copied along (recursively)
    clash: CohortPage | None


def shift_one_year(date: datetime.date) -> datetime.date:
    """The same day a year later; February 29 becomes February 28."""
    try:
        return date.replace(year=date.year + 1)
    except ValueError:
        return date.replace(year=date.year + 1, day=28)


def cohort_title_and_slug(*, formal_start: datetime.date, formal_end: datetime.date):
    """ "2028–2029 cohort" and "2028-2029" from the formal mentoring years."""
    if formal_start.year == formal_end.year:
        return f"{formal_start.year} cohort", str(formal_start.year)
    years = (formal_start.year, formal_end.year)
    return "{}–{} cohort".format(*years), "{}-{}".format(*years)


def cohort_copy_plan(*, cohort: CohortPage) -> CohortCopyPlan:
    """Read-only: the title, slug, dates and child pages next year's copy would have."""
    new_dates = {name: shift_one_year(getattr(cohort, name)) for name in COHORT_DATE_FIELDS}
    title, slug = cohort_title_and_slug(
        formal_start=new_dates["formal_start"], formal_end=new_dates["formal_end"]
    )
    field = CohortPage._meta.get_field
    return CohortCopyPlan(
        title=title,
        slug=slug,
        dates=[
            (field(name).verbose_name.capitalize(), getattr(cohort, name), new_dates[name])
            for name in COHORT_DATE_FIELDS
        ],
        children=[page.title for page in cohort.get_descendants().order_by("path")],
        clash=CohortPage.objects.sibling_of(cohort).filter(slug=slug).first(),
    )


def cohort_copy_allowed(*, cohort, user) -> bool:
    """Whoever may add pages under the cohort index may copy a cohort."""
    return cohort.get_parent().permissions_for_user(user).can_add_subpage()


def cohort_copy_to_next_year(*, cohort: CohortPage, user) -> CohortPage:
    """Create next year's cohort as an unpublished draft: every date a year later, and a
    copy of every page under this one (the application page now; survey pages and
    reminder texts too once they exist), and whatever the features registered with
    ``cohort_copy_step_register`` (the matching weights). Applications are not copied."""
    if not cohort_copy_allowed(cohort=cohort, user=user):
        raise PermissionDenied(COPY_NOT_ALLOWED)
    plan = cohort_copy_plan(cohort=cohort)
    if plan.clash is not None:
        raise CohortCopyError(COPY_SLUG_EXISTS.format(slug=plan.slug, title=plan.clash.title))
    update_attrs = {name: shift_one_year(getattr(cohort, name)) for name in COHORT_DATE_FIELDS}
    update_attrs |= {"title": plan.title, "draft_title": plan.title, "slug": plan.slug}
    with transaction.atomic():
        copy = cohort.copy(
            recursive=True,
            update_attrs=update_attrs,
            keep_live=False,
            copy_revisions=False,
            user=user,
            log_action="wagtail.copy",
        )
        for step in _copy_steps:
            step(source=cohort, target=copy)
    return copy.specific

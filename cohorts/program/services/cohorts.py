"""Writes about cohorts as a whole: copying last year's cohort into next year's, and
publishing a new cohort with the pages copied under it."""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from wagtail.models import Page

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


# A year standing alone in a text ("2027", the two of "2027–2028", "2027–28" whole), not
# part of a longer number or word ("20270", "2027B"); web addresses are left whole (a
# meeting link's digits).
YEAR_IN_TEXT = re.compile(r"(?<!\w)(\d{4})(?:([-–—/])(\d{2}))?(?!\w)")
WEB_ADDRESS = re.compile(r"(\b(?:https?://|www\.)\S+)")
# Words that place the year from where the reader stands ("the next program year", "this
# year's mentors"): true of one cohort only, so a copy repeats them wrongly.
RELATIVE_YEAR_WORDS = re.compile(
    r"\b(?:this|next|last|coming|current|upcoming|previous)(?:\s+[\w-]+)?\s+year\b",
    re.IGNORECASE,
)
# Fields of Wagtail's own Page that hold words a visitor reads; the rest are its machinery.
PAGE_TEXT_FIELDS = {"title", "draft_title", "seo_title", "search_description"}


@dataclass(frozen=True)
class RelativeWords:
    """Words in one field of one page that name the year from now ("next program year")."""

    page: str
    field: str
    words: str


@dataclass(frozen=True)
class CohortCopyPlan:
    """What "Copy to next year" will create, shown for confirmation before it does."""

    title: str
    slug: str
    dates: list[tuple[str, datetime.date, datetime.date]]  # (label, this year, next year)
    children: list[str]  # titles of the pages copied along (recursively)
    clash: CohortPage | None
    relative_words: list[RelativeWords]  # copied as they are, for the editor to check


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
        relative_words=cohort_relative_words(cohort=cohort),
    )


def _text_fields(page: Page) -> list[models.Field]:
    """The fields of ``page`` that hold free text an editor wrote: its own text fields and
    Page's title and search texts; never slugs, paths or choices."""
    return [
        field
        for field in page._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField)
        and not field.choices
        and (field.model is not Page or field.name in PAGE_TEXT_FIELDS)
    ]


def _cohort_pages(cohort: CohortPage) -> list[Page]:
    return [cohort, *cohort.get_descendants().order_by("path").specific()]


def cohort_relative_words(*, cohort: CohortPage) -> list[RelativeWords]:
    """Each place in the cohort's pages whose words name the year from now."""
    return [
        RelativeWords(page=page.title, field=field.verbose_name.capitalize(), words=match.group(0))
        for page in _cohort_pages(cohort)
        for field in _text_fields(page)
        if field.name != "draft_title"
        for match in RELATIVE_YEAR_WORDS.finditer(getattr(page, field.name) or "")
    ]


def text_years_moved(text: str, *, years: Iterable[int]) -> str:
    """``text`` with each of ``years`` a year later, in one pass: "2027–2028" becomes
    "2028–2029" (not "2029–2029") and "2027–28" "2028–29"; other numbers, years not listed
    and web addresses stay."""
    years = set(years)

    def moved(match: re.Match) -> str:
        year, dash, short = match.groups()
        if int(year) not in years:
            return match.group(0)
        if short is None:
            return str(int(year) + 1)
        return f"{int(year) + 1}{dash}{(int(short) + 1) % 100:02d}"

    parts = WEB_ADDRESS.split(text)  # odd items are the addresses
    return "".join(
        part if index % 2 else YEAR_IN_TEXT.sub(moved, part) for index, part in enumerate(parts)
    )


def _copy_texts_move_years(*, copy: CohortPage, years: set[int], user) -> None:
    """The copied pages' texts with the cohort's years a year later, saved on the pages and
    on the draft revision the editor opens. The cohort's own title is the plan's already."""
    for page in _cohort_pages(copy):
        changed = {}
        for field in _text_fields(page):
            if page.pk == copy.pk and field.name in ("title", "draft_title"):
                continue
            text = getattr(page, field.name)
            if text and (new := text_years_moved(text, years=years)) != text:
                changed[field.name] = new
        if not changed:
            continue
        for name, value in changed.items():
            setattr(page, name, value)
        page.save(update_fields=list(changed))
        page.save_revision(user=user, clean=False)


def cohort_copy_allowed(*, cohort, user) -> bool:
    """Whoever may add pages under the cohort index may copy a cohort."""
    return cohort.get_parent().permissions_for_user(user).can_add_subpage()


def cohort_copy_to_next_year(*, cohort: CohortPage, user) -> CohortPage:
    """Create next year's cohort as an unpublished draft: every date a year later, and a
    copy of every page under this one (the application page, the survey pages), and
    whatever the features registered with ``cohort_copy_step_register`` (the matching
    weights). In every text of the copied pages, the years of the cohort's timeline move a
    year too ("2027–2028" becomes "2028–2029"). Applications are not copied."""
    if not cohort_copy_allowed(cohort=cohort, user=user):
        raise PermissionDenied(COPY_NOT_ALLOWED)
    plan = cohort_copy_plan(cohort=cohort)
    if plan.clash is not None:
        raise CohortCopyError(COPY_SLUG_EXISTS.format(slug=plan.slug, title=plan.clash.title))
    update_attrs = {name: shift_one_year(getattr(cohort, name)) for name in COHORT_DATE_FIELDS}
    update_attrs |= {"title": plan.title, "draft_title": plan.title, "slug": plan.slug}
    years = {getattr(cohort, name).year for name in COHORT_DATE_FIELDS}
    with transaction.atomic():
        copy = cohort.copy(
            recursive=True,
            update_attrs=update_attrs,
            keep_live=False,
            copy_revisions=False,
            user=user,
            log_action="wagtail.copy",
        ).specific
        _copy_texts_move_years(copy=copy, years=years, user=user)
        for step in _copy_steps:
            step(source=cohort, target=copy)
    return copy.specific


def cohort_first_publication(*, cohort: CohortPage) -> bool:
    """Whether the cohort's latest publishing was its first (Wagtail stamps both moments
    with the same time then, and only then)."""
    return cohort.live and cohort.first_published_at == cohort.last_published_at


def cohort_drafts_publish(*, cohort: CohortPage, user) -> list[Page]:
    """Publish, on the cohort's first publication, every page under it that was never
    published (the application page and surveys "Copy to next year" made as drafts) and
    that ``user`` may publish; return them. A draft an editor starts under a cohort already
    live is theirs to publish, so publishing the cohort again publishes nothing."""
    if not cohort_first_publication(cohort=cohort):
        return []
    published = []
    drafts = cohort.get_descendants().filter(first_published_at__isnull=True, live=False)
    with transaction.atomic():
        for page in drafts.order_by("path").specific():
            revision = page.get_latest_revision()
            if revision is None or not page.permissions_for_user(user).can_publish():
                continue
            revision.publish(user=user)
            published.append(page)
    return published

"""Template helpers for cohort pages; the rules stay in cohorts.program.selectors."""

from django import template
from django.conf import settings

from cohorts.program.selectors import StageInfo, cohort_stage, program_season
from core.formatting import day_display, hours_display
from home.blocks import PLACEHOLDER

register = template.Library()


@register.simple_tag
def stage_of(cohort) -> StageInfo:
    """The cohort's stage today: `{% stage_of cohort as stage %}`."""
    return cohort_stage(cohort=cohort)


@register.inclusion_tag("cohorts/tags/member_applications.html", takes_context=True)
def member_applications_section(context, user) -> dict:
    """The member's applications, each with its status and cohort, for their account page."""
    from cohorts.program.selectors import member_applications

    return {"rows": member_applications(user=user, request=context.get("request"))}


@register.inclusion_tag("cohorts/tags/member_pairs.html")
def member_pairs_section(user) -> dict:
    """The member's published mentoring pairs, for their account page: (row, the address of
    the pair's page on the live pair dashboard, or "" while none is live)."""
    from cohorts.pairs.models import PairDashboardPage
    from cohorts.pairs.selectors.pairs import member_pairs

    rows = member_pairs(user=user)
    dashboard = PairDashboardPage.objects.live().first()
    base_url = dashboard.url if dashboard else None
    if not base_url:
        return {"rows": [(row, "") for row in rows]}
    route = dashboard.reverse_subpage
    return {"rows": [(row, base_url + route("pair", args=[row.pair.pk])) for row in rows]}


def season_of(context):
    """The program's season, read once per request however many times a page asks."""
    request = context.get("request")
    if request is None:
        return program_season()
    if not hasattr(request, "program_season"):
        request.program_season = program_season()
    return request.program_season


@register.inclusion_tag("cohorts/tags/program_season.html", takes_context=True)
def program_season_section(context) -> dict:
    """The home page's line on the program now: stage, next dates, the one action."""
    return {"season": season_of(context)}


COHORT_TO_BE_ANNOUNCED = "to be announced"


def cohort_values(cohort) -> dict[str, str]:
    start, end = cohort.formal_start, cohort.formal_end
    months = (end.year - start.year) * 12 + end.month - start.month
    return {
        "cohort": cohort.title,
        "applications_open": day_display(cohort.applications_open),
        "application_deadline": day_display(cohort.application_deadline),
        "pairing_completed_by": day_display(cohort.pairing_completed_by),
        "orientation_date": day_display(cohort.orientation_date),
        "formal_start": day_display(start),
        "formal_end": day_display(end),
        "months": str(months),
        "minimum_hours": hours_display(cohort.minimum_contact_hours),
    }


@register.simple_tag(takes_context=True)
def with_cohort_dates(context, text: str) -> str:
    """An editor's text with {formal_start} and the like replaced by the current cohort's
    values (the home page's season cohort), "to be announced" while none is published, and
    {retention_years} by the years a cohort's personal data is kept (RETENTION_YEARS) and
    {contact_retention_days} by the days a contact message is (CONTACT_MESSAGE_RETENTION_DAYS):
    `{% with_cohort_dates item %}`."""
    text = str(text)
    if not PLACEHOLDER.search(text):
        return text
    season = season_of(context)
    values = {
        "retention_years": str(settings.RETENTION_YEARS),
        "contact_retention_days": str(settings.CONTACT_MESSAGE_RETENTION_DAYS),
    }
    values |= cohort_values(season.cohort) if season else {}
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), COHORT_TO_BE_ANNOUNCED), text)

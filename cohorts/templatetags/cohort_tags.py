"""Template helpers for cohort pages; the rules stay in cohorts.program.selectors."""

from django import template

from cohorts.program.selectors import StageInfo, cohort_stage

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

"""Template helpers for cohort pages; the rules stay in cohorts.selectors."""

from django import template

from ..selectors import StageInfo, cohort_stage

register = template.Library()


@register.simple_tag
def stage_of(cohort) -> StageInfo:
    """The cohort's stage today: `{% stage_of cohort as stage %}`."""
    return cohort_stage(cohort=cohort)


@register.inclusion_tag("cohorts/tags/member_pairs.html")
def member_pairs_section(user) -> dict:
    """The member's published mentoring pairs, for their account page."""
    from ..selectors.pairs import member_pairs

    return {"rows": member_pairs(user=user)}

"""Template helpers for cohort pages; the rules stay in cohorts.selectors."""

from django import template

from ..selectors import StageInfo, cohort_stage

register = template.Library()


@register.simple_tag
def stage_of(cohort) -> StageInfo:
    """The cohort's stage today: `{% stage_of cohort as stage %}`."""
    return cohort_stage(cohort=cohort)

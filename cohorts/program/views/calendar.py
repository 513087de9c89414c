"""Calendar files of a cohort's timeline: the whole year, or one event of it."""

from django.http import Http404, HttpResponse
from wagtail.models import Site

from cohorts.program.selectors import cohort_calendar_build, cohort_event, cohort_events
from home.models import SiteSettings


def cohort_calendar(request, *, cohort, event: str | None = None) -> HttpResponse:
    """The cohort's .ics file; with `event` (a slug), that single event only."""
    if event is None:
        events, filename = cohort_events(cohort=cohort), f"{cohort.slug}.ics"
    else:
        found = cohort_event(cohort=cohort, slug=event)
        if found is None:
            raise Http404("No such event in this cohort's timeline.")
        events, filename = [found], f"{cohort.slug}-{found.slug}.ics"
    site = Site.find_for_request(request) or cohort.get_site()
    calendar = cohort_calendar_build(
        cohort=cohort,
        events=events,
        program_name=SiteSettings.for_site(site).program_name if site else "",
        host=site.hostname if site else request.get_host().split(":")[0],
    )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

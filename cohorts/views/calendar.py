from django.http import Http404, HttpResponse


def cohort_calendar(request, *, cohort) -> HttpResponse:
    raise Http404

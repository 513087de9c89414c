from django.http import Http404, HttpResponse


def application_page_serve(request, *, page) -> HttpResponse:
    raise Http404

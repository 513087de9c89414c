"""The ceiling for web.py: a Django application with one view and nothing else (no
middleware, no database, no templates), served by gunicorn beside the portal.

Its one view answers every GET with the bytes of the file named by ``BARE_BODY_FILE`` (the
overview as the portal serves it, so both send the same bytes), or a short text without it::

    BARE_BODY_FILE=page.html gunicorn --chdir benchmarks bare_app
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

BODY_FILE = os.environ.get("BARE_BODY_FILE", "")
BODY = Path(BODY_FILE).read_bytes() if BODY_FILE else b"Hello from a bare Django view.\n"

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.urandom(16).hex(),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]

application = get_wsgi_application()

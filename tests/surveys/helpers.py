"""What the survey tests share besides their fixtures and builders: an answer posted by a
member, and the survey results screen's CSV."""

import csv
import io

from django.urls import reverse

from tests.surveys.factories import ANSWERS


def answer(client, user, page, data=None, **extra):
    """``user`` answers the survey ``page`` with ``ANSWERS`` changed by ``data``."""
    client.force_login(user)
    return client.post(page.url, {**ANSWERS, **(data or {})}, **extra)


def results_csv(client, survey) -> list[list[str]]:
    """The rows of ``survey``'s results as CSV (the coordinators' results screen), read by
    ``client``."""
    response = client.get(reverse("cohorts_reports:survey_csv", args=[survey.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))

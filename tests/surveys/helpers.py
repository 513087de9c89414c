"""What the survey tests share besides their fixtures and builders: an answer posted by a
member, and the admin's export of a survey's submissions."""

from django.urls import reverse

from tests.surveys.factories import ANSWERS


def answer(client, user, page, data=None, **extra):
    """``user`` answers the survey ``page`` with ``ANSWERS`` changed by ``data``."""
    client.force_login(user)
    return client.post(page.url, {**ANSWERS, **(data or {})}, **extra)


def export(client, survey, format_="csv") -> str:
    """The admin's export of ``survey``'s submissions, as text."""
    url = reverse("wagtailforms:list_submissions", args=[survey.pk])
    response = client.get(url, {"export": format_})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()

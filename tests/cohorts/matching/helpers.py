"""What the tests of the matching workspace share besides their fixtures: its address, an
action posted to it, and the check that a matching service refuses with a given message."""

import pytest
from django.urls import reverse

from cohorts.matching import services

WORKSPACE = "cohorts_matching:workspace"


def post(client, cohort, action: str, **data):
    """``action`` posted to the cohort's matching workspace with ``data``."""
    return client.post(reverse(WORKSPACE, args=[cohort.pk]), {"action": action, **data})


def refused(call, message: str):
    """The call raises MatchingError with exactly this message."""
    with pytest.raises(services.MatchingError) as error:
        call()
    assert str(error.value) == message


def came_back(client, response):
    """The page a plain form post came back to (parsed), and the anchor it came back at."""
    from bs4 import BeautifulSoup

    assert response.status_code == 302, response.status_code
    path, _, anchor = response["Location"].partition("#")
    page = client.get(path)
    assert page.status_code == 200
    return BeautifulSoup(page.content, "html.parser"), anchor


def message_at(soup, anchor: str) -> str:
    """The action's message shown in (or in place of) the element with this id, or ""."""
    element = soup.find(id=anchor)
    message = element.select_one(".matching-outcome") if element else None
    return message.get_text(" ", strip=True) if message else ""


def in_place(client, cohort, query: str = "", **data):
    """An action (``action=…`` among ``data``) posted as htmx posts it, the answer parsed.

    Every part swapped out of band comes inside a template element, which a browser reads
    apart from the table row swapped in place; the templates are then taken away, as htmx
    does."""
    from bs4 import BeautifulSoup

    url = reverse(WORKSPACE, args=[cohort.pk]) + query
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    answer = BeautifulSoup(response.content, "html.parser")
    loose = [part for part in answer.select("[hx-swap-oob]") if not part.find_parent("template")]
    assert loose == [], "swapped out of band outside a template"
    for template in answer.find_all("template"):
        template.unwrap()
    return BeautifulSoup(str(answer), "html.parser")

"""Coordinators give many pairs the same liaison from the pairs listing: a confirmation page
that names the pairs, then one change, and only for those who may change pairs."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from cohorts.models import Pair
from members.roles import EDITORS
from tests.cohorts.factories import make_pair
from tests.cohorts.pairs.helpers import INDEX
from tests.factories import member
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db


def liaison_url(ids, **params) -> str:
    query = [("id", pk) for pk in ids] + [*params.items(), ("next", reverse(INDEX))]
    url = reverse("wagtail_bulk_action", args=["cohorts", "pair", "set_liaison"])
    return f"{url}?{urlencode(query)}"


@pytest.fixture
def pairs(cohort):
    return [
        make_pair(
            cohort, mentor=("Ann", f"Mentor{n}"), mentee=("Bea", f"Mentee{n}"), record_only=True
        )
        for n in range(3)
    ]


def test_the_ticked_pairs_get_the_chosen_liaison(client, coordinator, chair, pairs):
    chosen, untouched = pairs[:2], pairs[2]
    url = liaison_url([pair.pk for pair in chosen])

    page = client.get(url)
    text = page.content.decode()
    assert "These pairs get the liaison chosen below (2)" in text
    assert "Ann Mentor0 and Bea Mentee0 (2026 cohort; now: no liaison)" in text
    assert "Mentor2" not in text
    response = client.post(
        url, {"confirmed": page.context["form"]["confirmed"].value(), "liaison": chair.pk}
    )

    assert response.status_code == 302
    assert {p.liaison_id for p in Pair.objects.filter(pk__in=[p.pk for p in chosen])} == {chair.pk}
    assert Pair.objects.get(pk=untouched.pk).liaison_id is None
    assert "Chai Rperson is now the liaison of 2 pairs." in messages_of(client.get(response.url))


def test_the_listing_shows_checkboxes_to_coordinators_only(client, coordinator, pairs):
    body = client.get(reverse(INDEX)).content.decode()
    assert body.count('class="bulk-action-checkbox"') == 3
    assert f'id="pair_{pairs[0].pk}_title"' in body


def test_a_liaison_who_is_not_on_the_subcommittee_is_refused(client, coordinator, pairs):
    outsider = member("outsider@example.org")
    url = liaison_url([pairs[0].pk])
    page = client.get(url)

    response = client.post(
        url, {"confirmed": page.context["form"]["confirmed"].value(), "liaison": outsider.pk}
    )

    assert response.status_code == 200
    assert "Choose a liaison from the list of coordinators and the chair." in (
        response.content.decode()
    )
    assert Pair.objects.get(pk=pairs[0].pk).liaison_id is None


def test_editors_cannot_set_liaisons(client, site, chair, pairs):
    client.force_login(member(groups=[EDITORS]))
    url = liaison_url([pairs[0].pk])

    response = client.post(url, {"confirmed": str(pairs[0].pk), "liaison": chair.pk})

    assert response.status_code == 302
    assert Pair.objects.get(pk=pairs[0].pk).liaison_id is None

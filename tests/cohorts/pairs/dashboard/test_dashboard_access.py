"""Who may open the pair dashboard: each partner every route, privately; nobody else learns
that the pair exists; visitors log in first; unknown sections and items are not found; forms
need the CSRF token; hostile input is escaped and never breaks a page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cohorts.choices import Role
from cohorts.models import (
    ChangeRequest,
    ConfidentialNote,
    ContactLog,
    PairAgreement,
    PairGoal,
    SupportRequest,
)
from cohorts.pairs.services import notes as note_services
from cohorts.pairs.services import pairs as pair_services
from members.roles import EDITORS
from tests.cohorts.factories import apply, make_pair
from tests.cohorts.pairs.dashboard.helpers import TODAY, assert_private, contact_data, url
from tests.factories import member
from tests.helpers import client_for, html

pytestmark = pytest.mark.django_db


def records(pair) -> dict[str, int]:
    return {
        "contacts": ContactLog.objects.filter(pair=pair).count(),
        "notes": ConfidentialNote.objects.filter(pair=pair).count(),
        "goals": PairGoal.objects.filter(pair=pair).count(),
        "agreements": PairAgreement.objects.filter(pair=pair).count(),
        "support": SupportRequest.objects.filter(pair=pair).count(),
        "changes": ChangeRequest.objects.filter(pair=pair).count(),
    }


@pytest.fixture
def items(pair, mentor, mentee):
    """A contact, a goal and a private note for each partner; returns the ids by author."""
    made = {}
    for user in (mentor, mentee):
        contact = pair_services.contact_add(
            pair=pair,
            user=user,
            date=TODAY - datetime.timedelta(days=5),
            minutes=30,
            method="email",
        )
        note = note_services.note_add(pair=pair, user=user, text=f"Note by {user.first_name}")
        made[user.pk] = {"contact": contact.pk, "note": note.pk}
    made["goal"] = pair_services.goal_add(pair=pair, user=mentee, text="Learn RDA").pk
    return made


def every_route(dashboard, pair, items, user) -> dict[str, str]:
    """Every dashboard address of ``pair``, with ``user``'s own items."""
    own = items[user.pk]
    sections = ["contacts", "agreement", "goals", "notes", "support", "change", "end"]
    return {
        "pair": url(dashboard, pair),
        **{section: url(dashboard, pair, section) for section in sections},
        "contacts-edit": url(dashboard, pair, "contacts-edit", own["contact"]),
        "contacts-delete": url(dashboard, pair, "contacts-delete", own["contact"]),
        "goal": url(dashboard, pair, "goals", items["goal"]),
        "goals-delete": url(dashboard, pair, "goals-delete", items["goal"]),
        "notes-edit": url(dashboard, pair, "notes-edit", own["note"]),
        "notes-share": url(dashboard, pair, "notes-share", own["note"]),
        "notes-delete": url(dashboard, pair, "notes-delete", own["note"]),
    }


PAGES = {"pair", "notes", "support", "change", "contacts-edit", "contacts-delete"}
PAGES |= {"notes-edit", "notes-delete", "notes-share", "goals-delete"}

# Who may open what -------------------------------------------------------------------------


def test_every_route_answers_each_partner_privately(dashboard, pair, mentor, mentee, items):
    for user in (mentor, mentee):
        client = client_for(user)
        response = client.get(url(dashboard))
        assert response.status_code == 200
        assert_private(response)
        for name, address in every_route(dashboard, pair, items, user).items():
            response = client.get(address)
            expected = 200 if name in PAGES else 302
            assert response.status_code == expected, (user, name, response.status_code)
            assert_private(response)
            if expected == 302:
                assert response.url.startswith(url(dashboard, pair))


@pytest.fixture
def outsiders(cohort, coordinator, site):
    """A member in no pair, a member of another pair, a coordinator, an editor, a superuser."""
    other_mentor = apply(
        cohort, role=Role.MENTOR, mentee_capacity=1, first="O", last="Ther", status="accepted"
    )
    other_mentee = apply(cohort, first="An", last="Other", status="accepted")
    make_pair(cohort, mentor=other_mentor, mentee=other_mentee, coordinator=coordinator)
    superuser = get_user_model().objects.create_superuser(
        email="root@example.org", password="x-secret-pass-1"
    )
    return {
        "member": member(),
        "other pair": other_mentee.applicant,
        "coordinator": coordinator,
        "editor": member(groups=[EDITORS]),
        "superuser": superuser,
    }


def test_nobody_else_learns_that_the_pair_exists(dashboard, pair, mentee, items, outsiders):
    before = records(pair)
    for who, user in outsiders.items():
        client = client_for(user)
        for name, address in every_route(dashboard, pair, items, mentee).items():
            for method in (client.get, client.post):
                response = method(address, {"text": "x", "action": "delete", "shared": "1"})
                assert response.status_code == 404, (who, name, method)
                assert_private(response)
                page = html(response)
                assert "Page not found" in page
                assert "Theo" not in page and "Note by" not in page
        index = html(client.get(url(dashboard)))
        assert "Theo" not in index
        assert ("You are not in a mentoring pair yet" in index) is (who != "other pair")
    assert records(pair) == before


def test_visitors_log_in_first(client, dashboard, pair, mentee, items):
    for address in [url(dashboard), *every_route(dashboard, pair, items, mentee).values()]:
        response = client.get(address)
        assert response.status_code == 302
        assert response.url == f"{reverse('account_login')}?next={address}"
        assert_private(response)


def test_unknown_sections_and_items_are_not_found(dashboard, pair, mentee, mentor, items):
    client = client_for(mentee)
    missing = [
        url(dashboard, pair, "minutes"),
        url(dashboard, pair, "notes", 1),
        url(dashboard, pair, "contacts-edit", 999999),
        url(dashboard, pair, "contacts-edit", items[mentor.pk]["contact"]),
        url(dashboard, pair, "notes-edit", items[mentor.pk]["note"]),
        url(dashboard, pair, "goals", 999999),
        dashboard.url + "999999/",
        dashboard.url + f"{pair.pk}/contacts-edit/99999999999999999999999/",
    ]
    for address in missing:
        for response in (client.get(address), client.post(address, {"action": "delete"})):
            assert response.status_code == 404, address
            assert_private(response)
    response = client.post(url(dashboard, pair, "change"), {"action": "consent", "change": "x"})
    assert response.status_code == 404


def test_forms_refuse_a_post_without_the_csrf_token(dashboard, pair, mentee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)
    response = client.post(url(dashboard, pair, "contacts"), contact_data())
    assert response.status_code == 403
    assert not ContactLog.objects.exists()
    page = html(client_for(mentee).get(url(dashboard, pair, "notes")))
    assert 'name="csrfmiddlewaretoken"' in page


# Hostile input -----------------------------------------------------------------------------


def test_hostile_input_is_escaped_and_never_breaks_a_page(
    dashboard, pair, mentee, mentor, hostile_inputs
):
    client = client_for(mentee)
    for text in hostile_inputs:
        # Five minutes each: a hundred contacts stay within a day's 12 hours.
        for address, data in (
            (url(dashboard, pair, "contacts"), contact_data(summary=text, minutes="5")),
            (url(dashboard, pair, "notes"), {"text": text, "shared": "on"}),
        ):
            assert client.post(address, data).status_code in (200, 302), text
    assert ContactLog.objects.count() > 50 and ConfidentialNote.objects.count() > 50
    for user in (mentee, mentor):
        for section in ("", "notes"):
            response = client_for(user).get(url(dashboard, pair, section))
            assert response.status_code == 200
            page = html(response)
            assert "<script>alert(1)</script>" not in page
            assert "<img src=x onerror" not in page and "<svg onload" not in page
            assert '<a href="javascript:' not in page and "<iframe" not in page
    summaries = set(ContactLog.objects.values_list("summary", flat=True))
    page = html(client.get(url(dashboard, pair)))
    for text in hostile_inputs:
        if text.strip() in summaries and "\n" not in text and "\r" not in text:
            assert escape(text.strip()) in page, text

"""The matching workspace at work on long lists: actions answered in place with their
message beside the row (htmx), the same without JavaScript, the fit of each pairing with
what speaks for and against it, the minimum-fit filter and order, the comparison of two
people, and query counts that do not grow with the cohort."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cohorts.choices import PairSource, Role
from cohorts.matching import services
from cohorts.matching.engine import SAME_PERSON
from cohorts.models import Application, MatchSuggestion, Pair, PairingRejection
from tests.cohorts.factories import accepted, make_cohort
from tests.cohorts.matching.helpers import WORKSPACE, came_back, in_place, message_at, post
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

REVIEW = "cohorts_matching:review"


def three_pairs(cohort):
    """Three mentors and three mentees; the second mentee shares nothing with anyone."""
    for n, (first, years) in enumerate([("Ann", 20), ("Ben", 25), ("Cy", 30)]):
        accepted(
            cohort,
            role=Role.MENTOR,
            first=first,
            last="Mentor",
            years_experience=years,
            contact_methods=["email"],
        )
        accepted(
            cohort,
            first=f"Mentee{n}",
            last="Mentee",
            years_experience=2 + 15 * n,
            contact_methods=["email"] if n != 1 else ["telephone"],
        )
    services.suggestions_run(cohort=cohort, user=None)
    return list(MatchSuggestion.objects.order_by("pk"))


def test_accepting_in_place_answers_with_the_row_its_message_and_what_changed(
    client, cohort, coordinator
):
    first, *_ = three_pairs(cohort)
    answer = in_place(client, cohort, action="accept", suggestion=first.pk, next="x")

    row = answer.find("tr")
    assert row["id"] == f"suggestion-{first.pk}"
    assert row.select_one(".matching-outcome").get_text(" ", strip=True).startswith("Confirmed: ")
    assert "Nothing is sent until you publish." in row.get_text()
    assert answer.find("html") is None  # a fragment, not the page
    # The counts, the bulk button and the confirmed pairs come along, swapped out of band.
    status = answer.find(id="matching-status")
    assert status["hx-swap-oob"] == "true"
    assert "1 confirmed, not published" in " ".join(status.get_text().split())
    head = answer.find(id="suggestions-head")
    assert head.find("button").get_text(strip=True) == "Accept all 2 suggestions"
    assert len(head.find_all("input", attrs={"name": "suggestion"})) == 2
    pair = Pair.objects.get()
    assert answer.find(id="confirmed").find(id=f"pair-{pair.pk}")
    assert messages_of(client.get(reverse(WORKSPACE, args=[cohort.pk]))) == []


def test_a_refused_hand_pairing_answers_beside_the_form_with_the_choice_kept(
    client, cohort, coordinator
):
    both = accepted(cohort, role=Role.BOTH, first="Bo", last="Both")
    accepted(cohort, role=Role.MENTOR, first="Ann", last="Mentor")
    accepted(cohort, first="Mia", last="Mentee")
    answer = in_place(client, cohort, action="pair", mentor=both.pk, mentee=both.pk)

    form = answer.find(id="pair-by-hand")
    assert message_at(answer, "pair-by-hand") == SAME_PERSON.format(mentor="Bo Both")
    assert form.find("select", id="manual-mentor").find("option", selected=True)["value"] == str(
        both.pk
    )
    assert form.find("select", id="manual-mentee").find("option", selected=True)["value"] == str(
        both.pk
    )
    assert not Pair.objects.exists()


def test_without_javascript_a_refused_hand_pairing_comes_back_to_the_form_as_it_was(
    client, cohort, coordinator
):
    both = accepted(cohort, role=Role.BOTH, first="Bo", last="Both")
    accepted(cohort, role=Role.MENTOR, first="Ann", last="Mentor")
    response = post(client, cohort, "pair", mentor=both.pk, mentee=both.pk)
    page, anchor = came_back(client, response)

    assert anchor == "pair-by-hand"
    assert message_at(page, anchor) == SAME_PERSON.format(mentor="Bo Both")
    for select in ("manual-mentor", "manual-mentee"):
        assert page.find(id=select).find("option", selected=True)["value"] == str(both.pk)
    # Shown once: the message is not repeated at the top of the page.
    assert SAME_PERSON.format(mentor="Bo Both") not in " ".join(
        m.get_text() for m in page.select(".messages")
    )


def test_a_hand_pairing_in_place_drops_the_suggestion_it_replaces(client, cohort, coordinator):
    suggestions = three_pairs(cohort)
    suggested = suggestions[0]
    other_mentor = Application.objects.get(applicant__first_name="Cy")
    mentee = suggested.mentee
    # Cy's suggestion goes first, so Cy has a place for the mentee of the first suggestion.
    services.suggestion_reject(
        cohort=cohort,
        suggestion_id=MatchSuggestion.objects.get(mentor=other_mentor).pk,
        user=None,
    )
    answer = in_place(client, cohort, action="pair", mentor=other_mentor.pk, mentee=mentee.pk)

    assert message_at(answer, "pair-by-hand").startswith("Paired by hand, confirmed and locked")
    deleted = answer.find(id=f"suggestion-{suggested.pk}")
    assert deleted["hx-swap-oob"] == "delete"
    pair = Pair.objects.get()
    assert pair.locked and pair.source == PairSource.MANUAL
    assert answer.find(id="confirmed").find(id=f"pair-{pair.pk}")


def test_without_javascript_a_rejected_row_leaves_its_message_where_it_was(
    client, cohort, coordinator
):
    first, second, third = three_pairs(cohort)
    page = BeautifulSoup(client.get(reverse(WORKSPACE, args=[cohort.pk])).content, "html.parser")
    rows = [tr["id"] for tr in page.find(id="suggestions").select("tbody tr")]
    rejected, following = rows[0], rows[1]
    form = page.find(id=rejected).find("form", class_="row-actions")
    assert form.find("input", attrs={"name": "next"})["value"] == following

    response = post(client, cohort, "reject", suggestion=rejected.split("-")[1], next=following)
    page, anchor = came_back(client, response)
    assert anchor == rejected
    outcome = page.find(id=rejected)
    assert "matching-outcome-row" in outcome["class"]
    assert outcome.find_next_sibling("tr")["id"] == following
    assert message_at(page, anchor) == "Rejected: the two will not be suggested again."
    assert PairingRejection.objects.count() == 1
    # Read once: the next page shows the rows only.
    page = client.get(reverse(WORKSPACE, args=[cohort.pk])).content.decode()
    assert f'id="{rejected}"' not in page


def test_a_refused_accept_stays_in_its_row_with_the_reason(client, cohort, coordinator):
    first, *_ = three_pairs(cohort)
    Pair.objects.create(
        cohort=cohort,
        mentor=Application.objects.exclude(pk=first.mentor_id).filter(role=Role.MENTOR).first(),
        mentee=first.mentee,
        source=PairSource.MANUAL,
        confirmed_at="2026-01-01T00:00Z",
    )
    answer = in_place(client, cohort, action="accept", suggestion=first.pk)
    row = answer.find("tr", id=f"suggestion-{first.pk}")
    assert row.find("button", attrs={"value": "accept"})  # the row is still there
    assert row.select_one(".matching-outcome--error").get_text(" ", strip=True) == (
        services.MENTEE_TAKEN.format(name=first.mentee.applicant.display_name)
    )


def test_undoing_a_pair_in_place_returns_both_to_the_unmatched(client, cohort, coordinator):
    first, *_ = three_pairs(cohort)
    pair = services.suggestion_accept(cohort=cohort, suggestion_id=first.pk, user=coordinator)
    answer = in_place(client, cohort, action="release", pair=pair.pk)

    assert answer.find("tr")["id"] == f"pair-{pair.pk}"
    assert message_at(answer, f"pair-{pair.pk}") == "Pair undone: both are unmatched again."
    unmatched = answer.find(id="unmatched")
    assert unmatched["hx-swap-oob"] == "true"
    assert pair.mentee.applicant.display_name in unmatched.find(id="manual-mentee").get_text()
    assert answer.find(id="confirmed-title").get_text(strip=True).endswith("(0)")


# Fit, for and against ------------------------------------------------------------------------


def test_each_suggestion_shows_its_fit_on_the_stated_scale_and_what_speaks_against_it(
    client, cohort, coordinator
):
    accepted(cohort, role=Role.MENTOR, first="Max", last="Mentor", years_experience=8)
    accepted(cohort, first="Mia", last="Mentee", years_experience=32)
    services.suggestions_run(cohort=cohort, user=None)
    page = client.get(reverse(WORKSPACE, args=[cohort.pk])).content.decode()
    assert "Fit (0–100)" in page
    assert "Fit runs from 0 to 100" in page
    assert "mentee has 24 more years&#x27; experience than the mentor (32 against 8)" in page
    assert "no shared area of interest" in page


def test_the_minimum_fit_and_the_weakest_first_order(client, cohort, coordinator):
    three_pairs(cohort)
    url = reverse(WORKSPACE, args=[cohort.pk])
    page = BeautifulSoup(client.get(url, {"order": "weakest"}).content, "html.parser")
    fits = [int(p.strong.get_text()) for p in page.select("#suggestions tbody .pairing-fit")]
    assert fits == sorted(fits) and fits[0] < fits[-1]

    cut = fits[-1]
    page = BeautifulSoup(client.get(url, {"min": cut}).content, "html.parser")
    shown = page.select("#suggestions tbody tr")
    strongest = sum(1 for fit in fits if fit >= cut)
    assert len(shown) == strongest
    bulk = page.find(id="bulk-accept")
    noun = "suggestion" if strongest == 1 else "suggestions"
    assert bulk.find("button").get_text(strip=True) == f"Accept the {strongest} {noun} shown"
    # The bulk button confirms exactly the rows shown.
    ids = [field["value"] for field in bulk.find_all("input", attrs={"name": "suggestion"})]
    client.post(bulk.get("action"), {"action": "accept_all", "suggestion": ids})
    assert Pair.objects.count() == strongest
    assert MatchSuggestion.objects.count() == 3 - strongest


@pytest.mark.parametrize("value", ["abc", "101", "-5"])
def test_a_bad_minimum_fit_says_so_and_narrows_nothing(client, cohort, coordinator, value):
    three_pairs(cohort)
    page = client.get(reverse(WORKSPACE, args=[cohort.pk]), {"min": value})
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find(id="id_min-error").get_text() == "Enter a whole number from 0 to 100."
    assert len(soup.select("#suggestions tbody tr")) == 3


def test_comparing_a_mentor_and_a_mentee_side_by_side(client, cohort, coordinator):
    mentor = accepted(
        cohort,
        role=Role.MENTOR,
        first="Max",
        last="Mentor",
        years_experience=8,
        offer="Cataloguing workflows",
    )
    mentee = accepted(cohort, first="Mia", last="Mentee", years_experience=32, goals="Lead")
    both = accepted(cohort, role=Role.BOTH, first="Bo", last="Both")
    url = reverse(REVIEW, args=[cohort.pk])

    page = BeautifulSoup(
        client.get(url, {"mentor": mentor.pk, "mentee": mentee.pk}).content, "html.parser"
    )
    table = page.select_one("table.pairing-compare")
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in table.tbody.find_all("tr")
    }
    assert rows["Years of experience"] == ["8", "32"]
    assert rows["What they can offer a mentee"] == ["Cataloguing workflows", "—"]
    assert rows["Goals for the year"] == ["—", "Lead"]
    assert "mentee has 24 more years' experience" in page.select_one(".pairing-against").text
    assert page.find("button", attrs={"value": "pair"})

    page = client.get(url, {"mentor": both.pk, "mentee": both.pk}).content.decode()
    assert SAME_PERSON.format(mentor="Bo Both") in page
    assert 'value="pair"' not in page
    for bad in [{"mentor": "x", "mentee": "1"}, {"mentor": mentee.pk, "mentee": mentor.pk}]:
        page = client.get(url, bad)
        assert page.status_code == 200
        assert "Choose an accepted mentor and an accepted mentee of this cohort." in (
            page.content.decode()
        )


# Queries do not grow with the cohort ---------------------------------------------------------


def big_cohort(home, year: int, count: int):
    from tests.cohorts.factories import bulk_apply

    cohort = make_cohort(home, year)
    bulk_apply(cohort, count, start=Application.objects.count())
    Application.objects.filter(cohort=cohort).update(status="accepted", mentee_capacity=2)
    services.suggestions_run(cohort=cohort, user=None)
    return cohort


@pytest.mark.parametrize("count", [12, 300])
def test_the_workspace_and_its_actions_in_place_take_a_fixed_number_of_queries(
    client, home, coordinator, django_assert_max_num_queries, count
):
    cohort = big_cohort(home, 2040 + count, count)
    url = reverse(WORKSPACE, args=[cohort.pk])
    client.get(url)  # the session's renewal is not counted
    with django_assert_max_num_queries(30):
        assert client.get(url, {"min": 10, "order": "weakest", "q": "Bulk"}).status_code == 200
    first, second = MatchSuggestion.objects.filter(cohort=cohort)[:2]
    with django_assert_max_num_queries(45):
        in_place(client, cohort, action="accept", suggestion=first.pk)
    with django_assert_max_num_queries(45):
        in_place(client, cohort, action="reject", suggestion=second.pk)
    pair = Pair.objects.get(cohort=cohort)
    with django_assert_max_num_queries(45):
        in_place(client, cohort, action="release", pair=pair.pk)

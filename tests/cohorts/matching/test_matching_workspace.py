"""The matching workspace in the admin: a coordinator's whole round, bad and hostile posts,
the weights screen, who may reach it, the Mentoring menu, and a query count that does not
grow with the cohort."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.choices import ApplicationStatus, PairStatus, Role
from cohorts.matching import services
from cohorts.matching.engine import DEFAULT_WEIGHTS
from cohorts.models import (
    Application,
    MatchingSettings,
    MatchSuggestion,
    Pair,
    PairingComment,
    PairingRejection,
)
from cohorts.pairs.selectors.pairs import pairs_for_member
from members.roles import EDITORS
from tests.cohorts.factories import accepted, make_cohort
from tests.cohorts.matching.helpers import (
    WORKSPACE,
    came_back,
    in_place,
    message_at,
    post,
    refused,
)
from tests.factories import member
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

S = ApplicationStatus


# The workspace in the admin ----------------------------------------------------------------


def test_a_coordinator_works_the_cohort_in_the_workspace(client, cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="Mentor")
    mentee = accepted(cohort, first="Mia", last="Mentee")

    response = post(client, cohort, "run")
    assert "Suggestions run: 1 suggested pairs" in messages_of(response)[0]
    page = client.get(reverse(WORKSPACE, args=[cohort.pk])).content.decode()
    assert "Max Mentor" in page and "Mia Mentee" in page and "Accept" in page

    suggestion = MatchSuggestion.objects.get()
    response = post(client, cohort, "accept", suggestion=suggestion.pk)
    page, anchor = came_back(client, response)
    assert anchor == f"suggestion-{suggestion.pk}"
    assert message_at(page, anchor) == (
        "Confirmed: Max Mentor mentors Mia Mentee. Nothing is sent until you publish."
    )
    pair = Pair.objects.get()
    post(client, cohort, "lock", pair=pair.pk)
    pair.refresh_from_db()
    assert pair.locked

    publish = reverse("cohorts_matching:publish", args=[cohort.pk])
    assert "Publish 1 pair and e-mail it" in client.get(publish).content.decode()
    client.post(publish)
    pair.refresh_from_db()
    assert pair.status == PairStatus.PUBLISHED
    page = client.get(reverse(WORKSPACE, args=[cohort.pk])).content.decode()
    assert "Published pairs (1)" in page and "Cora Ordinator" in page
    assert list(pairs_for_member(user=mentor.applicant)) == [pair]
    assert list(pairs_for_member(user=mentee.applicant)) == [pair]


def test_bad_posts_get_a_message_and_change_nothing(client, cohort, coordinator):
    accepted(cohort, role=Role.MENTOR, last="Mentor")
    accepted(cohort, last="Mentee")
    for data in [{"action": "explode"}, {"action": "carry_forward", "application": "x"}]:
        response = client.post(reverse(WORKSPACE, args=[cohort.pk]), data)
        assert response.status_code == 302, data
        assert messages_of(response), data
    # Actions done in place answer beside the row (or the form) they came from.
    for data, anchor in [
        ({"action": "accept", "suggestion": "abc"}, "suggestion-0"),
        ({"action": "accept", "suggestion": "99999"}, "suggestion-99999"),
        ({"action": "reject", "suggestion": "-1"}, "suggestion-0"),
        ({"action": "pair", "mentor": "1e9", "mentee": ""}, "pair-by-hand"),
        ({"action": "lock", "pair": "99999999999999999999"}, "pair-0"),
        ({"action": "release", "pair": "7"}, "pair-7"),
    ]:
        response = client.post(reverse(WORKSPACE, args=[cohort.pk]), data)
        page, came_at = came_back(client, response)
        assert came_at == anchor, data
        assert message_at(page, anchor) in (services.SUGGESTION_GONE, services.PAIR_GONE), data
        assert in_place(client, cohort, **data).select_one(".matching-outcome--error"), data
    assert not Pair.objects.exists() and not PairingRejection.objects.exists()


def test_hostile_comments_are_stored_as_text_and_escaped(
    client, cohort, coordinator, hostile_inputs
):
    mentor = accepted(cohort, role=Role.MENTOR, last="Mentor")
    mentee = accepted(cohort, last="Mentee")
    for text in hostile_inputs:
        response = post(client, cohort, "comment", mentor=mentor.pk, mentee=mentee.pk, body=text)
        assert response.status_code == 302
    page = client.get(reverse(WORKSPACE, args=[cohort.pk]))
    assert page.status_code == 200
    assert "<script>alert" not in page.content.decode()
    refused(
        lambda: services.pairing_comment_add(
            cohort=cohort,
            mentor_id=mentor.pk,
            mentee_id=mentee.pk,
            user=coordinator,
            body="a\x00b",
        ),
        services.COMMENT_NULL_CHARACTER,
    )


def test_the_weights_screen(client, cohort, coordinator):
    url = reverse("cohorts_matching:settings", args=[cohort.pk])
    assert client.get(url).status_code == 200
    data = {f"weight_{key}": value for key, value in DEFAULT_WEIGHTS.items()}
    response = client.post(url, {**data, "weight_conference": "101"})
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert not MatchingSettings.objects.filter(cohort=cohort).exists()

    client.post(url, {**data, "weight_conference": "40", "must_time_zone": "on"})
    settings = MatchingSettings.objects.get(cohort=cohort)
    assert settings.weights["conference"] == 40 and settings.must_have == ["time_zone"]


@pytest.mark.parametrize("role", ["editor", "member"])
def test_only_coordinators_reach_the_workspace(client, cohort, role):
    groups = [EDITORS] if role == "editor" else []
    user = member(f"{role}@example.org", groups=groups)
    user.is_staff = role == "editor"
    user.save()
    client.force_login(user)
    for url in [
        reverse("cohorts_matching:index"),
        reverse(WORKSPACE, args=[cohort.pk]),
        reverse("cohorts_matching:settings", args=[cohort.pk]),
        reverse("cohorts_matching:publish", args=[cohort.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        response = client.post(url, {"action": "run"})
        assert response.status_code == 302, url
    assert not MatchingSettings.objects.exists()


def test_the_mentoring_menu_lists_matching_for_coordinators(client, coordinator):
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("cohorts_matching:index") in page


def workspace_queries(client, cohort, count: int) -> int:
    from tests.cohorts.factories import bulk_apply

    bulk_apply(cohort, count, start=Application.objects.count())
    Application.objects.filter(cohort=cohort).update(status=S.ACCEPTED, mentee_capacity=2)
    services.suggestions_run(cohort=cohort, user=None)
    services.suggestions_accept_all(cohort=cohort, user=None)
    services.suggestions_run(cohort=cohort, user=None, release_confirmed=True)
    for n, suggestion in enumerate(MatchSuggestion.objects.all()[:5]):
        PairingComment.objects.create(
            cohort=cohort, mentor=suggestion.mentor, mentee=suggestion.mentee, body=f"c{n}"
        )
    client.get(reverse(WORKSPACE, args=[cohort.pk]))  # the session's renewal is not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(WORKSPACE, args=[cohort.pk]))
    assert response.status_code == 200
    return len(queries)


def test_workspace_queries_do_not_grow_with_the_cohort(client, home, coordinator):
    small = workspace_queries(client, make_cohort(home, 2030), 10)
    large = workspace_queries(client, make_cohort(home, 2031), 500)
    assert small == large, (small, large)


# Bulk actions act on exactly the rows shown --------------------------------------------------


def _accept_all_form(page: str) -> dict:
    """The fields of the workspace's "accept" bulk form as the page renders it."""
    from bs4 import BeautifulSoup

    button = BeautifulSoup(page, "html.parser").find("button", attrs={"value": "accept_all"})
    form = button.find_parent("form")
    fields = {"action": "accept_all"}
    for hidden in form.find_all("input", attrs={"type": "hidden"}):
        if hidden["name"] != "csrfmiddlewaretoken":
            fields.setdefault(hidden["name"], []).append(hidden["value"])
    return fields, button.get_text(" ", strip=True), form.get("action") or ""


def test_accepting_all_while_filtered_confirms_only_the_suggestions_shown(
    client, cohort, coordinator
):
    for n in range(3):
        accepted(cohort, role=Role.MENTOR, first=f"Mentor{n}", last="Mentor")
        accepted(cohort, first=f"Mentee{n}", last="Mentee")
    post(client, cohort, "run")
    assert MatchSuggestion.objects.count() == 3
    shown = MatchSuggestion.objects.select_related("mentee__applicant").get(
        mentee__applicant__first_name="Mentee1"
    )

    url = reverse(WORKSPACE, args=[cohort.pk])
    page = client.get(url, {"q": "Mentee1"}).content.decode()
    fields, label, action = _accept_all_form(page)
    assert label == "Accept the 1 suggestion shown"
    response = client.post(action or url + "?q=Mentee1", fields, follow=True)

    assert list(Pair.objects.values_list("mentee_id", flat=True)) == [shown.mentee_id]
    assert MatchSuggestion.objects.count() == 2
    assert messages_of(response) == [
        "Confirmed 1 suggested pair. Nothing is sent until you publish."
    ]
    # The coordinator stays on the rows they were working on.
    assert response.redirect_chain[-1][0].endswith("?q=Mentee1#suggestions")


def test_accepting_all_unfiltered_says_how_many_and_confirms_them_all(client, cohort, coordinator):
    for n in range(2):
        accepted(cohort, role=Role.MENTOR, first=f"Mentor{n}", last="Mentor")
        accepted(cohort, first=f"Mentee{n}", last="Mentee")
    post(client, cohort, "run")

    page = client.get(reverse(WORKSPACE, args=[cohort.pk])).content.decode()
    fields, label, _action = _accept_all_form(page)
    assert label == "Accept all 2 suggestions"
    response = post(client, cohort, **fields)

    assert Pair.objects.count() == 2 and not MatchSuggestion.objects.exists()
    assert messages_of(response) == [
        "Confirmed 2 suggested pairs. Nothing is sent until you publish."
    ]


def test_accepting_suggestions_that_are_gone_confirms_nothing_else(client, cohort, coordinator):
    for n in range(2):
        accepted(cohort, role=Role.MENTOR, first=f"Mentor{n}", last="Mentor")
        accepted(cohort, first=f"Mentee{n}", last="Mentee")
    post(client, cohort, "run")
    client.get(reverse(WORKSPACE, args=[cohort.pk]))  # the run's message is read
    first, second = MatchSuggestion.objects.order_by("pk")
    gone = first.pk
    first.delete()

    response = post(client, cohort, "accept_all", suggestion=[gone])
    assert messages_of(response) == [
        "Confirmed 0 suggested pairs. Nothing is sent until you publish. 1 skipped: "
        + services.SUGGESTION_GONE
    ]
    assert not Pair.objects.exists()
    assert MatchSuggestion.objects.get() == second

    client.get(reverse(WORKSPACE, args=[cohort.pk]))
    response = post(client, cohort, "accept_all")
    assert messages_of(response) == ["Choose the suggestions to accept."]
    assert not Pair.objects.exists()


def test_running_again_asks_before_returning_confirmed_pairs_to_the_pool(
    client, cohort, coordinator
):
    accepted(cohort, role=Role.MENTOR, first="Max", last="Mentor")
    accepted(cohort, first="Mia", last="Mentee")
    post(client, cohort, "run")
    post(client, cohort, "accept", suggestion=MatchSuggestion.objects.get().pk)
    page = client.get(reverse(WORKSPACE, args=[cohort.pk])).content.decode()
    assert "Return them to the pool: the 1 confirmed pair not locked" in page

    response = post(client, cohort, "run")
    assert messages_of(response) == [services.RUN_WOULD_RELEASE.format(count=1, pairs="pair")]
    assert Pair.objects.count() == 1

    client.get(reverse(WORKSPACE, args=[cohort.pk]))
    response = post(client, cohort, "run", release_confirmed="on")
    assert messages_of(response)[0].startswith("Suggestions run: 1 suggested pairs")
    assert not Pair.objects.exists()


def test_publishing_while_applications_are_open_warns_first(client, cohort, coordinator):
    import time_machine

    accepted(cohort, role=Role.MENTOR, first="Max", last="Mentor")
    accepted(cohort, first="Mia", last="Mentee")
    post(client, cohort, "run")
    post(client, cohort, "accept", suggestion=MatchSuggestion.objects.get().pk)
    publish = reverse("cohorts_matching:publish", args=[cohort.pk])
    deadline = cohort.application_deadline

    with time_machine.travel(datetime.datetime.combine(deadline, datetime.time(12)), tick=False):
        page = client.get(publish).content.decode()
    assert (
        f"Applications to {cohort.title} are still open until {deadline:%B} {deadline.day}, "
        f"{deadline.year}" in page
    )

    after = deadline + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(after, datetime.time(12)), tick=False):
        page = client.get(publish).content.decode()
    assert "still open" not in page

"""Matching in the database and the admin: running suggestions, accepting and rejecting them,
pairing by hand under the hard rules, locking, publishing once with its e-mails, comments,
carrying the unmatched forward, the weights screen, permissions and the workspace's query
count. The solver itself is tested without a database in the test_matching_engine_*
modules."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from cohorts.choices import ApplicationStatus, PairSource, PairStatus, ReminderKind, Role
from cohorts.matching import services
from cohorts.matching.engine import DEFAULT_WEIGHTS
from cohorts.matching.engine.scoring import (
    ALREADY_PAIRED,
    AVOIDED,
    EARLIER_PAIR,
    SAME_INSTITUTION,
    SAME_PERSON,
)
from cohorts.matching.selectors import matching_workspace
from cohorts.models import (
    Application,
    MatchingSettings,
    MatchSuggestion,
    OutboxMessage,
    Pair,
    PairingComment,
    PairingRejection,
)
from cohorts.outbox.services import outbox_deliver
from cohorts.pairs.selectors.pairs import pair_open_to, pairs_for_member
from cohorts.program.services.cohorts import cohort_copy_to_next_year
from members.models import MemberProfile
from tests.cohorts.factories import accepted, apply, make_cohort
from tests.cohorts.matching.helpers import WORKSPACE, post, refused
from tests.factories import USER_PASSWORD, member

pytestmark = pytest.mark.django_db

S = ApplicationStatus


def names(rows) -> set[tuple[str, str]]:
    return {(r.mentor.applicant.last_name, r.mentee.applicant.last_name) for r in rows}


# Suggestions --------------------------------------------------------------------------


def test_run_suggests_the_better_overall_pairing_and_explains_it(cohort, coordinator):
    from members.models import AreaOfInterest

    cataloging, preservation = (
        AreaOfInterest.objects.get_or_create(name=n)[0] for n in ("Cataloging", "Preservation")
    )
    accepted(cohort, role=Role.MENTOR, last="Cat", areas=[cataloging], years_experience=20)
    accepted(cohort, role=Role.MENTOR, last="Pres", areas=[preservation], years_experience=20)
    accepted(cohort, last="WantsCat", areas=[cataloging], years_experience=1)
    accepted(cohort, last="WantsPres", areas=[preservation], years_experience=1)

    result = services.suggestions_run(cohort=cohort, user=coordinator)

    workspace = matching_workspace(cohort=cohort)
    assert names(workspace.suggestions) == {("Cat", "WantsCat"), ("Pres", "WantsPres")}
    assert len(result.suggestions) == 2
    reasons = workspace.suggestions[0].review.strengths
    assert "1 shared area" in reasons
    assert "mentor has 19 more years' experience" in reasons
    assert workspace.settings.last_run_by == coordinator


def test_accept_confirms_a_draft_pair_that_members_cannot_see(cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, last="Mentor")
    mentee = accepted(cohort, last="Mentee")
    services.suggestions_run(cohort=cohort, user=coordinator)
    suggestion = MatchSuggestion.objects.get()

    pair = services.suggestion_accept(cohort=cohort, suggestion_id=suggestion.pk, user=coordinator)

    assert (pair.mentor, pair.mentee, pair.status) == (mentor, mentee, PairStatus.CONFIRMED)
    assert pair.confirmed_by == coordinator and pair.confirmed_at is not None
    assert pair.source == PairSource.SUGGESTED
    assert not MatchSuggestion.objects.exists()
    assert not pairs_for_member(user=mentor.applicant).exists()
    assert not pairs_for_member(user=mentee.applicant).exists()
    assert mail.outbox == []


def test_a_rejected_suggestion_is_never_suggested_again(cohort, coordinator):
    accepted(cohort, role=Role.MENTOR, last="Mentor")
    accepted(cohort, last="Mentee")
    services.suggestions_run(cohort=cohort, user=coordinator)
    suggestion = MatchSuggestion.objects.get()

    services.suggestion_reject(cohort=cohort, suggestion_id=suggestion.pk, user=coordinator)
    services.suggestions_run(cohort=cohort, user=coordinator)

    assert PairingRejection.objects.get().rejected_by == coordinator
    assert not MatchSuggestion.objects.exists()
    workspace = matching_workspace(cohort=cohort)
    assert [u.reason for u in workspace.unmatched_mentees] == [
        "No compatible mentor: rejected by a coordinator (1)"
    ]


def test_rerun_keeps_locked_and_returns_unlocked_pairs_to_the_pool(cohort, coordinator):
    for n in range(2):
        accepted(cohort, role=Role.MENTOR, last=f"Mentor{n}")
        accepted(cohort, last=f"Mentee{n}")
    services.suggestions_run(cohort=cohort, user=coordinator)
    first, second = MatchSuggestion.objects.all()
    kept = services.suggestion_accept(cohort=cohort, suggestion_id=first.pk, user=coordinator)
    loose = services.suggestion_accept(cohort=cohort, suggestion_id=second.pk, user=coordinator)
    services.pair_lock(cohort=cohort, pair_id=kept.pk, locked=True)

    services.suggestions_run(cohort=cohort, user=coordinator, release_confirmed=True)

    assert list(Pair.objects.values_list("pk", flat=True)) == [kept.pk]
    suggestion = MatchSuggestion.objects.get()
    assert (suggestion.mentor_id, suggestion.mentee_id) == (loose.mentor_id, loose.mentee_id)


def test_a_rerun_that_would_drop_confirmed_pairs_says_how_many_and_changes_nothing(
    cohort, coordinator
):
    for n in range(3):
        accepted(cohort, role=Role.MENTOR, last=f"Mentor{n}")
        accepted(cohort, last=f"Mentee{n}")
    services.suggestions_run(cohort=cohort, user=coordinator)
    first, second, third = MatchSuggestion.objects.all()
    for suggestion in (first, second):
        services.suggestion_accept(cohort=cohort, suggestion_id=suggestion.pk, user=coordinator)
    pairs = set(Pair.objects.values_list("pk", flat=True))

    refused(
        lambda: services.suggestions_run(cohort=cohort, user=coordinator),
        services.RUN_WOULD_RELEASE.format(count=2, pairs="pairs"),
    )
    assert set(Pair.objects.values_list("pk", flat=True)) == pairs
    assert list(MatchSuggestion.objects.all()) == [third]


def test_a_pair_made_by_hand_is_locked_and_survives_a_rerun(cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, last="Mentor")
    mentee = accepted(cohort, last="Mentee")
    accepted(cohort, role=Role.MENTOR, last="Other")
    accepted(cohort, last="Another")
    pair = services.pair_by_hand(
        cohort=cohort, mentor_id=mentor.pk, mentee_id=mentee.pk, user=coordinator
    )
    assert pair.locked

    services.suggestions_run(cohort=cohort, user=coordinator)

    assert list(Pair.objects.all()) == [pair]
    assert MatchSuggestion.objects.count() == 1


def test_accept_all_confirms_every_suggestion(cohort, coordinator):
    for n in range(3):
        accepted(cohort, role=Role.MENTOR, last=f"Mentor{n}")
        accepted(cohort, last=f"Mentee{n}")
    services.suggestions_run(cohort=cohort, user=coordinator)

    count, skipped = services.suggestions_accept_all(cohort=cohort, user=coordinator)

    assert (count, skipped) == (3, [])
    assert Pair.objects.filter(status=PairStatus.CONFIRMED).count() == 3


def test_weights_and_must_haves_change_the_suggestions(cohort, coordinator):
    annual = accepted(cohort, role=Role.MENTOR, last="Annual", attends_annual=True)
    accepted(cohort, role=Role.MENTOR, last="Email", contact_methods=["email"])
    accepted(cohort, last="Mentee", attends_annual=True, contact_methods=["email"])
    weights = {**DEFAULT_WEIGHTS, "conference": 50, "contact_methods": 0}
    services.matching_settings_update(
        cohort=cohort,
        weights=weights,
        must_have=[],
        allow_same_institution=False,
        allow_repeat_pairs=False,
    )
    services.suggestions_run(cohort=cohort, user=coordinator)
    assert MatchSuggestion.objects.get().mentor == annual

    weights = {**DEFAULT_WEIGHTS, "conference": 0, "contact_methods": 50}
    services.matching_settings_update(
        cohort=cohort,
        weights=weights,
        must_have=["shared_areas"],
        allow_same_institution=False,
        allow_repeat_pairs=False,
    )
    services.suggestions_run(cohort=cohort, user=coordinator)
    assert not MatchSuggestion.objects.exists()
    reason = matching_workspace(cohort=cohort).unmatched_mentees[0].reason
    assert reason.startswith("No compatible mentor: must-have")


def test_settings_refuse_unknown_criteria_and_weights_out_of_range(cohort):
    before = MatchingSettings.objects.count()
    for weights, must_have, message in [
        ({"charm": 5}, [], services.UNKNOWN_CRITERION),
        ({}, ["charm"], services.UNKNOWN_CRITERION),
        ({"shared_areas": 101}, [], services.WEIGHT_OUT_OF_RANGE),
        ({"shared_areas": -1}, [], services.WEIGHT_OUT_OF_RANGE),
    ]:
        refused(
            lambda w=weights, m=must_have: services.matching_settings_update(
                cohort=cohort,
                weights=w,
                must_have=m,
                allow_same_institution=False,
                allow_repeat_pairs=False,
            ),
            message,
        )
    assert MatchingSettings.objects.count() == before


# Pairing by hand: the hard rules ------------------------------------------------------------


def by_hand(cohort, coordinator, mentor, mentee):
    return lambda: services.pair_by_hand(
        cohort=cohort, mentor_id=mentor.pk, mentee_id=mentee.pk, user=coordinator
    )


def test_pair_by_hand_records_who_and_how(cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, last="Mentor")
    mentee = accepted(cohort, last="Mentee")
    pair = by_hand(cohort, coordinator, mentor, mentee)()
    assert pair.source == PairSource.MANUAL and pair.confirmed_by == coordinator


def test_nobody_mentors_themselves(cohort, coordinator):
    both = accepted(cohort, role=Role.BOTH, first="Bo", last="Both")
    refused(by_hand(cohort, coordinator, both, both), SAME_PERSON.format(mentor="Bo Both"))
    assert not Pair.objects.exists()


def test_never_the_same_two_people_twice(cohort, coordinator):
    a = accepted(cohort, role=Role.BOTH, first="Ann", last="A")
    b = accepted(cohort, role=Role.BOTH, first="Bea", last="B")
    by_hand(cohort, coordinator, a, b)()
    refused(
        by_hand(cohort, coordinator, b, a), ALREADY_PAIRED.format(mentor="Bea B", mentee="Ann A")
    )
    assert Pair.objects.count() == 1


def test_nobody_is_paired_with_someone_they_asked_to_avoid(cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="Mentor")
    mentee = accepted(
        cohort,
        first="Mia",
        last="Mentee",
        avoid_pairing_with=f"someone else\n  {mentor.applicant.email.upper()} ",
    )
    refused(
        by_hand(cohort, coordinator, mentor, mentee),
        AVOIDED.format(mentor="Max Mentor", mentee="Mia Mentee"),
    )
    other = accepted(cohort, first="Ola", last="Other", avoid_pairing_with="max   MENTOR")
    refused(
        by_hand(cohort, coordinator, mentor, other),
        AVOIDED.format(mentor="Max Mentor", mentee="Ola Other"),
    )
    assert not Pair.objects.exists()


def test_same_institution_only_where_the_cohort_allows_it(cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="M", institution="Big U")
    mentee = accepted(cohort, first="Mia", last="N", institution=" big  u ")
    refused(
        by_hand(cohort, coordinator, mentor, mentee),
        SAME_INSTITUTION.format(mentor="Max M", mentee="Mia N"),
    )
    services.matching_settings_update(
        cohort=cohort,
        weights={},
        must_have=[],
        allow_same_institution=True,
        allow_repeat_pairs=False,
    )
    assert by_hand(cohort, coordinator, mentor, mentee)().pk


def test_no_repeat_of_an_earlier_cohorts_pair_unless_allowed(home, cohort, coordinator):
    later = make_cohort(home, 2027)
    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="M")
    mentee = accepted(cohort, first="Mia", last="N")
    by_hand(cohort, coordinator, mentor, mentee)()
    services.pairs_publish(cohort=cohort, user=coordinator)
    again_mentor = Application.objects.create(
        cohort=later, applicant=mentor.applicant, role=Role.MENTOR, status=S.ACCEPTED
    )
    again_mentee = Application.objects.create(
        cohort=later, applicant=mentee.applicant, role=Role.MENTEE, status=S.ACCEPTED
    )
    refused(
        by_hand(later, coordinator, again_mentor, again_mentee),
        EARLIER_PAIR.format(mentor="Max M", mentee="Mia N"),
    )
    services.suggestions_run(cohort=later, user=coordinator)
    assert not MatchSuggestion.objects.filter(cohort=later).exists()

    services.matching_settings_update(
        cohort=later,
        weights={},
        must_have=[],
        allow_same_institution=False,
        allow_repeat_pairs=True,
    )
    services.suggestions_run(cohort=later, user=coordinator)
    assert MatchSuggestion.objects.filter(cohort=later).count() == 1


def test_capacity_and_one_mentor_per_mentee(cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="M", mentee_capacity=1)
    other_mentor = accepted(cohort, role=Role.MENTOR, first="Oz", last="O")
    first = accepted(cohort, first="Mia", last="N")
    second = accepted(cohort, first="Noa", last="P")
    by_hand(cohort, coordinator, mentor, first)()
    refused(
        by_hand(cohort, coordinator, mentor, second),
        services.MENTOR_FULL.format(name="Max M", count=1),
    )
    refused(
        by_hand(cohort, coordinator, other_mentor, first),
        services.MENTEE_TAKEN.format(name="Mia N"),
    )
    assert Pair.objects.count() == 1


def test_only_accepted_applications_in_their_roles(cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="M")
    mentee = accepted(cohort, first="Mia", last="N")
    waiting = apply(cohort, first="Wes", last="W", status=S.SUBMITTED)
    refused(
        by_hand(cohort, coordinator, mentor, waiting), services.NOT_ACCEPTED.format(name="Wes W")
    )
    refused(
        by_hand(cohort, coordinator, mentee, mentor), services.NOT_A_MENTOR.format(name="Mia N")
    )
    other = accepted(cohort, role=Role.MENTOR, first="Oz", last="O")
    refused(by_hand(cohort, coordinator, mentor, other), services.NOT_A_MENTEE.format(name="Oz O"))
    assert not Pair.objects.exists()


# Publishing ---------------------------------------------------------------------------------


def test_publish_emails_each_member_their_partner_once(
    cohort, coordinator, smtp_inbox, django_capture_on_commit_callbacks
):
    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="Mentor")
    mentee = accepted(cohort, first="Mia", last="Mentee", goals="Learn <b>RDA</b>.")
    MemberProfile.objects.filter(user=mentor.applicant).update(
        institution="Big U", bio="Cataloger since 2001."
    )
    pair = by_hand(cohort, coordinator, mentor, mentee)()
    assert smtp_inbox.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        assert services.pairs_publish(cohort=cohort, user=coordinator) == 1

    pair.refresh_from_db()
    assert pair.status == PairStatus.PUBLISHED and pair.published_by == coordinator
    assert pair.published_at is not None and pair.locked
    by_recipient = {m["To"]: m for m in smtp_inbox.messages}
    assert set(by_recipient) == {mentor.applicant.email, mentee.applicant.email}
    to_mentee = by_recipient[mentee.applicant.email].get_body(("plain",)).get_content()
    assert "Max Mentor" in to_mentee and mentor.applicant.email in to_mentee
    assert "Big U" in to_mentee and "Cataloger since 2001." in to_mentee
    assert "http://testserver/accounts/profile/" in to_mentee
    to_mentor = by_recipient[mentor.applicant.email].get_body(("plain",)).get_content()
    assert "Mia Mentee" in to_mentor and "Learn <b>RDA</b>." in to_mentor

    refused(
        lambda: services.pairs_publish(cohort=cohort, user=coordinator),
        services.NOTHING_TO_PUBLISH,
    )
    # Delivering the same outbox rows again (a replayed task) sends nothing more.
    rows = OutboxMessage.objects.filter(kind=ReminderKind.MATCHED)
    assert sorted(rows.values_list("status", flat=True)) == ["sent", "sent"]
    assert outbox_deliver(ids=list(rows.values_list("pk", flat=True))) == 0
    assert len(smtp_inbox.messages) == 2
    assert list(pairs_for_member(user=mentee.applicant)) == [pair]


def test_the_account_page_shows_a_published_pair(client, cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="Mentor")
    mentee = accepted(cohort, first="Mia", last="Mentee", goals="<script>x</script>")
    by_hand(cohort, coordinator, mentor, mentee)()
    client.force_login(mentor.applicant)
    assert "Mia Mentee" not in client.get(reverse("member_profile")).content.decode()

    services.pairs_publish(cohort=cohort, user=coordinator)

    page = client.get(reverse("member_profile")).content.decode()
    assert "Your mentoring" in page and "Mia Mentee" in page and mentee.applicant.email in page
    assert escape("<script>x</script>") in page and "<script>x</script>" not in page


# Comments and carrying forward ---------------------------------------------------------------


def test_coordinators_comment_on_a_pairing(client, cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, last="Mentor")
    mentee = accepted(cohort, last="Mentee")
    services.suggestions_run(cohort=cohort, user=coordinator)

    response = post(
        client, cohort, "comment", mentor=mentor.pk, mentee=mentee.pk, body="<i>ok</i>"
    )
    assert response.status_code == 302

    comment = PairingComment.objects.get()
    assert (comment.author, comment.body) == (coordinator, "<i>ok</i>")
    page = client.get(reverse(WORKSPACE, args=[cohort.pk])).content.decode()
    assert escape("<i>ok</i>") in page and "Cora Ordinator" in page

    post(client, cohort, "comment", mentor=mentor.pk, mentee=mentee.pk, body="   ")
    post(client, cohort, "comment", mentor=mentor.pk, mentee=mentee.pk, body="x" * 1001)
    assert PairingComment.objects.count() == 1


def test_waitlist_an_unmatched_applicant_into_the_next_cohort(
    home, cohort, coordinator, django_capture_on_commit_callbacks
):
    later = make_cohort(home, 2027)
    lonely = accepted(cohort, first="Lee", last="Lonely", goals="Grow.")
    services.suggestions_run(cohort=cohort, user=coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        carried = services.application_carry_forward(
            cohort=cohort, application_id=lonely.pk, user=coordinator
        )

    lonely.refresh_from_db()
    assert lonely.status == S.WAITLISTED
    assert (carried.cohort, carried.status, carried.priority) == (later, S.SUBMITTED, True)
    assert (carried.carried_from, carried.goals) == (lonely, "Grow.")
    assert "carried forward to 2027 cohort with priority" in mail.outbox[-1].body


def test_carry_forward_needs_a_next_cohort_and_an_unmatched_person(cohort, coordinator):
    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="M")
    mentee = accepted(cohort, first="Mia", last="N")
    refused(
        lambda: services.application_carry_forward(
            cohort=cohort, application_id=mentee.pk, user=coordinator
        ),
        services.NO_NEXT_COHORT.format(name="Mia N"),
    )
    make_cohort(cohort.get_parent(), 2027)
    by_hand(cohort, coordinator, mentor, mentee)()
    refused(
        lambda: services.application_carry_forward(
            cohort=cohort, application_id=mentee.pk, user=coordinator
        ),
        services.NOT_UNMATCHED.format(name="Mia N"),
    )
    assert Application.objects.filter(applicant=mentee.applicant).count() == 1


def test_copying_a_cohort_keeps_its_matching_settings(cohort, site):
    admin = member("admin@example.org")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    services.matching_settings_update(
        cohort=cohort,
        weights={"conference": 77},
        must_have=["time_zone"],
        allow_same_institution=True,
        allow_repeat_pairs=False,
    )
    copy = cohort_copy_to_next_year(cohort=cohort, user=admin)
    settings = MatchingSettings.objects.get(cohort=copy)
    assert settings.weights["conference"] == 77 and settings.must_have == ["time_zone"]
    assert settings.allow_same_institution


def test_demo_content_holds_a_published_pair(demo_site):
    pair = Pair.objects.get()
    assert pair.status == PairStatus.PUBLISHED
    assert pair.mentor.applicant.email == "mentor@example.org"
    assert pair.mentee.applicant.email == "mentee@example.org"
    assert pair.published_by.email == "chair@example.org"


def test_an_erased_partner_leaves_the_pair_to_the_other(client, cohort, coordinator):
    from members.services.accounts import member_account_delete, member_data_export

    mentor = accepted(cohort, role=Role.MENTOR, first="Max", last="Mentor")
    mentee = accepted(cohort, first="Mia", last="Mentee", goals="Private goals.")
    pair = by_hand(cohort, coordinator, mentor, mentee)()
    services.pairs_publish(cohort=cohort, user=coordinator)
    PairingComment.objects.create(
        cohort=cohort, mentor=mentor, mentee=mentee, author=coordinator, body="Mia is shy."
    )
    exported = member_data_export(user=mentee.applicant)["Your pairs"]
    assert exported[0]["Partner"] == "Max Mentor" and exported[0]["Your role"] == "Mentee"

    member_account_delete(user=mentee.applicant, password=USER_PASSWORD)

    # The pair ended when the mentee left; Max keeps reading it, and Mia's words are gone.
    assert list(pairs_for_member(user=mentor.applicant)) == [pair]
    pair.refresh_from_db()
    assert not pair_open_to(pair=pair, user=mentor.applicant)
    mentee.refresh_from_db()
    assert mentee.goals == "" and mentee.applicant.display_name == "Former participant"
    assert not PairingComment.objects.exists()

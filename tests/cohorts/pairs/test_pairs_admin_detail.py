"""The pair's record on the coordinators' screens: what it shows and escapes, the liaison, that
no contact summary or confidential note ever reaches a coordinator, who may see and act, the
view log only superusers read, and a query count that does not grow with the record."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cohorts.choices import PairStatus
from cohorts.models import ChangeRequest, Pair, PairViewLog, SupportRequest
from cohorts.pairs.services.notes import note_add
from cohorts.pairs.viewsets import LIAISON_REMOVED, UNKNOWN_LIAISON
from members.roles import CHAIR, COORDINATORS, EDITORS
from tests.cohorts.factories import contact, make_pair
from tests.cohorts.pairs.helpers import INDEX, INSPECT, VIEW_LOG, C, export, post
from tests.factories import member
from tests.helpers import PERMISSION_DENIED, messages_of

pytestmark = pytest.mark.django_db


SUMMARY_CANARY = "SUMMARY-CANARY"
NOTE_CANARY = "NOTE-CANARY"


# The confidential parts never reach a coordinator -------------------------------------------


def test_contact_summaries_and_notes_never_appear_in_any_admin_response(
    client, coordinator, pair, superuser
):
    contact(pair, minutes=45, day=datetime.date(2026, 6, 5), summary=SUMMARY_CANARY)
    note_add(pair=pair, user=pair.mentee.applicant, text=NOTE_CANARY)
    note_add(pair=pair, user=pair.mentor.applicant, text=NOTE_CANARY, shared=True)
    bodies = [
        client.get(reverse(INDEX)).content,
        client.get(reverse("cohorts_pair:index_results")).content,
        client.get(reverse(INSPECT, args=[pair.pk])).content,
        export(client, "csv"),
        export(client, "xlsx"),
    ]
    client.force_login(superuser)
    bodies += [
        client.get(reverse(INSPECT, args=[pair.pk])).content,
        client.get(reverse(VIEW_LOG)).content,
    ]

    for body in bodies:
        assert SUMMARY_CANARY.encode() not in body
        assert NOTE_CANARY.encode() not in body
    # The contact itself is listed, without its summary.
    assert b"45" in bodies[2] and b"Recorded by" in bodies[2]


# The pair's record -----------------------------------------------------------------------


def test_detail_shows_the_record_and_is_written_to_the_view_log(client, coordinator, pair, chair):
    Pair.objects.filter(pk=pair.pk).update(liaison=chair, published_by=coordinator)
    contact(pair, minutes=90, day=datetime.date(2026, 6, 5), method="virtual", conference="annual")
    SupportRequest.objects.create(pair=pair, author=pair.mentee.applicant, message="We are stuck.")
    ChangeRequest.objects.create(
        pair=pair,
        requested_by=pair.mentee.applicant,
        reason="Our schedules never match.",
        status=C.AWAITING_APPROVAL,
        consented_at=timezone.now(),
    )

    response = client.get(reverse(INSPECT, args=[pair.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Mina Mentor",
        "Tee Mentee",
        pair.mentor.applicant.email,
        "Mentor Library",
        "Mentee College",
        "Published",
        "Cora Ordinator",
        "Chai Rperson",
        "1.5 h",
        "Virtual (video call)",
        "At Annual",
        "We are stuck.",
        "Send the answer",
        "Our schedules never match.",
        "Approve: end the pair",
        "Decline: the pair continues",
    ):
        assert text in body, text
    [log] = PairViewLog.objects.all()
    assert (log.pair, log.viewer, log.what) == (pair, coordinator, "pair detail")

    client.get(reverse(INSPECT, args=[pair.pk]))
    assert PairViewLog.objects.count() == 2


def test_confirmed_drafts_have_no_record_here(client, coordinator, cohort):
    draft = make_pair(cohort, record_only=True, status=PairStatus.CONFIRMED, published_at=None)

    assert client.get(reverse(INSPECT, args=[draft.pk])).status_code == 404
    assert client.get(f"/admin/mentoring/pairs/inspect/{draft.pk + 1000}/").status_code == 404
    assert not PairViewLog.objects.exists()


def test_detail_escapes_hostile_text(client, coordinator, pair, hostile_inputs):
    texts = [text.replace("\x00", "") for text in hostile_inputs]
    SupportRequest.objects.create(pair=pair, author=pair.mentee.applicant, message=texts[0])
    ChangeRequest.objects.create(pair=pair, requested_by=pair.mentor.applicant, reason=texts[2])
    contact(pair, minutes=30, day=datetime.date(2026, 6, 5), summary=texts[1])

    body = client.get(reverse(INSPECT, args=[pair.pk])).content.decode()

    assert texts[0] == "<script>alert(1)</script>"
    assert texts[0] not in body and escape(texts[0]) in body
    assert texts[2] not in body and escape(texts[2]) in body
    assert "x.invalid" not in body


# Liaison --------------------------------------------------------------------------------


def test_coordinator_sets_and_removes_the_liaison(client, coordinator, pair, chair):
    response = post(client, pair, "liaison", liaison=chair.pk)

    assert response.status_code == 302
    assert response["Location"] == reverse(INSPECT, args=[pair.pk])
    pair.refresh_from_db()
    assert pair.liaison == chair
    assert messages_of(response) == ["Chai Rperson is now the liaison of this pair."]

    response = post(client, pair, "liaison", liaison="")
    pair.refresh_from_db()
    assert pair.liaison is None
    assert messages_of(response)[-1] == LIAISON_REMOVED


def test_liaison_choices_are_active_coordinators_and_the_chair(client, coordinator, pair, chair):
    editor = member("editor@example.org", groups=[EDITORS])
    retired = member("retired@example.org", groups=[COORDINATORS])
    retired.is_active = False
    retired.save()

    body = client.get(reverse(INSPECT, args=[pair.pk])).content.decode()

    assert f'value="{chair.pk}"' in body and f'value="{coordinator.pk}"' in body
    assert editor.email not in body and retired.email not in body
    for value in (editor.pk, retired.pk, "999999", "abc", "99999999999999999999"):
        response = post(client, pair, "liaison", liaison=value)
        assert response.status_code == 302
        assert messages_of(response)[-1] == UNKNOWN_LIAISON, value
    pair.refresh_from_db()
    assert pair.liaison is None


# Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [COORDINATORS, CHAIR])
def test_coordinators_and_the_chair_see_and_act(client, site, pair, role):
    client.force_login(member(groups=[role]))

    assert client.get(reverse(INDEX)).status_code == 200
    detail = client.get(reverse(INSPECT, args=[pair.pk]))
    assert detail.status_code == 200 and "Set the liaison" in detail.content.decode()


def test_editors_are_refused(client, site, pair):
    editor = member(groups=[EDITORS])
    client.force_login(editor)
    request = SupportRequest.objects.create(pair=pair, author=pair.mentee.applicant, message="?")

    for url in (
        reverse(INDEX),
        reverse(INDEX) + "?export=csv",
        reverse(INSPECT, args=[pair.pk]),
        reverse(VIEW_LOG),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert PERMISSION_DENIED in messages_of(response)
    response = post(client, pair, "answer", request=request.pk, answer="Hi")
    assert response.status_code == 302
    response = post(client, pair, "liaison", liaison=editor.pk)
    assert response.status_code == 302
    request.refresh_from_db()
    pair.refresh_from_db()
    assert request.answered_at is None and pair.liaison is None
    assert not PairViewLog.objects.exists()


def test_members_without_a_role_are_sent_to_the_login(client, site, pair):
    client.force_login(pair.mentee.applicant)

    for url in (reverse(INDEX), reverse(INSPECT, args=[pair.pk]), reverse(VIEW_LOG)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_view_only_users_read_but_cannot_act(client, site, pair, chair):
    group = Group.objects.create(name="Readers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_pair"),
    )
    client.force_login(member(groups=["Readers"]))

    detail = client.get(reverse(INSPECT, args=[pair.pk]))
    response = post(client, pair, "liaison", liaison=chair.pk)

    assert detail.status_code == 200 and "Set the liaison" not in detail.content.decode()
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.liaison is None


# The view log --------------------------------------------------------------------------


def test_superusers_read_the_view_log_newest_first(client, coordinator, pair, superuser, cohort):
    other = make_pair(cohort, mentor=("Oth", "Er"), mentee=("Ano", "Ther"), record_only=True)
    client.get(reverse(INSPECT, args=[pair.pk]))
    client.get(reverse(INSPECT, args=[other.pk]))
    client.force_login(superuser)

    response = client.get(reverse(VIEW_LOG))

    assert response.status_code == 200
    logs = list(response.context["object_list"])
    assert [log.pair for log in logs] == [other, pair]
    body = response.content.decode()
    assert "Cora Ordinator" in body and "pair detail" in body
    assert "Oth Er and Ano Ther (2026 cohort)" in body
    assert reverse(INSPECT, args=[pair.pk]) in body


def test_coordinators_cannot_see_the_view_log(client, coordinator, pair):
    client.get(reverse(INSPECT, args=[pair.pk]))

    response = client.get(reverse(VIEW_LOG))

    assert response.status_code == 302
    assert PERMISSION_DENIED in messages_of(response)
    assert "Pair record views" not in client.get("/admin/").content.decode()
    assert "Pairs" in client.get("/admin/").content.decode()


def test_a_group_permission_does_not_open_the_view_log(client, site):
    group = Group.objects.create(name="Auditors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.permissions.add(*Permission.objects.filter(codename__endswith="_pairviewlog"))
    client.force_login(member(groups=["Auditors"]))

    assert client.get(reverse(VIEW_LOG)).status_code == 302


def test_the_view_log_is_in_the_superusers_menu(client, superuser):
    client.force_login(superuser)

    assert "Pair record views" in client.get("/admin/").content.decode()


# Query counts --------------------------------------------------------------------------


def test_detail_query_count_does_not_grow_with_the_record(
    client, coordinator, pair, django_assert_num_queries
):
    def grow(count: int) -> None:
        for n in range(count):
            contact(pair, minutes=10, day=datetime.date(2026, 6, 1 + n % 28))
            SupportRequest.objects.create(pair=pair, author=pair.mentee.applicant, message="?")
            ChangeRequest.objects.create(
                pair=pair, requested_by=pair.mentor.applicant, reason="?", status=C.WITHDRAWN
            )

    grow(2)
    client.get(reverse(INSPECT, args=[pair.pk]))  # warm the caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(INSPECT, args=[pair.pk])).status_code == 200

    grow(20)

    with django_assert_num_queries(len(small)):
        assert client.get(reverse(INSPECT, args=[pair.pk])).status_code == 200

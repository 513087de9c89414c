"""Coordinators accept, waitlist or decline many applications at once from the listing:
a confirmation page that says how many and which, rows that cannot move reported one by one,
all or nothing, each applicant's e-mail through the outbox, and only for those who may
change applications."""

from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse

from cohorts.choices import ApplicationStatus, OutboxStatus, ReminderKind
from cohorts.models import Application
from cohorts.outbox.models import OutboxMessage
from cohorts.program.services.review import (
    STATUS_UNCHANGED,
    TRANSITION_NOT_ALLOWED,
    StatusChangeRefused,
    applications_status_change,
)
from core.bulk_actions import SELECTION_CHANGED
from tests.cohorts.factories import bulk_apply
from tests.cohorts.program.review.helpers import INDEX, view_only_reader
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

S = ApplicationStatus


def bulk_url(action: str, ids, **params) -> str:
    query = [("id", pk) for pk in ids] + list(params.items())
    query.append(("next", reverse(INDEX)))
    url = reverse("wagtail_bulk_action", args=["cohorts", "application", action])
    return f"{url}?{urlencode(query)}"


def confirmed(response) -> str:
    """The ids the confirmation page says will change, as its form posts them back."""
    return response.context["form"]["confirmed"].value()


def test_the_listing_offers_the_bulk_actions_to_coordinators(client, coordinator, applications):
    body = client.get(reverse(INDEX)).content.decode()

    assert body.count('class="bulk-action-checkbox"') == 5
    assert f'id="application_{applications["mentor"].pk}_title"' in body
    for action in ("accept", "waitlist", "decline"):
        assert reverse("wagtail_bulk_action", args=["cohorts", "application", action]) in body


def test_bulk_accept_says_how_many_and_which_then_accepts_and_emails_each(
    client, coordinator, applications, django_capture_on_commit_callbacks
):
    chosen = [applications["mentor"], applications["both"], applications["mentee"]]
    url = bulk_url("accept", [a.pk for a in chosen])

    page = client.get(url)

    text = page.content.decode()
    assert page.status_code == 200
    assert "These applications will be accepted (2)" in text
    assert "Mina Mentor (2026 cohort, submitted)" in text and "Bo Both" in text
    assert "Left as they are (1)" in text
    assert (
        "Tee Mentee (2026 cohort, accepted): " + STATUS_UNCHANGED.format(status="accepted") in text
    )
    assert "Accept 2 and e-mail each applicant" in text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirmed": confirmed(page), "note": "See you in May."})

    assert response.status_code == 302 and response.url == reverse(INDEX)
    statuses = dict(
        Application.objects.filter(pk__in=[a.pk for a in chosen]).values_list("pk", "status")
    )
    assert set(statuses.values()) == {S.ACCEPTED}
    rows = OutboxMessage.objects.filter(kind=ReminderKind.APPLICATION_ACCEPTED)
    assert sorted(rows.values_list("object_id", flat=True)) == sorted(
        [applications["mentor"].pk, applications["both"].pk]
    )
    assert set(rows.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [applications["mentor"].applicant.email, applications["both"].applicant.email]
    )
    assert all("See you in May." in m.body and "is accepted" in m.body for m in mail.outbox)
    followed = client.get(response.url)
    assert "2 applications are now accepted. Each applicant is told by e-mail." in messages_of(
        followed
    )


def test_a_row_that_changed_since_the_confirmation_changes_nothing(
    client, coordinator, applications, django_capture_on_commit_callbacks
):
    chosen = [applications["mentor"], applications["both"]]
    url = bulk_url("decline", [a.pk for a in chosen])
    page = client.get(url)
    # Another coordinator declines one of them meanwhile.
    Application.objects.filter(pk=applications["both"].pk).update(status=S.DECLINED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"confirmed": confirmed(page)})

    assert response.status_code == 200
    assert SELECTION_CHANGED.format(what="decline") in response.content.decode()
    assert "These applications will be declined (1)" in response.content.decode()
    applications["mentor"].refresh_from_db()
    assert applications["mentor"].status == S.SUBMITTED
    assert callbacks == [] and mail.outbox == [] and not OutboxMessage.objects.exists()


def test_the_service_changes_all_or_nothing_and_names_each_refusal(coordinator, applications):
    mentor, waitlisted, draft = (applications[k] for k in ("mentor", "waitlisted", "draft"))
    Application.objects.filter(pk=mentor.pk).update(status=S.WITHDRAWN)

    with pytest.raises(StatusChangeRefused) as refused:
        applications_status_change(
            application_ids=[mentor.pk, waitlisted.pk, draft.pk],
            coordinator=coordinator,
            status=S.ACCEPTED,
        )

    assert refused.value.refusals == {
        mentor.pk: TRANSITION_NOT_ALLOWED.format(current="withdrawn", new="accepted"),
        draft.pk: "This application is still a draft; the applicant has not submitted it.",
    }
    waitlisted.refresh_from_db()
    assert waitlisted.status == S.WAITLISTED and not OutboxMessage.objects.exists()


def test_select_all_acts_only_on_the_rows_the_filters_show(
    client, coordinator, applications, cohort, django_capture_on_commit_callbacks
):
    # The 2026 cohort, mentors (and those applying as both), any status.
    url = bulk_url("waitlist", ["all"], cohort=cohort.pk, role="mentor")
    page = client.get(url)
    assert "These applications will be waitlisted (2)" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirmed": confirmed(page)})

    waitlisted = set(Application.objects.filter(status=S.WAITLISTED).values_list("pk", flat=True))
    assert waitlisted == {
        applications["mentor"].pk,
        applications["both"].pk,
        applications["waitlisted"].pk,
    }
    assert (
        applications["older"].status == Application.objects.get(pk=applications["older"].pk).status
    )


def test_view_only_users_get_no_checkboxes_and_cannot_act(client, site, applications):
    client.force_login(view_only_reader())
    pk = applications["mentor"].pk

    body = client.get(reverse(INDEX)).content.decode()
    page = client.get(bulk_url("accept", [pk]))
    posted = client.post(bulk_url("accept", [pk]), {"confirmed": str(pk)})

    assert "bulk-action-checkbox" not in body
    assert page.status_code == 302 and posted.status_code == 302
    assert Application.objects.get(pk=pk).status == S.SUBMITTED


def test_a_bulk_change_costs_the_same_queries_for_10_or_100_applications(
    client, coordinator, cohort, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def change(ids, status):
        url = bulk_url(status, ids)
        page = client.get(url)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            with django_assert_max_num_queries(30) as queries:
                response = client.post(url, {"confirmed": confirmed(page)})
        assert response.status_code == 302
        # The outbox's insert is split into batches on SQLite (its cap on parameters).
        return [
            q["sql"] for q in queries.captured_queries if OUTBOX_INSERT not in q["sql"]
        ], callbacks

    bulk_apply(cohort, 110)
    ids = list(Application.objects.order_by("pk").values_list("pk", flat=True))

    few, _ = change(ids[:10], "accept")
    many, callbacks = change(ids[10:110], "decline")

    assert len(many) == len(few)
    assert Application.objects.filter(status=S.DECLINED).count() == 100
    assert OutboxMessage.objects.filter(kind=ReminderKind.APPLICATION_DECLINED).count() == 100
    assert len(callbacks) == 1


OUTBOX_INSERT = 'INTO "cohorts_outboxmessage"'

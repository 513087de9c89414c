"""An administrator deletes an account in the admin's Users screens, one at a time or ticked
in the listing: the person is erased exactly as when they delete their own account (pairs
end, the partner and the subcommittee are told, every word of theirs goes), the page says
so before anything happens, and the log says who did it."""

from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cohorts.choices import PairStatus
from cohorts.choices import ReminderKind as Kind
from cohorts.models import ConfidentialNote, OutboxMessage
from members.models import User
from members.roles import COORDINATORS
from members.services.accounts import member_account_delete
from tests.cohorts.factories import make_pair
from tests.factories import USER_PASSWORD, member
from tests.helpers import PERMISSION_DENIED, aware, client_for, messages_of, places_holding
from tests.members.helpers import LEAVER_WORDS, models_without_an_erasure_rule, text

pytestmark = pytest.mark.django_db

USERS = "wagtailusers_users:index"


def delete_url(user) -> str:
    return reverse("wagtailusers_users:delete", args=[user.pk])


def bulk_delete_url(*users) -> str:
    query = [("id", user.pk) for user in users] + [("next", reverse(USERS))]
    url = reverse("wagtail_bulk_action", args=["members", "user", "delete"])
    return f"{url}?{urlencode(query)}"


def delete_own(leaver, administrator):
    member_account_delete(user=leaver, password=USER_PASSWORD)


def delete_in_admin(leaver, administrator):
    response = client_for(administrator).post(delete_url(leaver))
    assert response.status_code == 302, text(response)[:2000]


def delete_ticked_in_admin(leaver, administrator):
    response = client_for(administrator).post(bulk_delete_url(leaver))
    assert response.status_code == 302, text(response)[:2000]


def outcome(pair, leaver, mailoutbox) -> dict:
    """What deleting ``leaver``'s account left, as a partner, the subcommittee and a data
    protection officer would check it."""
    pair.refresh_from_db()
    leaver.refresh_from_db()
    told = OutboxMessage.objects.filter(period=f"left-{pair.pk}")
    return {
        "pair": (pair.status, pair.end_reason),
        "told": sorted(told.values_list("kind", "recipient__email")),
        "e-mailed": sorted(message.to[0] for message in mailoutbox),
        "account": (str(leaver), leaver.email, leaver.is_active, leaver.has_usable_password()),
        "notes": ConfidentialNote.objects.filter(author=leaver).count(),
        "words left": places_holding(LEAVER_WORDS),
        "shared record left": sorted(places_holding("PAIR-RECORD")),
    }


@pytest.mark.parametrize(
    "delete", [delete_own, delete_in_admin, delete_ticked_in_admin], ids=lambda f: f.__name__
)
def test_the_account_is_erased_the_same_whichever_way_it_goes(
    delete, leaving_pair, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    pair = leaving_pair
    leaver, partner = pair.mentee.applicant, pair.mentor.applicant
    assert len(places_holding(LEAVER_WORDS)) >= 8
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        delete(leaver, administrator)

    assert outcome(pair, leaver, mailoutbox) == {
        "pair": (PairStatus.ENDED, "partner left the program"),
        "told": sorted(
            [(Kind.PARTNER_LEFT, partner.email), (Kind.PARTNER_LEFT_SUBCOMMITTEE, "c@example.org")]
        ),
        "e-mailed": sorted([partner.email, "c@example.org"]),
        "account": ("Former participant", f"erased-{leaver.pk}@erased.invalid", False, False),
        "notes": 0,
        "words left": [],
        "shared record left": [
            "cohorts.ContactLog.summary",
            "cohorts.PairAgreement.frequency",
            "cohorts.PairGoal.text",
        ],
    }
    assert models_without_an_erasure_rule(apps.get_models()) == []


@pytest.mark.parametrize(
    ("delete", "actor"),
    [(delete_own, "leaver"), (delete_in_admin, "administrator")],
    ids=["own", "admin"],
)
def test_the_accounts_history_says_who_deleted_it_and_nothing_of_its_words(
    delete, actor, leaving_pair, administrator
):
    leaver = leaving_pair.mentee.applicant
    who = {"leaver": leaver, "administrator": administrator}[actor]

    delete(leaver, administrator)

    [entry] = ModelLogEntry.objects.filter(action="members.account_erase")
    assert (entry.object_id, entry.user_id) == (str(leaver.pk), who.pk)
    assert entry.label == "Former participant"
    assert LEAVER_WORDS not in str(entry.data) and "Theo" not in str(entry.data)


def test_the_confirmation_page_says_what_deleting_the_member_does(leaving_pair, administrator):
    leaver = leaving_pair.mentee.applicant

    page = client_for(administrator).get(delete_url(leaver))

    assert page.status_code == 200
    body = text(page)
    assert (
        "Theo Mentee is in 1 pair under way (2026 cohort, with Maria Mentor): it ends "
        '("partner left the program"), and Maria Mentor and the mentoring subcommittee '
        "are told by e-mail."
    ) in body
    assert "Their 2 confidential notes are deleted, shared ones too." in body
    assert "The account stays, as \u201cFormer participant\u201d" in body
    assert LEAVER_WORDS not in body
    assert User.objects.get(pk=leaver.pk).erased_at is None


def test_the_confirmation_page_names_the_liaison_who_will_be_told(leaving_pair, administrator):
    liaison = member("liaison@example.org", groups=[COORDINATORS])
    liaison.first_name, liaison.last_name = "Lia", "Son"
    liaison.save()
    leaving_pair.liaison = liaison
    leaving_pair.save()

    client = client_for(administrator)

    body = text(client.get(delete_url(leaving_pair.mentor.applicant)))
    liaisons = text(client.get(delete_url(liaison)))

    assert (
        "Maria Mentor is in 1 pair under way (2026 cohort, with Theo Mentee): it ends "
        '("partner left the program"), and Theo Mentee and the liaison, Lia Son, are told '
        "by e-mail."
    ) in body
    assert (
        "They are the liaison of 1 pair under way: it is left without a liaison, so the "
        "whole mentoring subcommittee hears from it, and it is listed under Needs attention "
        "until another liaison is named."
    ) in liaisons
    assert "under way (2026 cohort" not in liaisons


def test_the_ticked_accounts_page_says_what_deleting_each_does(leaving_pair, administrator):
    leaver = leaving_pair.mentee.applicant
    bystander = member("bystander@example.org")

    body = text(client_for(administrator).get(bulk_delete_url(leaver, bystander)))

    assert "Theo Mentee is in 1 pair under way (2026 cohort, with Maria Mentor)" in body
    assert "is in no pair under way" not in body
    assert bystander.display_name in body
    assert LEAVER_WORDS not in body


def test_the_ticked_accounts_page_reads_the_same_few_rows_for_many_accounts(
    leaving_pair, administrator, django_assert_max_num_queries
):
    cohort = leaving_pair.cohort
    pairs = [
        make_pair(cohort, mentor=("Ann", f"Mentor{n}"), mentee=("Bea", f"M{n}"), record_only=True)
        for n in range(12)
    ]
    leavers = [pair.mentee.applicant for pair in pairs]
    client = client_for(administrator)
    client.get(bulk_delete_url(*leavers[:2]))

    with django_assert_max_num_queries(20):
        page = client.get(bulk_delete_url(*leavers))

    assert text(page).count("is in 1 pair under way") == 12


def test_an_administrator_cannot_delete_their_own_account_here(administrator):
    client = client_for(administrator)

    single = client.post(delete_url(administrator))
    ticked = client.post(bulk_delete_url(administrator))

    assert (single.status_code, single.url) == (302, reverse("wagtailadmin_home"))
    assert messages_of(single) == [PERMISSION_DENIED]
    assert (ticked.status_code, ticked.url) == (302, reverse(USERS))
    assert messages_of(ticked) == [PERMISSION_DENIED, "No account is deleted."]
    administrator.refresh_from_db()
    assert administrator.erased_at is None and administrator.is_superuser
    assert not ModelLogEntry.objects.filter(action="members.account_erase").exists()


def test_a_coordinator_without_the_permission_deletes_nobody(leaving_pair, mailoutbox):
    leaver = leaving_pair.mentee.applicant
    client = client_for(User.objects.get(email="c@example.org"))

    for response in [
        client.get(delete_url(leaver)),
        client.post(delete_url(leaver)),
        client.get(bulk_delete_url(leaver)),
        client.post(bulk_delete_url(leaver)),
    ]:
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
        assert messages_of(response)[-1] == PERMISSION_DENIED
    leaving_pair.refresh_from_db()
    leaver.refresh_from_db()
    assert leaving_pair.status == PairStatus.PUBLISHED and leaver.erased_at is None
    assert len(places_holding(LEAVER_WORDS)) >= 8
    assert mailoutbox == []


def test_the_administrator_is_told_whose_account_went(leaving_pair, administrator):
    leaver = leaving_pair.mentee.applicant
    client = client_for(administrator)

    response = client.post(delete_url(leaver))

    assert response.url == reverse(USERS)
    assert messages_of(response) == [
        "Theo Mentee\u2019s account is deleted: their personal data is erased and the partners "
        "and subcommittee concerned are told."
    ]
    assert User.objects.filter(pk=leaver.pk).exists()


def test_deleting_an_account_erased_before_keeps_the_day_it_was_erased(
    leaving_pair, administrator
):
    leaver = leaving_pair.mentee.applicant
    member_account_delete(user=leaver, password=USER_PASSWORD)
    User.objects.filter(pk=leaver.pk).update(erased_at=aware(2026, 1, 5))

    response = client_for(administrator).post(bulk_delete_url(leaver))

    assert response.status_code == 302
    leaver.refresh_from_db()
    assert leaver.erased_at == aware(2026, 1, 5)
    assert ModelLogEntry.objects.filter(action="members.account_erase").count() == 2

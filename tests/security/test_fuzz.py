"""Fuzzing, continued: the member forms and buttons that tests/security/test_form_fuzzing.py
does not reach, driven by hypothesis with the same strategies (each field present or
missing, valid or junk: random text with control characters and NUL, the hostile strings,
10,000 characters, numbers, dates, several values for one field).

Here each example starts from its own fresh target (a contact, a note, a goal, a change of
partner, a submitted application, a password), so a button that deletes or a form that
changes it is fuzzed as often as a form that adds. Whatever is sent:

- the answer is never a server error;
- a refusal (a form re-rendered with errors, a 4xx answer) changes nothing;
- a change writes whole what was sent, and only to the target;
- a valid submission is accepted at least once (so the check of what is written runs).

Covered: withdrawing an application; editing and deleting a contact; editing, sharing and
deleting a note; marking and deleting a goal; answering and withdrawing a change of
partner; deleting one's account; allauth's log-in, password change, e-mail addresses and
password reset; and the signed links (unsubscribe, check-in, e-mail confirmation) with
forged and garbled tokens.
"""

import datetime
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from cohorts.choices import ApplicationStatus, ChangeRequestStatus, ReminderKind
from cohorts.models import (
    Application,
    ChangeRequest,
    CheckInAnswer,
    ConfidentialNote,
    ContactLog,
    PairGoal,
    ReminderOptOut,
)
from cohorts.pairs.services import notes as note_services
from cohorts.pairs.services import pairs as pair_services
from cohorts.reminders import links
from members.models import User
from tests.security.fuzzing import FUZZ, HOSTILE, TEXT, form_data, form_errors, sent
from tests.security.toolkit import logged_in

# Many messages from one client or member: the limits are tested in test_flood.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_lifted")]

PASSWORD = "mentoring-demo"  # the demo accounts' documented password


def normal(text: str) -> str:
    """Text as the services store it: trimmed, line breaks as "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def fuzz_each(client, valid: dict, *, url, state, setup=lambda: None, check=None) -> list:
    """POST variants of ``valid``; before each, ``setup()`` makes a fresh target and
    ``url(target)`` (or ``url``) is where to send. ``state(target)`` reads what the form may
    change; ``check(data, target)`` asserts that a change holds what was sent.

    Returns the examples that changed something; the valid one must be among them."""
    client.raise_request_exception = False
    changed = []

    @FUZZ
    @given(data=form_data(valid))
    @example(data=valid)
    def run(data):
        target = setup()
        address = url(target) if callable(url) else url
        before = state(target)
        response = client.post(address, data)
        assert response.status_code < 500, (address, data)
        after = state(target)
        if form_errors(response) or response.status_code >= 400:
            assert after == before, (address, response.status_code, data)
        elif after != before:
            changed.append(data)
            if check is not None:
                check(data, target)

    run()
    assert valid in changed, "the valid submission changed nothing"
    return changed


# ---- The application --------------------------------------------------------------------


def test_withdrawing_an_application(portal):
    page = portal.application_page()
    user = portal.people["member@example.org"]
    application = Application.objects.get(cohort=page.cohort, applicant=user)

    def setup():
        Application.objects.filter(pk=application.pk).update(
            status=ApplicationStatus.SUBMITTED, withdraw_reason=""
        )

    def state(_):
        return (
            Application.objects.filter(cohort=page.cohort)
            .values_list("pk", "status", "withdraw_reason", "goals")
            .order_by("pk")[::1]
        )

    def check(data, _):
        application.refresh_from_db()
        assert application.status == ApplicationStatus.WITHDRAWN
        assert application.withdraw_reason == normal(sent(data, "reason"))

    valid = {"action": "withdraw", "reason": "I am moving abroad."}
    fuzz_each(portal.client("member"), valid, url=page.url, setup=setup, state=state, check=check)


# ---- The pair's items: contacts, notes, goals, a change of partner -----------------------


def pair_state(_=None):
    """Everything a pair's forms write, as rows (note texts are encrypted: their ciphertext
    and sharing are compared)."""
    return (
        list(ContactLog.objects.values_list("pk", "date", "minutes", "method", "summary")),
        list(ConfidentialNote.objects.values_list("pk", "ciphertext", "shared")),
        list(PairGoal.objects.values_list("pk", "text", "done_at")),
        list(ChangeRequest.objects.values_list("pk", "status", "reason")),
    )


@pytest.fixture(name="pair_side")
def pair_side_fixture(portal):
    """The mentor's side of the demo pair: (portal, client, user)."""
    user = portal.pair.mentor.applicant
    return portal, logged_in(user), user


def test_editing_and_deleting_a_contact(pair_side, django_capture_on_commit_callbacks):
    portal, client, user = pair_side
    pair = portal.pair
    day = timezone.localdate() - datetime.timedelta(days=2)

    def new_contact():
        return pair_services.contact_add(
            pair=pair, user=user, date=day, minutes=30, method="email", summary="A call."
        )

    def check_edit(data, contact):
        contact.refresh_from_db()
        assert contact.summary == sent(data, "summary").strip()
        assert contact.minutes == int(sent(data, "minutes"))
        assert contact.method == sent(data, "method")

    valid = {
        "date": (day - datetime.timedelta(days=1)).isoformat(),
        "minutes": "45",
        "method": "virtual",
        "conference": "",
        "summary": "Edited: we met by video.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        fuzz_each(
            client,
            valid,
            url=lambda contact: portal.pair_url("contacts-edit", contact.pk),
            setup=new_contact,
            state=pair_state,
            check=check_edit,
        )

        def check_deleted(data, contact):
            assert not ContactLog.objects.filter(pk=contact.pk).exists()

        fuzz_each(
            client,
            {"confirm": "1"},
            url=lambda contact: portal.pair_url("contacts-delete", contact.pk),
            setup=new_contact,
            state=pair_state,
            check=check_deleted,
        )


def test_editing_sharing_and_deleting_a_note(pair_side):
    portal, client, user = pair_side
    pair = portal.pair

    def new_note():
        return note_services.note_add(pair=pair, user=user, text="Ask about Midwinter.")

    def check_edit(data, note):
        note.refresh_from_db()
        assert note_services.note_text(note=note) == normal(sent(data, "text"))

    def check_share(data, note):
        note.refresh_from_db()
        assert note.shared is (sent(data, "shared") == "1")

    def check_deleted(data, note):
        assert not ConfidentialNote.objects.filter(pk=note.pk).exists()

    for section, valid, check in (
        ("notes-edit", {"text": "Ask about the RDA course."}, check_edit),
        ("notes-share", {"shared": "1", "confirmed": "1"}, check_share),
        ("notes-delete", {"confirm": "1"}, check_deleted),
    ):
        fuzz_each(
            client,
            valid,
            url=lambda note, section=section: portal.pair_url(section, note.pk),
            setup=new_note,
            state=pair_state,
            check=check,
        )


def test_marking_and_deleting_a_goal(pair_side):
    portal, client, user = pair_side
    pair = portal.pair

    def new_goal():
        PairGoal.objects.filter(pair=pair).delete()  # at most three at a time
        return pair_services.goal_add(pair=pair, user=user, text="Learn RDA.")

    def check_marked(data, goal):
        goal.refresh_from_db()
        assert (goal.done_at is not None) is (sent(data, "action") == "done")

    def check_deleted(data, goal):
        assert not PairGoal.objects.filter(pk=goal.pk).exists()

    # Deleting asks first: the goal's own form leads to the confirmation, whose form deletes.
    for section, valid, check in (
        ("goals", {"action": "done"}, check_marked),
        ("goals-delete", {"confirm": "1"}, check_deleted),
    ):
        fuzz_each(
            client,
            valid,
            url=lambda goal, section=section: portal.pair_url(section, goal.pk),
            setup=new_goal,
            state=pair_state,
            check=check,
        )


def test_answering_and_withdrawing_a_change_of_partner(
    pair_side, django_capture_on_commit_callbacks
):
    """The mentee asks; the mentor consents or declines, or the mentee withdraws. The
    posted ``change`` is the request's id (filled in per example), or junk."""
    portal, mentor, _ = pair_side
    pair = portal.pair
    mentee_user = pair.mentee.applicant
    mentee = logged_in(mentee_user)
    Status = ChangeRequestStatus

    def new_request():
        ChangeRequest.objects.filter(pair=pair).delete()
        return pair_services.change_request_create(
            pair=pair, user=mentee_user, reason="Our schedules never meet."
        )

    def check(data, change):
        change.refresh_from_db()
        expected = {
            "consent": Status.AWAITING_APPROVAL,
            "decline": Status.DECLINED_BY_PARTNER,
            "withdraw": Status.WITHDRAWN,
        }[sent(data, "action")]
        assert change.status == expected and change.reason == "Our schedules never meet."

    with django_capture_on_commit_callbacks(execute=True):
        for client, action in ((mentor, "consent"), (mentor, "decline"), (mentee, "withdraw")):
            _fuzz_change(client, action, new_request, portal, check)


def _fuzz_change(client, action, new_request, portal, check):
    """``fuzz_each`` for a change of partner: the request's id is known only once the
    example has made it, so "current" stands for it in the posted data."""
    client.raise_request_exception = False
    changed = []
    valid = {"action": action, "change": "current"}

    @FUZZ
    @given(data=form_data(valid))
    @example(data=valid)
    def run(data):
        change = new_request()
        posted = {**data}
        if sent(data, "change") == "current":
            posted["change"] = str(change.pk)
        before = pair_state()
        response = client.post(portal.pair_url("change"), posted)
        assert response.status_code < 500, posted
        after = pair_state()
        if response.status_code >= 400 or form_errors(response):
            assert after == before, (response.status_code, posted)
        elif after != before:
            changed.append(data)
            check(data, change)

    run()
    assert valid in changed


# ---- The account: deletion and allauth's forms ------------------------------------------


def account_state(user_id: int):
    from allauth.account.models import EmailAddress

    user = User.objects.filter(pk=user_id).values("email", "password", "is_active").get()
    addresses = list(EmailAddress.objects.filter(user_id=user_id).values_list("email", "primary"))
    return user, addresses


def test_account_forms(portal):
    from allauth.account.models import EmailAddress

    user = portal.people["member@example.org"]
    client = logged_in(user)

    def fresh():
        cache.clear()  # allauth's rate limits count in the cache
        member = User.objects.get(pk=user.pk)
        member.set_password(PASSWORD)
        member.save(update_fields=["password"])
        EmailAddress.objects.filter(user=user, primary=False).delete()
        client.force_login(member)
        return member

    def check_password(data, _):
        member = User.objects.get(pk=user.pk)
        assert member.check_password(sent(data, "password1"))

    new = "a-new-pass-phrase-42"
    fuzz_each(
        client,
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
        url=reverse("account_change_password"),
        setup=fresh,
        state=lambda _: account_state(user.pk),
        check=check_password,
    )

    def check_address(data, _):
        added = EmailAddress.objects.get(user=user, primary=False)
        assert added.email == sent(data, "email").strip().lower()

    fuzz_each(
        client,
        {"email": "second.address@example.org", "action_add": ""},
        url=reverse("account_email"),
        setup=fresh,
        state=lambda _: account_state(user.pk),
        check=check_address,
    )

    # Deleting the account: only its password does it, and then it erases the person.
    refused = []

    @FUZZ
    @given(data=form_data({"password": "not-the-password"}))
    def wrong_password(data):
        fresh()
        before = account_state(user.pk)
        response = client.post(reverse("member_account_delete"), data)
        assert response.status_code < 500 and account_state(user.pk) == before, data
        refused.append(data)

    wrong_password()
    assert refused
    fresh()
    response = client.post(reverse("member_account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    erased = User.objects.get(pk=user.pk)
    assert erased.email != "member@example.org" and not erased.is_active
    assert not EmailAddress.objects.filter(user=user).exists()


def test_login_and_password_reset(portal):
    """Visitors' forms: nothing is a server error, nothing of the account changes."""
    from axes.models import AccessAttempt

    visitor = Client(raise_request_exception=False)
    user = portal.people["member@example.org"]

    valid = {"login": "member@example.org", "password": PASSWORD}

    @FUZZ
    @given(login=form_data(valid), reset=form_data({"email": "member@example.org"}))
    @example(login=valid, reset={})
    def run(login, reset):
        cache.clear()
        AccessAttempt.objects.all().delete()  # each example starts unlocked
        visitor.logout()
        before = account_state(user.pk)
        response = visitor.post(reverse("account_login"), login)
        assert response.status_code < 500, login
        if login == valid:  # the one login that works does log in
            assert response.status_code == 302 and "_auth_user_id" in visitor.session
        response = visitor.post(reverse("account_reset_password"), reset)
        assert response.status_code < 500, reset
        assert account_state(user.pk) == before

    run()


# ---- The signed links in e-mails: forged and garbled tokens -----------------------------


TOKENS = st.one_of(TEXT, st.sampled_from(HOSTILE), st.just("x" * 5000), st.just(""))


def test_signed_links_refuse_forged_tokens(portal):
    """Unsubscribe, check-in and e-mail confirmation, with random tokens and bodies: refused,
    nothing written; the real token still works (so the refusals are not of every link)."""
    from allauth.account.models import EmailAddress

    visitor = Client(raise_request_exception=False)
    user = portal.people["mentee@example.org"]
    kind = ReminderKind.SURVEY_REMINDER

    def state():
        return (
            ReminderOptOut.objects.count(),
            CheckInAnswer.objects.count(),
            EmailAddress.objects.filter(verified=True).count(),
        )

    @FUZZ
    @given(token=TOKENS, body=form_data({"answer": "going_well", "comment": "Fine."}))
    def run(token, body):
        before = state()
        for route in ("reminder_unsubscribe", "reminder_checkin", "account_confirm_email"):
            address = reverse(route, args=["TOKEN"]).replace(
                "TOKEN", quote(token, safe="") or "%20"
            )
            response = visitor.post(address, body)
            assert response.status_code < 500, (route, token, body)
        assert state() == before, (token, body)

    run()
    real = links.unsubscribe_path(user_id=user.pk, kind=kind)
    response = visitor.post(real, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ReminderOptOut.objects.filter(user=user, kind=kind).exists()


# ---- The harness itself can fail ----------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.security.test_form_fuzzing")
def test_the_harness_catches_a_server_error_a_half_written_row_and_a_dead_form(client):
    """Against the broken views of tests/security/test_form_fuzzing.py: one raises for long
    names, one writes a row and then shows an error (and, watched by a state that never
    changes, is a form whose valid input writes nothing)."""
    from django.contrib.auth.models import Group

    with pytest.raises(AssertionError):
        fuzz_each(client, {"name": "Ada Lovelace"}, url="/crash/", state=lambda _: 0)
    with pytest.raises(AssertionError):
        fuzz_each(client, {"name": "Ada"}, url="/half/", state=lambda _: Group.objects.count())
    with pytest.raises(AssertionError, match="the valid submission changed nothing"):
        fuzz_each(client, {"name": "Ada"}, url="/half/", state=lambda _: 0)
